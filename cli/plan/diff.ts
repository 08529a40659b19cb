/**
 * Field-by-field differences between two versions of one object, as paths: lists of named things
 * are matched by name (`containers[micro-integrator]`, `env[DB_URL]`, Ingress `paths[/x(/|$)(.*)]`),
 * not by position, so inserting one item changes one path.
 */
import { childPath, itemPath } from "../../components/model/rules";
import { compareStrings } from "../../components/model/rules/order";
import { equalValues, isValueMapping, type Mapping, type Value } from "./values";

/**
 * One changed field. `before` is absent when the field is added, `after` when it is removed.
 * A list whose items only moved is one change at the list's path, with the items' keys in their
 * old and new order.
 */
export interface Change {
  /** The field, e.g. `spec.template.spec.containers[micro-integrator].image`. */
  path: string;
  before?: Value;
  after?: Value;
  /**
   * Only in plans against live objects (`plan --live`): true for a field the live object has and
   * the stack does not set, which server-side apply leaves as it is (another field manager owns
   * it); `after` is then absent. Absent otherwise.
   */
  kept?: boolean;
  /** Why a kept field matters and how to clear it, when it does. Absent otherwise. */
  note?: string;
}

/**
 * The fields that identify a list's items, in order of preference: a list is matched by the
 * first one every item on both sides has (a string or a number), each value once per side.
 */
export const LIST_KEYS = [
  "name",
  "path",
  "host",
  "containerPort",
  "port",
  "mountPath",
  "secretName",
  "key",
];

/** Every changed field between `before` and `after` (whole objects or any value inside them). */
export function diffValues(
  before: Value | undefined,
  after: Value | undefined,
  path = "",
): Change[] {
  const changes: Change[] = [];
  diffInto(changes, path, before, after);
  return changes;
}

function diffInto(
  out: Change[],
  path: string,
  before: Value | undefined,
  after: Value | undefined,
) {
  if (equalValues(before, after)) return;
  if (isValueMapping(before) && isValueMapping(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings);
    for (const key of keys) diffInto(out, childPath(path, key), before[key], after[key]);
  } else if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    [...before, ...after].some(isValueMapping)
  ) {
    diffLists(out, path, before, after);
  } else if (before === undefined && isListOfMappings(after)) {
    diffLists(out, path, [], after);
  } else if (after === undefined && isListOfMappings(before)) {
    diffLists(out, path, before, []);
  } else {
    out.push(change(path, before, after));
  }
}

/** A list of mappings that appears or disappears is shown item by item. */
function isListOfMappings(value: Value | undefined): value is Value[] {
  return Array.isArray(value) && value.length > 0 && value.every(isValueMapping);
}

function change(path: string, before: Value | undefined, after: Value | undefined): Change {
  return {
    path,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  };
}

function diffLists(out: Change[], path: string, before: Value[], after: Value[]): void {
  const key = listKey(before, after);
  if (key === undefined) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      diffInto(out, itemPath(path, i), before[i], after[i]);
    }
    return;
  }
  const keyOf = (item: Value): string | number => (item as Mapping)[key] as string | number;
  const beforeKeys = before.map(keyOf);
  const afterKeys = after.map(keyOf);
  const common = (keys: (string | number)[], other: (string | number)[]) =>
    keys.filter((k) => other.includes(k));
  const kept = common(beforeKeys, afterKeys);
  if (!equalValues(kept, common(afterKeys, beforeKeys))) {
    out.push({ path, before: kept, after: common(afterKeys, beforeKeys) });
  }
  const removed = beforeKeys.filter((k) => !afterKeys.includes(k));
  for (const k of [...afterKeys, ...removed]) {
    const label = keyLabel(key, k);
    diffInto(out, `${path}[${label}]`, before[beforeKeys.indexOf(k)], after[afterKeys.indexOf(k)]);
  }
}

/** The field that names every item of both lists once, if any. */
function listKey(before: Value[], after: Value[]): string | undefined {
  return LIST_KEYS.find((key) =>
    [before, after].every((list) => {
      const seen = new Set<string | number>();
      for (const item of list) {
        if (!isValueMapping(item)) return false;
        const value = item[key];
        if (typeof value !== "string" && typeof value !== "number") return false;
        if (seen.has(value)) return false;
        seen.add(value);
      }
      return true;
    }),
  );
}

/** How an item is named in a path: `[micro-integrator]`, `[containerPort=8290]`, `["a]b"]`. */
function keyLabel(key: string, value: string | number): string {
  if (typeof value === "number") return `${key}=${value}`;
  return value === "" || /[[\]"\s]/.test(value) ? JSON.stringify(value) : value;
}

/** Whether `path` is `prefix` or a field inside it. */
export function isWithin(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}
