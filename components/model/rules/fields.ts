/** Mappings with a known set of fields: the check every object in the input goes through. */
import { type At, childAt, describeAt, isMapping, itemAt, quote, report } from "./at";
import { oneOf, suggestion } from "./suggest";

/**
 * The mapping at `at`, after reporting every key not in `known` (with a did-you-mean when one is
 * close, else the list of known fields). Undefined, with one error, when `value` is not a mapping.
 */
export function checkFields(
  value: unknown,
  at: At,
  known: readonly string[],
): Record<string, unknown> | undefined {
  if (!isMapping(value)) {
    report(at, `expected a mapping, got ${describeAt(value, at)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) reportUnknown(key, childAt(at, key), known, { noun: "field" });
  }
  return value;
}

/**
 * `unknown key` (or `field`) at `at`, with the closest known name (`did you mean "x"?`), else
 * `elsewhere` when given (where it belongs), else the known names. Default noun: `key`.
 */
export function reportUnknown(
  key: string,
  at: At,
  known: readonly string[],
  options: { noun?: "key" | "field"; elsewhere?: string } = {},
): void {
  const noun = options.noun ?? "key";
  const hint = suggestion(key, known);
  if (hint !== "") report(at, `unknown ${noun}${hint}`);
  else if (options.elsewhere !== undefined)
    report(at, `unknown ${noun} here; ${options.elsewhere}`);
  else report(at, `unknown ${noun}; the known ${noun}s are ${known.join(", ")}`);
}

/** A copy of `value` without the keys whose value is undefined (checks that failed, unset fields). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Reports `field: required` for each of `keys` that is absent (or null) in `fields`. */
export function checkRequired(
  fields: Record<string, unknown>,
  at: At,
  keys: readonly string[],
): boolean {
  let ok = true;
  for (const key of keys) {
    if (fields[key] === undefined || fields[key] === null) {
      report(childAt(at, key), "required field is missing");
      ok = false;
    }
  }
  return ok;
}

/** A string field; numbers and booleans are errors that say how to quote them. */
export function checkString(value: unknown, at: At): string | undefined {
  if (typeof value === "string") return value;
  if ((typeof value === "number" || typeof value === "boolean") && at.hidden !== true) {
    report(at, `expected a string, got ${describeAt(value, at)}; quote it: "${String(value)}"`);
  } else if (typeof value === "number" || typeof value === "boolean") {
    report(at, `expected a string, got ${describeAt(value, at)}; quote it`);
  } else {
    report(at, `expected a string, got ${describeAt(value, at)}`);
  }
  return undefined;
}

/** One of `values`, or an error naming them with a did-you-mean. */
export function checkChoice<T extends string>(
  value: unknown,
  at: At,
  values: readonly T[],
): T | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  if ((values as readonly string[]).includes(text)) return text as T;
  report(at, `expected ${oneOf(values)}, got ${quote(text)}${suggestion(text, values)}`);
  return undefined;
}

/** A list of strings. */
export function checkStringList(value: unknown, at: At): string[] | undefined {
  if (!Array.isArray(value)) {
    report(at, `expected a list of strings, got ${describeAt(value, at)}`);
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  value.forEach((item, i) => {
    const s = checkString(item, itemAt(at, i));
    if (s === undefined) ok = false;
    else out.push(s);
  });
  return ok ? out : undefined;
}

/** A YAML boolean (`true`/`false`, unquoted), as Kubernetes fields such as `optional` require. */
export function checkStrictBoolean(value: unknown, at: At): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") {
    report(at, `expected true or false, got the string "${value}"; write ${value} without quotes`);
  } else {
    report(at, `expected true or false, got ${describeAt(value, at)}`);
  }
  return undefined;
}
