/**
 * A stack's `patches`: the escape hatch for what no setting models. Each entry selects objects by
 * kind and integration (globs) and changes them with an RFC 6902 JSON Patch (`jsonPatch`) or an
 * RFC 7396 JSON merge patch (`mergePatch`); the builders apply them, so render, plan and the
 * program see the same objects.
 */
import type * as JsonPatch from "fast-json-patch";
import {
  type At,
  checkFields,
  checkRequired,
  checkString,
  childAt,
  describeValue,
  isMapping,
  itemAt,
  oneOf,
  report,
  suggestion,
} from "../rules";
import type { ObjectPatch } from "../types";

/** The kinds the builders make, which a patch may select. */
export const PATCHABLE_KINDS = [
  "Deployment",
  "Service",
  "HorizontalPodAutoscaler",
  "PodDisruptionBudget",
  "ConfigMap",
  "ServiceMonitor",
  "HTTPRoute",
  "Ingress",
  "Namespace",
] as const;

/** `wso2-mi:patches` (`at` is its key): a list of patches, each checked. */
export function parsePatches(value: unknown, at: At): ObjectPatch[] | undefined {
  if (!Array.isArray(value)) {
    report(at, `expected a list of patches, got ${describeValue(value)}`);
    return undefined;
  }
  const out: ObjectPatch[] = [];
  let ok = true;
  value.forEach((item, i) => {
    const patch = parsePatch(item, itemAt(at, i));
    if (patch === undefined) ok = false;
    else out.push(patch);
  });
  return ok ? out : undefined;
}

function parsePatch(value: unknown, at: At): ObjectPatch | undefined {
  const fields = checkFields(value, at, ["kind", "integrations", "jsonPatch", "mergePatch"]);
  if (fields === undefined || !checkRequired(fields, at, ["kind"])) return undefined;
  const errors = at.problems.errorCount;
  const kind = checkString(fields.kind, childAt(at, "kind"));
  if (kind !== undefined && !(PATCHABLE_KINDS as readonly string[]).includes(kind)) {
    report(
      childAt(at, "kind"),
      `expected ${oneOf(PATCHABLE_KINDS)}, got ${JSON.stringify(kind)}${suggestion(kind, PATCHABLE_KINDS)}`,
    );
  }
  let integrations: string[] | undefined;
  if (fields.integrations !== undefined) {
    const here = childAt(at, "integrations");
    const list =
      typeof fields.integrations === "string" ? [fields.integrations] : fields.integrations;
    if (!Array.isArray(list) || list.some((g) => typeof g !== "string" || g === "")) {
      report(here, 'expected a glob such as "orders-*", or a list of them');
    } else {
      integrations = list as string[];
    }
  }
  const { jsonPatch, mergePatch } = fields;
  if ((jsonPatch === undefined) === (mergePatch === undefined)) {
    report(at, "expected exactly one of jsonPatch (RFC 6902 operations) and mergePatch (RFC 7396)");
    return undefined;
  }
  if (mergePatch !== undefined && !isMapping(mergePatch)) {
    report(childAt(at, "mergePatch"), `expected a mapping, got ${describeValue(mergePatch)}`);
  }
  if (jsonPatch !== undefined) {
    const here = childAt(at, "jsonPatch");
    if (!Array.isArray(jsonPatch) || jsonPatch.length === 0) {
      report(here, "expected a list of operations such as {op: add, path: /spec/x, value: 1}");
    } else {
      // Loaded only for a stack that has a JSON Patch: render without one never loads it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { validate } = require("fast-json-patch") as typeof JsonPatch;
      const problem = validate(jsonPatch as JsonPatch.Operation[]);
      if (problem !== undefined) {
        const index = problem.index ?? 0;
        report(itemAt(here, index), `not an RFC 6902 operation: ${firstLine(problem.message)}`);
      }
    }
  }
  if (at.problems.errorCount > errors || kind === undefined) return undefined;
  return {
    at: at.path,
    kind,
    ...(integrations !== undefined ? { integrations } : {}),
    ...(jsonPatch !== undefined ? { jsonPatch: jsonPatch as ObjectPatch["jsonPatch"] } : {}),
    ...(isMapping(mergePatch) ? { mergePatch } : {}),
  };
}

/** The first line of a library's message (fast-json-patch appends the operation and tree). */
export function firstLine(message: string): string {
  return message.split("\n")[0].trim();
}
