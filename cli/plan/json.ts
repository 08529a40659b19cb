/** The plan as JSON, for tools: `{create, update, replace, delete, unchanged, problems}`. */
import type { Problem } from "../../components/model/problems";
import type { Plan, PlanEntry } from "./compute";
import { planProblems } from "./problems";

/**
 * `{create, update, replace, delete, unchanged}`, each a list of `{apiVersion, kind, namespace,
 * name}` (namespace null when cluster-scoped); updates and replaces also have `changes`
 * (`{path, before, after}`, `before` absent for an added field, `after` for a removed one),
 * replaces a `reason`, deletes the cluster keeps (Namespaces) a `retain`. Secret values are
 * `"[secret]"`. Against live objects (`plan --live`) also: `rollsPods` (boolean) on every update,
 * `kept: true` (and a `note` when it matters) on changes the cluster keeps, such changes on
 * unchanged objects too, `liveApiVersion` and `note` where they apply, and `unmanaged`: the live
 * objects left as they are (`{apiVersion, kind, namespace, name, note?}`). `problems` holds the
 * input's warnings and notes (`{severity, file, line?, document?, field?, message}`, see
 * {@link planProblems}); default none.
 */
export function formatJson(plan: Plan, problems: readonly Problem[] = []): string {
  const lists = {
    create: plan.create.map(jsonEntry),
    update: plan.update.map(jsonEntry),
    replace: plan.replace.map(jsonEntry),
    delete: plan.delete.map(jsonEntry),
    unchanged: plan.unchanged.map(jsonEntry),
    ...(plan.unmanaged === undefined ? {} : { unmanaged: plan.unmanaged }),
    problems: planProblems(problems),
  };
  return `${JSON.stringify(lists, null, 2)}\n`;
}

function jsonEntry(entry: PlanEntry): object {
  const { apiVersion, kind, namespace, name, reason, retain, changes } = entry;
  const { rollsPods, liveApiVersion, note } = entry;
  return {
    apiVersion,
    kind,
    namespace,
    name,
    ...(liveApiVersion === undefined ? {} : { liveApiVersion }),
    ...(rollsPods === undefined ? {} : { rollsPods }),
    ...(note === undefined ? {} : { note }),
    ...(reason === undefined ? {} : { reason }),
    ...(retain === undefined ? {} : { retain }),
    ...(changes === undefined ? {} : { changes }),
  };
}
