/** Helpers for the spec tests: a place to check values at, and the formatted problems. */
import { Problems, formatProblem } from "../../components/model/problems";
import type { At } from "../../components/model/rules";

/** A fresh problem list and a place inside `file` (default `x.yaml`) at `path`. */
export function place(path: string, file = "x.yaml"): At {
  return { source: { file }, path, problems: new Problems() };
}

/** Every problem reported at `at`, formatted as users see them. */
export function reported(at: At | Problems): string[] {
  const problems = at instanceof Problems ? at : at.problems;
  return problems.list.map(formatProblem);
}
