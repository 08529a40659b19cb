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
