/**
 * Problems found in user input: every check reports here, so that all problems are shown at once
 * and nothing is built or printed while one of them is an error.
 */
import { SHOWN_CHARACTERS, quote } from "./rules/at";

/** How bad a problem is: errors stop everything, warnings and notes are printed and work goes on. */
export type Severity = "error" | "warning" | "note";

/** Where a problem was found. */
export interface Source {
  /** The file, as the user named it (relative to the working directory where possible). */
  file: string;
  /** 1-based index of the YAML document in a multi-document file; absent for single documents. */
  document?: number;
  /** 1-based line, when known: where the document starts (or a YAML syntax error is). */
  line?: number;
}

/**
 * The 1-based line of the field at `path` (e.g. `spec.env[1].value`) in a source's text, else of
 * its nearest ancestor there (`spec.env[1]` when `value` is missing); undefined when unknown.
 */
export type FieldLines = (path: string) => number | undefined;

/**
 * The lines of each source's fields, kept beside the source rather than in it: a {@link Source}
 * stays plain data (copied into the model and compared with deep equality in tests), and the
 * lookup goes wherever the object itself goes (a CR's `source`, a resolved integration's).
 */
const FIELD_LINES = new WeakMap<Source, FieldLines>();

/** Registers the lines of `source`'s fields; problems at a path of `source` then name that line. */
export function withFieldLines<S extends Source>(source: S, lines: FieldLines): S {
  FIELD_LINES.set(source, lines);
  return source;
}

/** The line of the field at `path` in `source`, or of its nearest ancestor; undefined when unknown. */
export function fieldLine(source: Source, path: string): number | undefined {
  return FIELD_LINES.get(source)?.(path);
}

/** The line of a problem at `path` in `source`: the field's own when known, else `source.line`. */
function problemLine(source: Source, path: string | undefined): number | undefined {
  return (path === undefined ? undefined : fieldLine(source, path)) ?? source.line;
}

/** One problem in the input: its place, the field and what would be right. */
export interface Problem extends Source {
  /** The line of the field at `path` when known, else where the document starts, when known. */
  line?: number;
  severity: Severity;
  /** Dotted field path inside the document, e.g. `spec.deploySpec.minReplicas`; absent for the file. */
  path?: string;
  /** What is wrong and what would be right, as one sentence. */
  message: string;
  /**
   * Set only on the one problem that ends a list grown past {@link MAX_PROBLEMS_KEPT}: how many
   * problems it stands for, found from its place on and not kept. It is printed last.
   */
  omitted?: number;
}

/**
 * The most problems one {@link Problems} keeps: enough for every real stack (a few per CR), few
 * enough that a folder of hostile files (hundreds of thousands of unknown fields) prints and holds
 * a bounded amount. Those past it are counted in one last problem.
 */
export const MAX_PROBLEMS_KEPT = 10_000;

const SEVERITY_RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

/**
 * Characters of user input that would break a problem's line or disguise it on a terminal:
 * controls (C0, DEL, C1), the line and paragraph separators, and bidirectional overrides.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every {@link UNPRINTABLE} character written as a `\uXXXX` escape. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A string literal in a message, as `JSON.stringify` writes one. */
const QUOTED = /"(?:[^"\\\n]|\\.)*"/g;
/** A run of name characters longer than a message shows of any value. */
const LONG_RUN = new RegExp(`[A-Za-z0-9_-]{${SHOWN_CHARACTERS + 1},}`, "g");

/**
 * `text` with every quoted value longer than {@link SHOWN_CHARACTERS} cut to its start and
 * length (see `quote`): whatever a check put in its message, no value is shown past that.
 */
function boundedQuotes(text: string): string {
  if (text.length <= SHOWN_CHARACTERS) return text;
  return text.replace(QUOTED, (literal) => {
    if (literal.length <= SHOWN_CHARACTERS + 2) return literal;
    let value: string;
    try {
      value = JSON.parse(literal) as string;
    } catch {
      value = literal.slice(1, -1);
    }
    return value.length <= SHOWN_CHARACTERS ? literal : quote(value);
  });
}

/**
 * A field path with each key longer than {@link SHOWN_CHARACTERS} cut, quoted (`["abc…"]`) or
 * not (`abc…`); the ellipsis inside the quotes keeps the path one a reader can follow.
 */
function boundedPath(path: string): string {
  if (path.length <= SHOWN_CHARACTERS) return path;
  return path
    .replace(QUOTED, (literal) => {
      let key: string;
      try {
        key = JSON.parse(literal) as string;
      } catch {
        return literal;
      }
      return key.length <= SHOWN_CHARACTERS
        ? literal
        : JSON.stringify(`${key.slice(0, SHOWN_CHARACTERS)}\u2026`);
    })
    .replace(LONG_RUN, (run) => `${run.slice(0, SHOWN_CHARACTERS)}\u2026`);
}

