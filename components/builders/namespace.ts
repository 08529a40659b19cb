import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { ResolvedStack } from "../model/types";
import { compareStrings, sortedMap } from "./objects";

/**
 * The annotation that tells Pulumi's Kubernetes provider not to wait for an object to become
 * ready; set on every object of a stack whose `kubernetes.skipAwait` is true.
 */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/** A Namespace named `name`, nothing else. */
export function buildNamespace(name: string): INamespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

/**
 * One Namespace per namespace the stack's integrations use, sorted, when the stack creates its
 * namespaces (`createNamespace`); none otherwise.
 */
export function buildNamespaces(stack: ResolvedStack): INamespace[] {
  if (stack.createNamespace !== true) return [];
  const names = new Set(stack.integrations.map((integration) => integration.namespace));
  return [...names].sort(compareStrings).map(buildNamespace);
}

/**
 * `object` with {@link SKIP_AWAIT_ANNOTATION} `"true"` in its metadata when `skipAwait`; the
 * object itself otherwise. The annotation is on the object, never on a pod template, so it
 * changes no pod.
 */
export function withSkipAwait<T extends { metadata?: { annotations?: Record<string, string> } }>(
  object: T,
  skipAwait: boolean,
): T {
  if (!skipAwait) return object;
  const metadata = object.metadata ?? {};
  const annotations = sortedMap({ ...metadata.annotations, [SKIP_AWAIT_ANNOTATION]: "true" });
  return { ...object, metadata: { ...metadata, annotations } };
}
