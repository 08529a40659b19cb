/**
 * The stack's `patches`, applied to the objects the builders made: what no setting models. An
 * RFC 6902 JSON Patch is applied by fast-json-patch; an RFC 7396 merge patch by the RFC's own
 * algorithm. A patch that cannot apply, that renames or moves its object, or whose result the
 * kind's schema refuses, is a problem naming the stack file, the patch and the object.
 */
import type * as JsonPatch from "fast-json-patch";
import { InputError, Problems } from "../model/problems";
import { isMapping } from "../model/rules";
import { firstLine } from "../model/settings/patches";
import type { ObjectPatch, ResolvedIntegration, ResolvedStack } from "../model/types";

/** An object the builders made: what a patch may change. */
interface Patchable {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}

/** Each kind's schema check (kubernetes-models' compiled validators), run on the patched object. */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when a patch applies */
const VALIDATORS: Record<string, () => (data: object) => void> = {
  Deployment: () =>
    validator(
      (
        require("kubernetes-models/apps/v1/Deployment") as typeof import("kubernetes-models/apps/v1/Deployment")
      ).Deployment,
    ),
  Service: () =>
    validator(
      (require("kubernetes-models/v1/Service") as typeof import("kubernetes-models/v1/Service"))
        .Service,
    ),
  HorizontalPodAutoscaler: () =>
    validator(
      (
        require("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler") as typeof import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler")
      ).HorizontalPodAutoscaler,
    ),
  PodDisruptionBudget: () =>
    validator(
      (
        require("kubernetes-models/policy/v1/PodDisruptionBudget") as typeof import("kubernetes-models/policy/v1/PodDisruptionBudget")
      ).PodDisruptionBudget,
    ),
  ConfigMap: () =>
    validator(
      (require("kubernetes-models/v1/ConfigMap") as typeof import("kubernetes-models/v1/ConfigMap"))
        .ConfigMap,
    ),
  ServiceMonitor: () =>
    validator(
      (
        require("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor") as typeof import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor")
      ).ServiceMonitor,
    ),
  HTTPRoute: () =>
    validator(
      (
        require("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute") as typeof import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute")
      ).HTTPRoute,
    ),
  Ingress: () =>
    validator(
      (
        require("kubernetes-models/networking.k8s.io/v1/Ingress") as typeof import("kubernetes-models/networking.k8s.io/v1/Ingress")
      ).Ingress,
    ),
  Namespace: () =>
    validator(
      (require("kubernetes-models/v1/Namespace") as typeof import("kubernetes-models/v1/Namespace"))
        .Namespace,
    ),
};

/** fast-json-patch, loaded when a JSON Patch first applies: a render without one never loads it. */
function jsonPatchLib(): typeof JsonPatch {
  return require("fast-json-patch") as typeof JsonPatch;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** A kubernetes-models class's compiled schema check, run on a plain object. */
function validator(model: { prototype: { validate(): void } }): (data: object) => void {
  return (data) => model.prototype.validate.call(data);
}

/** A glob (`*` any run of characters, `?` one) as a regular expression over the whole text. */
function globPattern(glob: string): RegExp {
  const body = glob
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`);
}

/** Whether `patch` selects an object of `kind` owned by `integration` (none: a stack object). */
export function selects(
  patch: ObjectPatch,
  kind: string,
  integration?: Pick<ResolvedIntegration, "name" | "namespace">,
): boolean {
  if (patch.kind !== kind) return false;
  if (patch.integrations === undefined) return true;
  if (integration === undefined) return false;
  const ids = [integration.name, `${integration.namespace}/${integration.name}`];
  return patch.integrations.some((glob) => ids.some((id) => globPattern(glob).test(id)));
}

/** RFC 7396, section 2: the merge of `patch` into `target`, as the RFC's pseudocode states it. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMapping(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isMapping(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The first problem the kind's schema finds in `object`, or undefined. */
function schemaProblem(object: Patchable): string | undefined {
  try {
    VALIDATORS[object.kind]()(structuredClone(object));
    return undefined;
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    const first = errors?.[0];
    if (first === undefined) return error instanceof Error ? error.message : String(error);
    const where = first.instancePath === "" ? "the object" : first.instancePath;
    return `${where} ${first.message ?? "is invalid"}`;
  }
}

/** `object` with `patch` applied, or the reason it cannot be. */
function applyOne(
  object: Patchable,
  patch: ObjectPatch,
): { object: Patchable } | { problem: string } {
  let patched: Patchable;
  if (patch.jsonPatch !== undefined) {
    try {
      const { applyPatch } = jsonPatchLib();
      const operations = patch.jsonPatch as JsonPatch.Operation[];
      patched = applyPatch(structuredClone(object), operations, true, false).newDocument;
    } catch (error) {
      if (!(error instanceof jsonPatchLib().JsonPatchError)) throw error;
      const at = error.index === undefined ? "" : `jsonPatch[${error.index}]: `;
      return { problem: `${at}${firstLine(error.message)}` };
    }
  } else {
    patched = mergePatch(object, patch.mergePatch ?? {}) as Patchable;
  }
  const moved =
    (["apiVersion", "kind"] as const).find((f) => patched[f] !== object[f]) ??
    (["name", "namespace"] as const).find((f) => patched.metadata?.[f] !== object.metadata?.[f]);
  if (moved !== undefined) {
    return {
      problem:
        `changes ${moved === "name" || moved === "namespace" ? `metadata.${moved}` : moved}, ` +
        "which is the object's identity; a patch may change anything else",
    };
  }
  const refused = schemaProblem(patched);
  if (refused !== undefined)
    return { problem: `the result is not a valid ${object.kind}: ${refused}` };
  return { object: patched };
}

/**
 * Applies the stack's patches that select `object` (of `integration`, or of the stack when
 * absent), in the order the stack lists them; problems go to `problems` and the object is kept.
 */
export function patchObject<T extends Patchable>(
  object: T,
  stack: Pick<ResolvedStack, "patches">,
  problems: Problems,
  integration?: Pick<ResolvedIntegration, "name" | "namespace">,
): T {
  const patches = stack.patches;
  if (patches === undefined) return object;
  let current: Patchable = object;
  for (const patch of patches.list) {
    if (!selects(patch, object.kind, integration)) continue;
    const result = applyOne(current, patch);
    if ("problem" in result) {
      const id = `${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
      problems.error(patches.file, patch.at, `cannot be applied to ${id}: ${result.problem}`);
      continue;
    }
    current = result.object;
  }
  return current as T;
}

/** Throws an `InputError` with every problem when any patch failed. */
export function throwIfPatchProblems(problems: Problems): void {
  if (problems.errorCount > 0) throw new InputError(problems.list);
}