/** Collects problems; checks call {@link Problems.error}, {@link Problems.warning}, {@link Problems.note}. */
export class Problems {
  /** Every problem in the order found; append through {@link Problems.add}, which counts errors. */
  readonly list: Problem[] = [];
  private errors = 0;
  /** The last problem of a list grown past {@link MAX_PROBLEMS_KEPT}, counting those not kept. */
  private overflow: Problem | undefined;

  /**
   * Adds `problem`, its file, path and message made {@link printable}: each stays one line; and
   * no value in its path or message longer than {@link SHOWN_CHARACTERS} shows whole. Past
   * {@link MAX_PROBLEMS_KEPT} problems, it is only counted (errors too, in {@link errorCount}).
   */
  add(problem: Problem): void {
    if (problem.severity === "error") this.errors++;
    if (this.list.length >= MAX_PROBLEMS_KEPT) {
      this.omit(problem);
      return;
    }
    const shown: Problem = { ...problem, file: printable(problem.file) };
    if (problem.path !== undefined) shown.path = printable(boundedPath(problem.path));
    shown.message = printable(boundedQuotes(problem.message));
    this.list.push(shown);
  }

  /** Counts `problem` in the list's last problem, which starts where the first one omitted is. */
  private omit(problem: Problem): void {
    let overflow = this.overflow;
    if (overflow === undefined) {
      const { file, document, line, severity } = problem;
      overflow = { file: printable(file), document, line, severity, message: "", omitted: 0 };
      if (document === undefined) delete overflow.document;
      if (line === undefined) delete overflow.line;
      this.overflow = overflow;
      this.list.push(overflow);
    }
    const omitted = (overflow.omitted ?? 0) + 1;
    overflow.omitted = omitted;
    if (SEVERITY_RANK[problem.severity] > SEVERITY_RANK[overflow.severity]) {
      overflow.severity = problem.severity;
    }
    overflow.message =
      `${omitted} more problem${omitted === 1 ? "" : "s"} from here on not shown ` +
      `(only the first ${MAX_PROBLEMS_KEPT} found are); fix those and run again`;
  }

  /**
   * How many errors were added so far, without reading the list: checks compare it before and
   * after a part of the input, once per CR or field, so a scan there would make loading quadratic.
   */
  get errorCount(): number {
    return this.errors;
  }

  /** Reports an error at `path` in `source` (undefined: the whole document or file). */
  error(source: Source, path: string | undefined, message: string): void {
    this.report(source, path, "error", message);
  }

  /** Reports a warning at `path` in `source`. */
  warning(source: Source, path: string | undefined, message: string): void {
    this.report(source, path, "warning", message);
  }

  /** Reports a note at `path` in `source`. */
  note(source: Source, path: string | undefined, message: string): void {
    this.report(source, path, "note", message);
  }

  private report(
    source: Source,
    path: string | undefined,
    severity: Severity,
    message: string,
  ): void {
    const line = problemLine(source, path);
    this.add({ ...source, ...(line === undefined ? {} : { line }), severity, path, message });
  }

  /** Whether any error was added. */
  get hasErrors(): boolean {
    return this.errors > 0;
  }

  /** The non-error problems: warnings and notes, to print when work goes on. */
  get advice(): Problem[] {
    return this.list.filter((p) => p.severity !== "error");
  }

  /** Throws an {@link InputError} carrying every problem when any of them is an error. */
  throwIfErrors(): void {
    if (this.hasErrors) throw new InputError(this.list);
  }
}

/** Thrown when input is invalid; carries every problem found (errors, warnings and notes). */
export class InputError extends Error {
  constructor(readonly problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === "error");
    super(
      `${errors.length} problem${errors.length === 1 ? "" : "s"} in the input:\n` +
        errors.map(formatProblem).join("\n"),
    );
    this.name = "InputError";
  }
}

/**
 * One line per problem: `error: file:line (document N): path: message`.
 * Parts that are unknown are left out.
 */
export function formatProblem(problem: Problem): string {
  let where = problem.file;
  if (problem.line !== undefined) where += `:${problem.line}`;
  if (problem.document !== undefined) where += ` (document ${problem.document})`;
  const field = problem.path ? `${problem.path}: ` : "";
  return `${problem.severity}: ${where}: ${field}${problem.message}`;
}

/**
 * Problems sorted for printing: by file, document, line, then the order they were found; the one
 * counting problems not kept ({@link Problem.omitted}) last.
 */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        Number(a.p.omitted !== undefined) - Number(b.p.omitted !== undefined) ||
        a.p.file.localeCompare(b.p.file) ||
        (a.p.document ?? 0) - (b.p.document ?? 0) ||
        (a.p.line ?? 0) - (b.p.line ?? 0) ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}
