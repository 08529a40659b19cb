/**
 * A stack's `kubernetes` object: how Pulumi reaches the cluster (an explicit Kubernetes provider)
 * and how long it waits for objects to become ready.
 */
import type { Problems, Source } from "../problems";
import {
  type At,
  checkBoolean,
  checkInteger,
  checkString,
  checkStringList,
  childAt,
  itemAt,
  childPath,
  report,
  reportUnknown,
} from "../rules";
import type { KubernetesSettings } from "../types";

/** The keys of a stack's `kubernetes` object. */
export const KUBERNETES_KEYS = [
  "context",
  "serverSideApply",
  "skipAwait",
  "readinessTimeoutSeconds",
  "skipIngressAwait",
  "replicasHandover",
] as const;

/** The longest readiness timeout accepted: a day. */
export const MAX_READINESS_TIMEOUT_SECONDS = 86400;

/** The keys of the Kubernetes provider's own namespace and what `kubernetes` calls them. */
const PROVIDER_CONFIG_NAMES: Record<string, string> = {
  context: "context",
  enableServerSideApply: "serverSideApply",
};

/**
 * The stack's `kubernetes` object (`at` is its key): `context` (a kubeconfig context),
 * `serverSideApply` (boolean), `skipAwait` (boolean), `readinessTimeoutSeconds` (1 to 86400),
 * `skipIngressAwait` (boolean) and `replicasHandover` (a list of `<namespace>/<name>`).
 * Unknown keys, wrong types, and `skipAwait: true` with a readiness timeout are reported.
 */
export function parseKubernetesSettings(
  fields: Record<string, unknown>,
  at: At,
): KubernetesSettings {
  const out: KubernetesSettings = {};
  for (const [key, value] of Object.entries(fields)) {
    const here = childAt(at, key);
    switch (key) {
      case "context": {
        const context = checkString(value, here);
        if (context !== undefined && context.trim() === "") {
          report(here, "expected a kubeconfig context, got an empty value");
        } else if (context !== undefined) {
          out.context = context;
        }
        break;
      }
      case "serverSideApply":
      case "skipAwait":
      case "skipIngressAwait": {
        const flag = checkBoolean(value, here);
        if (flag !== undefined) out[key] = flag;
        break;
      }
      case "readinessTimeoutSeconds": {
        const seconds = checkInteger(value, here, 1, MAX_READINESS_TIMEOUT_SECONDS);
        if (seconds !== undefined) out.readinessTimeoutSeconds = seconds;
        break;
      }
      case "replicasHandover": {
        const keys = checkStringList(value, here);
        const bad = keys?.findIndex((k) => !/^[^/\s]+\/[^/\s]+$/.test(k)) ?? -1;
        if (keys !== undefined && bad >= 0) {
          report(itemAt(here, bad), "expected an integration as <namespace>/<name>");
        } else if (keys !== undefined && keys.length > 0) {
          out.replicasHandover = [...new Set(keys)].sort();
        }
        break;
      }
      default:
        reportUnknown(key, here, KUBERNETES_KEYS);
    }
  }
  if (out.skipAwait === true && out.readinessTimeoutSeconds !== undefined) {
    report(
      childAt(at, "readinessTimeoutSeconds"),
      "has no effect with skipAwait: true, since Pulumi then does not wait for readiness; " +
        "remove one of them",
    );
  }
  return out;
}

/**
 * Whether the settings need an explicit Kubernetes provider: they set `context` or
 * `serverSideApply`. Without one, the stack uses Pulumi's default provider.
 */
export function usesExplicitProvider(settings: KubernetesSettings | undefined): boolean {
  return settings?.context !== undefined || settings?.serverSideApply !== undefined;
}

/**
 * An explicit provider reads none of the `kubernetes:` keys of the stack's config (only Pulumi's
 * default provider does), so with one, each such key is an error rather than silently ignored:
 * `kubernetes:context` would otherwise leave the stack on the kubeconfig's current context.
 */
export function checkProviderConfig(
  config: Record<string, string>,
  settings: KubernetesSettings | undefined,
  project: string,
  source: Source,
  problems: Problems,
): void {
  if (!usesExplicitProvider(settings)) return;
  for (const key of Object.keys(config).sort()) {
    if (!key.startsWith("kubernetes:")) continue;
    const ours = PROVIDER_CONFIG_NAMES[key.slice("kubernetes:".length)];
    const instead =
      ours === undefined
        ? `remove ${project}:kubernetes.context and .serverSideApply to use the default provider`
        : `set it as ${childPath(`${project}:kubernetes`, ours)} instead`;
    problems.error(
      source,
      key,
      `is read only by Pulumi's default Kubernetes provider, and ${project}:kubernetes makes ` +
        `this stack use its own; ${instead}`,
    );
  }
}
