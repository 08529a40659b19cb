import { createHash } from "node:crypto";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ResolvedIntegration } from "../model/types";
import { selectorLabels } from "./names";

/** The volume that holds an integration's config files. */
export const CONFIG_FILES_VOLUME = "config-files";

/**
 * The name of the ConfigMap of an integration's config files: `N-files-<hash>`, the hash being
 * the first 10 hex digits of a SHA-256 over every key and content, as kustomize's
 * `configMapGenerator` names its ConfigMaps. Editing a file renames the ConfigMap, which changes
 * the pod template, which rolls the pods: Micro Integrator reads these files only at start.
 */
export function configFilesName(integration: ResolvedIntegration): string | undefined {
  const files = integration.configFiles;
  if (files === undefined || files.length === 0) return undefined;
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${file.key}\u0000${file.content}\u0000`);
  return `${integration.name}-files-${hash.digest("hex").slice(0, 10)}`;
}

/** The ConfigMap of the integration's config files, one key per file; undefined without any. */
export function buildConfigFilesConfigMap(
  integration: ResolvedIntegration,
): IConfigMap | undefined {
  const name = configFilesName(integration);
  if (name === undefined) return undefined;
  const data: Record<string, string> = {};
  for (const file of integration.configFiles ?? []) data[file.key] = file.content;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: integration.namespace, labels: selectorLabels(integration.name) },
    data,
  };
}
