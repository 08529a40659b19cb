/**
 * Problems found in user input: every check reports here, so that all problems are shown at once
 * and nothing is built or printed while one of them is an error.
 */

/** How bad a problem is: errors stop everything, warnings and notes are printed and work goes on. */
export type Severity = "error" | "warning" | "note";

/** Where a problem was found. */
export interface Source {
  /** The file, as the user named it (relative to the working directory where possible). */
  file: string;
  /** 1-based index of the YAML document in a multi-document file; absent for single documents. */
  document?: number;
  /** 1-based line, when known (YAML syntax errors, document starts). */
  line?: number;
}

/** One problem in the input: its place, the field and what would be right. */
export interface Problem extends Source {
  severity: Severity;
  /** Dotted field path inside the document, e.g. `spec.deploySpec.minReplicas`; absent for the file. */
  path?: string;
  /** What is wrong and what would be right, as one sentence. */
  message: string;
}

/** Collects problems; checks call {@link Problems.error}, {@link Problems.warning}, {@link Problems.note}. */
export class Problems {
  readonly list: Problem[] = [];

  add(problem: Problem): void {
    this.list.push(problem);
  }

  error(source: Source, path: string | undefined, message: string): void {
    this.add({ ...source, severity: "error", path, message });
  }

  warning(source: Source, path: string | undefined, message: string): void {
    this.add({ ...source, severity: "warning", path, message });
  }

  note(source: Source, path: string | undefined, message: string): void {
    this.add({ ...source, severity: "note", path, message });
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === "error");
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

/** Problems sorted for printing: by file, document, line, then the order they were found. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        a.p.file.localeCompare(b.p.file) ||
        (a.p.document ?? 0) - (b.p.document ?? 0) ||
        (a.p.line ?? 0) - (b.p.line ?? 0) ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}
