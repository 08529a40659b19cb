/** Where a value was found, and the small helpers every check uses to describe and descend into it. */
import type { Problems, Source } from "../problems";

/** Where a value was found: the document and the dotted field path inside it. */
export interface At {
  source: Source;
  path: string;
  problems: Problems;
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

/** The place of field `key` inside `at`; keys that are not plain names are quoted: `labels["a.b/c"]`. */
export function childAt(at: At, key: string): At {
  return { ...at, path: childPath(at.path, key) };
}

/** The place of list item `index` inside `at`: `env[2]`. */
export function itemAt(at: At, index: number): At {
  return { ...at, path: itemPath(at.path, index) };
}

/** Reports an error at `at` (an empty path means the whole document). */
export function report(at: At, message: string): void {
  at.problems.error(at.source, at.path === "" ? undefined : at.path, message);
}

/** Reports a warning at `at`. */
export function warn(at: At, message: string): void {
  at.problems.warning(at.source, at.path === "" ? undefined : at.path, message);
}

/** The longest string a message shows whole. */
const SHOWN_CHARACTERS = 60;

/**
 * How a YAML value reads in a message: strings quoted (past {@link SHOWN_CHARACTERS}, their start
 * and length), lists and mappings named.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    // A whole file read as one string (a CR path naming a text file) must not become the message.
    if (value.length <= SHOWN_CHARACTERS) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, SHOWN_CHARACTERS))}... (${value.length} characters)`;
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return typeof value;
}

/** Runs `check` and tells whether it reported any error. */
export function reportsErrors(problems: Problems, check: () => void): boolean {
  const before = problems.errorCount;
  check();
  return problems.errorCount > before;
}
