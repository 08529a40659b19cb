/**
 * The input's warnings and notes in a plan, so that they reach the reviewer where the plan is
 * read (a pull request comment, a tool reading the JSON), not only the job's stderr.
 */
import { sortProblems, type Problem } from "../../components/model/problems";

/** A problem as the JSON plan holds it. */
export interface PlanProblem {
  severity: Problem["severity"];
  /** The file, relative to the project. */
  file: string;
  /** The 1-based line, when known. */
  line?: number;
  /** The YAML document of a multi-document file (1-based), when it has several. */
  document?: number;
  /** The field, e.g. `spec.env[DB_PASSWORD].value`; absent for the whole file. */
  field?: string;
  message: string;
}

/** `problems` in print order, as the JSON plan holds them. */
export function planProblems(problems: readonly Problem[]): PlanProblem[] {
  return sortProblems(problems).map((problem) => ({
    severity: problem.severity,
    file: problem.file,
    ...(problem.line === undefined ? {} : { line: problem.line }),
    ...(problem.document === undefined ? {} : { document: problem.document }),
    ...(problem.path === undefined ? {} : { field: problem.path }),
    message: problem.message,
  }));
}

/** `2 warnings and 1 note`: how many problems of each severity, for a heading. */
export function problemCounts(problems: readonly Problem[]): string {
  const parts: string[] = [];
  for (const severity of ["error", "warning", "note"] as const) {
    const count = problems.filter((p) => p.severity === severity).length;
    if (count > 0) parts.push(`${count} ${severity}${count === 1 ? "" : "s"}`);
  }
  return parts.length <= 1
    ? parts.join("")
    : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
