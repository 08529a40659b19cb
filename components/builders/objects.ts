/** Small helpers shared by the builders so that every object is built the same way. */
import { compareStrings } from "../model/rules/order";

/** A copy with keys sorted by code unit, or undefined when empty (no empty maps in output). */
export function sortedMap(map: Record<string, string>): Record<string, string> | undefined {
  const keys = Object.keys(map).sort(compareStrings);
  if (keys.length === 0) return undefined;
  const sorted: Record<string, string> = {};
  for (const key of keys) sorted[key] = map[key];
  return sorted;
}

export { compareStrings } from "../model/rules/order";

/**
 * A deep copy of a value taken from the model, so that built objects share no references with
 * the model or with each other (YAML dumpers would otherwise emit anchors and aliases).
 */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A built object's logical name in the Pulumi program: its `namespace/name`, which is also the id
 * `pulumi import` takes. Builders always set both; a missing one is a bug, not a user mistake.
 */
export function childName(object: {
  kind: string;
  metadata?: { name?: string; namespace?: string };
}): string {
  const { name, namespace } = object.metadata ?? {};
  if (name === undefined || namespace === undefined) {
    throw new Error(`a built ${object.kind} lacks metadata.name or metadata.namespace`);
  }
  return `${namespace}/${name}`;
}
