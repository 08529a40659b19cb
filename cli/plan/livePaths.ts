/**
 * The paths of a plan's changes (`spec.template.spec.containers[micro-integrator].ports[containerPort=8290]`,
 * `metadata.annotations["kubernetes.io/ingress.class"]`) as steps, matched against the patterns of
 * the live rules, and followed into a live object.
 */
import { LIST_KEYS } from "./diff";
import { isValueMapping, type Value } from "./values";

/** One step of a path: a field (`.name`), or a bracket: a list item or a quoted map key. */
export interface Step {
  name: string;
  bracket: boolean;
}

/**
 * The steps of `path`. A bracket holds a JSON string (`["a.b/c"]`, a map key or a quoted item
 * label) or a bare label up to the next `]` (`[micro-integrator]`, `[containerPort=8290]`, `[0]`).
 * In a pattern, `[]` stands for any bracket.
 */
export function pathSteps(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === ".") i += 1;
    if (path[i] === "[") {
      if (path[i + 1] === '"') {
        let j = i + 2;
        while (j < path.length && path[j] !== '"') j += path[j] === "\\" ? 2 : 1;
        steps.push({ name: JSON.parse(path.slice(i + 1, j + 1)) as string, bracket: true });
        i = j + 2;
      } else {
        const end = path.indexOf("]", i);
        const stop = end === -1 ? path.length : end;
        steps.push({ name: path.slice(i + 1, stop), bracket: true });
        i = stop + 1;
      }
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== "." && path[j] !== "[") j += 1;
    steps.push({ name: path.slice(i, j), bracket: false });
    i = j;
  }
  return steps;
}

/** Whether `step` is matched by the pattern step `want` (`[]` matches any bracket). */
function stepMatches(want: Step, step: Step): boolean {
  if (want.bracket && want.name === "") return step.bracket;
  return want.name === step.name;
}

/** Whether `path` (steps) is exactly `pattern` (steps). */
export function matchesPattern(pattern: readonly Step[], path: readonly Step[]): boolean {
  return pattern.length === path.length && pattern.every((want, i) => stepMatches(want, path[i]));
}

/** Whether `path` (steps) is `pattern` or inside it. */
export function withinPattern(pattern: readonly Step[], path: readonly Step[]): boolean {
  return pattern.length <= path.length && pattern.every((want, i) => stepMatches(want, path[i]));
}

/** The item of `list` a bracket label names, as the plan's diff labels items. */
function findItem(list: Value[], label: string): Value | undefined {
  const keyed = /^([A-Za-z]+)=(-?\d+)$/.exec(label);
  if (keyed !== null) {
    return list.find((item) => isValueMapping(item) && item[keyed[1]] === Number(keyed[2]));
  }
  for (const key of LIST_KEYS) {
    const found = list.find((item) => isValueMapping(item) && item[key] === label);
    if (found !== undefined) return found;
  }
  return /^\d+$/.test(label) ? list[Number(label)] : undefined;
}

/**
 * The names of the lists `steps` passes through in `object` (a list is passed through when a
 * step selects one of its items), each with the steps up to the list; stops where the path
 * leaves the object.
 */
export function listsOnPath(
  object: Value,
  steps: readonly Step[],
): { name: string; depth: number }[] {
  const out: { name: string; depth: number }[] = [];
  let node: Value | undefined = object;
  for (let i = 0; i < steps.length && node !== undefined; i++) {
    if (Array.isArray(node)) {
      out.push({ name: steps[i - 1]?.name ?? "", depth: i });
      node = findItem(node, steps[i].name);
    } else if (isValueMapping(node)) {
      node = node[steps[i].name];
    } else {
      node = undefined;
    }
  }
  return out;
}

/** The value at `steps` in `object` (list items found by their labels), if any. */
export function valueAt(object: Value, steps: readonly Step[]): Value | undefined {
  let node: Value | undefined = object;
  for (const step of steps) {
    if (Array.isArray(node)) node = findItem(node, step.name);
    else if (isValueMapping(node)) node = node[step.name];
    else return undefined;
  }
  return node;
}
