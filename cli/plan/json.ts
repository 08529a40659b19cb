/** The plan as JSON, for tools: `{create, update, replace, delete, unchanged, problems}`. */
import type { Problem } from "../../components/model/problems";
import type { Plan, PlanEntry } from "./compute";
import { planProblems } from "./problems";

/**
 * `{create, update, replace, delete, unchanged}`, each a list of `{apiVersion, kind, namespace,
 * name}` (namespace null when cluster-scoped); updates and replaces also have `changes`
 * (`{path, before, after}`, `before` absent for an added field, `after` for a removed one),
 * replaces a `reason`, deletes the cluster keeps (Namespaces) a `retain`. Secret values are
 * `"[secret]"`. `problems` holds the input's warnings and notes (`{severity, file, line?,
 * document?, field?, message}`, see {@link planProblems}); default none.
 */
export function formatJson(plan: Plan, problems: readonly Problem[] = []): string {
  const lists = {
    create: plan.create.map(jsonEntry),
    update: plan.update.map(jsonEntry),
    replace: plan.replace.map(jsonEntry),
    delete: plan.delete.map(jsonEntry),
    unchanged: plan.unchanged.map(jsonEntry),
    problems: planProblems(problems),
  };
  return `${JSON.stringify(lists, null, 2)}\n`;
}

function jsonEntry(entry: PlanEntry): object {
  const { apiVersion, kind, namespace, name, reason, retain, changes } = entry;
  return {
    apiVersion,
    kind,
    namespace,
    name,
    ...(reason === undefined ? {} : { reason }),
    ...(retain === undefined ? {} : { retain }),
    ...(changes === undefined ? {} : { changes }),
  };
}
