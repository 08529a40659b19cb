/** Where a value was found, and the small helpers every check uses to describe and descend into it. */
import type { Problems, Source } from "../problems";

/** Where a value was found: the document and the dotted field path inside it. */
export interface At {
  source: Source;
  path: string;
  problems: Problems;
  /**
   * Whether the values here may be secrets (an env variable's value, what stands where a
   * `secretKeyRef` belongs, a whole document that is no mapping): messages then say what kind
   * of value was found, never the value itself ({@link describeAt}). It holds for this place
   * only: {@link childAt} and {@link itemAt} are not hidden. Default: false.
   */
  hidden?: boolean;
}

/**
 * `record[key]` when `record` has `key` of its own, else undefined: a key from the input such as
 * `constructor` or `__proto__` is a plain unknown key, never a property every object inherits.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A YAML mapping: a plain object, not a list and not null. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The path of field `key` inside `path`; keys that are not plain names are quoted: `labels["a.b/c"]`. */
export function childPath(path: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** The path of list item `index` inside `path`: `env[2]`. */
export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The last step of a path: `.name`, `[2]` or `["a.b"]`. */
const LAST_STEP = /(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;

/**
 * The path that holds `path` (`spec.env[1]` for `spec.env[1].value`), "" for a field of the
 * document itself, undefined for the document.
 */
export function parentPath(path: string): string | undefined {
  if (path === "") return undefined;
  const step = LAST_STEP.exec(path);
  return step === null ? "" : path.slice(0, step.index);
}

/** `at` without {@link At.hidden}, which holds for one place, not for those inside it. */
function shownAt(at: At): At {
  const { source, problems } = at;
  return { source, problems, path: at.path };
}

/**
 * The place of field `key` inside `at`; keys that are not plain names are quoted:
 * `labels["a.b/c"]`. Not hidden ({@link At.hidden}) whether `at` is or not.
 */
export function childAt(at: At, key: string): At {
  return { ...shownAt(at), path: childPath(at.path, key) };
}

/** The place of list item `index` inside `at`: `env[2]`; not hidden whether `at` is or not. */
export function itemAt(at: At, index: number): At {
  return { ...shownAt(at), path: itemPath(at.path, index) };
}

/** Reports an error at `at` (an empty path means the whole document). */
export function report(at: At, message: string): void {
  at.problems.error(at.source, at.path === "" ? undefined : at.path, message);
}

/** Reports a warning at `at`. */
export function warn(at: At, message: string): void {
  at.problems.warning(at.source, at.path === "" ? undefined : at.path, message);
}

/** The most characters of any one value a message shows. */
export const SHOWN_CHARACTERS = 60;

/**
 * `text` quoted for a message: whole up to {@link SHOWN_CHARACTERS} characters, else its start
 * and its length, so that no value (a whole file read as one string, a 1 MB secret) becomes the
 * message: `"abc"`, `"aaaa..."... (1048576 characters)`.
 */
export function quote(text: string): string {
  if (text.length <= SHOWN_CHARACTERS) return JSON.stringify(text);
  // Never half of a surrogate pair: JSON would show it as an escape.
  const high = /[\uD800-\uDBFF]/.test(text[SHOWN_CHARACTERS - 1]);
  const start = text.slice(0, high ? SHOWN_CHARACTERS - 1 : SHOWN_CHARACTERS);
  return `${JSON.stringify(start)}... (${text.length} characters)`;
}

/** A number as YAML writes it, so that `.inf` and `.nan` are named as what they are. */
function describeNumber(value: number): string {
  if (Number.isNaN(value)) return ".nan (not a number)";
  if (value === Infinity) return ".inf (infinity)";
  if (value === -Infinity) return "-.inf (minus infinity)";
  return String(value);
}

/**
 * How a YAML value reads in a message: strings quoted (past {@link SHOWN_CHARACTERS}, their start
 * and length, see {@link quote}), lists and mappings named, `.inf` and `.nan` named as such.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return describeNumber(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value;
}

/**
 * What kind of value `value` is, never the value: for a value that may be a secret. Strings,
 * numbers and booleans are named by their type, with "not shown"; the rest as {@link describeValue}.
 */
export function describeHidden(value: unknown): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return `a ${typeof value} (not shown: it may be a secret)`;
  }
  return describeValue(value);
}

/** {@link describeValue}, or {@link describeHidden} where values may be secrets (`at.hidden`). */
export function describeAt(value: unknown, at: At): string {
  return at.hidden === true ? describeHidden(value) : describeValue(value);
}

/** Runs `check` and tells whether it reported any error. */
export function reportsErrors(problems: Problems, check: () => void): boolean {
  const before = problems.errorCount;
  check();
  return problems.errorCount > before;
}
