/**
 * The plan between two sets of Kubernetes objects: which are created, updated, replaced, deleted
 * or unchanged, each object identified by API group, kind, namespace and name.
 */
import { compareStrings } from "../../components/model/rules/order";
import { diffValues, type Change } from "./diff";
import { apiGroup, renameReason, replaceReasons } from "./replace";
import { retainReason } from "./retain";
import { equalValues, isValueMapping, maskSecrets, type Mapping } from "./values";

/** What happens to an object. */
export type Action = "create" | "update" | "replace" | "delete" | "unchanged";

/** One object in a plan. */
export interface PlanEntry {
  action: Action;
  /** The `apiVersion` after the change (before it, for a delete). */
  apiVersion: string;
  kind: string;
  /** null for a cluster-scoped object. */
  namespace: string | null;
  /** The name after the change (before it, for a delete). */
  name: string;
  /** For updates and replaces: every changed field. */
  changes?: Change[];
  /** For replaces: why the object cannot be changed in place. */
  reason?: string;
  /**
   * For deletes of objects the program registers with `retainOnDelete` (Namespaces): why the
   * cluster keeps the object (Pulumi's `delete[retain]`). Absent for every other entry.
   */
  retain?: string;
  /** For creates and deletes: the whole object, secrets masked. */
  object?: Mapping;
  /**
   * Only in plans against live objects, on every update: whether the update changes the pod
   * template, so that every pod is replaced once (a rolling update). Absent otherwise.
   */
  rollsPods?: boolean;
  /**
   * Only in plans against live objects: the `apiVersion` the live object was exported as, when
   * it is another version of the same object (`autoscaling/v2beta2` for `autoscaling/v2`).
   */
  liveApiVersion?: string;
  /** Only in plans against live objects: what a reviewer should know about the object. */
  note?: string;
}

/**
 * An object of a live export that the stack does not manage: Pulumi neither adopts nor deletes
 * it, so it stays in the cluster as it is.
 */
export interface UnmanagedEntry {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** Why it matters, when it does (a ConfigMap the stack's pods mount, an integration with no CR). */
  note?: string;
}

/** Every object of both sides, by what happens to it; each list sorted by namespace, name, kind. */
export interface Plan {
  create: PlanEntry[];
  update: PlanEntry[];
  replace: PlanEntry[];
  delete: PlanEntry[];
  /** Also the objects whose only differences are kept fields (`changes`, each `kept`). */
  unchanged: PlanEntry[];
  /** Only in plans against live objects: the live objects the stack leaves as they are. */
  unmanaged?: UnmanagedEntry[];
}

/** How {@link computePlan} pairs objects. */
export interface PlanOptions {
  /**
   * Pair a delete and a create of the same content under another name as one replace. Default:
   * true. Off against live objects, where Pulumi deletes nothing it does not manage.
   */
  pairRenames?: boolean;
}

/** The actions that change something, in the order plans count them. */
export const CHANGE_ACTIONS = ["create", "update", "replace", "delete"] as const;

interface Identified {
  group: string;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  object: Mapping;
}

/**
 * Compares `before` with `after` (Kubernetes objects: `apiVersion`, `kind`, `metadata.name`, as
 * render writes them). Env values with secret-looking names are masked in everything the plan
 * holds. An object whose name alone changed (same group, kind, namespace and content) is one
 * replace. Throws when an object has no identity or two objects share one: check input first.
 */
export function computePlan(
  before: readonly unknown[],
  after: readonly unknown[],
  options: PlanOptions = {},
): Plan {
  const old = index(before);
  const now = index(after);
  const plan: Plan = { create: [], update: [], replace: [], delete: [], unchanged: [] };
  for (const [id, b] of old) {
    const a = now.get(id);
    if (a === undefined) {
      const retain = retainReason(b.group, b.kind);
      plan.delete.push(
        entry("delete", b, { object: b.object, ...(retain === undefined ? {} : { retain }) }),
      );
      continue;
    }
    const changes = diffValues(b.object, a.object);
    const reasons = replaceReasons(a.group, a.kind, changes, b.object, a.object);
    if (changes.length === 0) plan.unchanged.push(entry("unchanged", a, {}));
    else if (reasons.length === 0) plan.update.push(entry("update", a, { changes }));
    else plan.replace.push(entry("replace", a, { changes, reason: reasons.join("; ") }));
  }
  for (const [id, a] of now) {
    if (!old.has(id)) plan.create.push(entry("create", a, { object: a.object }));
  }
  if (options.pairRenames ?? true) pairRenames(plan);
  for (const list of Object.values(plan) as PlanEntry[][]) list.sort(compareEntries);
  return plan;
}

/** Every entry that changes something, in one list sorted by namespace, name and kind. */
export function changedEntries(plan: Plan): PlanEntry[] {
  return CHANGE_ACTIONS.flatMap((action) => plan[action]).sort(compareEntries);
}

/**
 * Every entry a plan shows: those that change something and the unchanged ones that carry kept
 * fields, in one list sorted by namespace, name and kind.
 */
export function shownEntries(plan: Plan): PlanEntry[] {
  const kept = plan.unchanged.filter((e) => (e.changes?.length ?? 0) > 0);
  return [...changedEntries(plan), ...kept].sort(compareEntries);
}

/**
 * `Plan: N to create, N to update, N to replace, N to delete, N unchanged.`, and against live
 * objects `...; N left as they are (not managed by the stack).`
 */
export function planSummary(plan: Plan): string {
  const counts = CHANGE_ACTIONS.map((action) => `${plan[action].length} to ${action}`);
  const line = `Plan: ${counts.join(", ")}, ${plan.unchanged.length} unchanged`;
  if (plan.unmanaged === undefined) return `${line}.`;
  return `${line}; ${plan.unmanaged.length} left as they are (not managed by the stack).`;
}

/** Whether the plan changes anything. */
export function hasChanges(plan: Plan): boolean {
  return CHANGE_ACTIONS.some((action) => plan[action].length > 0);
}

function identify(raw: unknown): Identified {
  const object = maskSecrets(raw);
  const metadata = isValueMapping(object) ? object.metadata : undefined;
  const name = isValueMapping(metadata) ? metadata.name : undefined;
  const namespace = isValueMapping(metadata) ? (metadata.namespace ?? null) : null;
  if (
    !isValueMapping(object) ||
    typeof object.apiVersion !== "string" ||
    typeof object.kind !== "string" ||
    typeof name !== "string" ||
    (namespace !== null && typeof namespace !== "string")
  ) {
    throw new Error("a Kubernetes object needs apiVersion, kind and metadata.name");
  }
  const { apiVersion, kind } = object;
  return { group: apiGroup(apiVersion), apiVersion, kind, namespace, name, object };
}

/** API group, kind, namespace and name as one string: what makes two versions the same object. */
export function identityKey(o: {
  group: string;
  kind: string;
  namespace: string | null;
  name: string;
}): string {
  return JSON.stringify([o.group, o.kind, o.namespace, o.name]);
}

function index(objects: readonly unknown[]): Map<string, Identified> {
  const out = new Map<string, Identified>();
  for (const raw of objects) {
    const object = identify(raw);
    const key = identityKey(object);
    if (out.has(key)) {
      throw new Error(`two objects are ${object.kind} ${object.namespace}/${object.name}`);
    }
    out.set(key, object);
  }
  return out;
}

function entry(action: Action, o: Identified, extra: Partial<PlanEntry>): PlanEntry {
  const { apiVersion, kind, namespace, name } = o;
  return { action, apiVersion, kind, namespace, name, ...extra };
}

/** The object without `metadata.name`, to find objects that were only renamed. */
function withoutName(object: Mapping): Mapping {
  const metadata = isValueMapping(object.metadata) ? { ...object.metadata } : {};
  delete metadata.name;
  return { ...object, metadata };
}

/**
 * A delete and a create of the same content under another name become one replace; a retained
 * object stays a delete, since the cluster keeps the old one.
 */
function pairRenames(plan: Plan): void {
  for (const deleted of plan.delete.filter((d) => d.retain === undefined)) {
    const from = deleted.object ?? {};
    const created = plan.create.find(
      (c) =>
        apiGroup(c.apiVersion) === apiGroup(deleted.apiVersion) &&
        c.kind === deleted.kind &&
        c.namespace === deleted.namespace &&
        equalValues(withoutName(c.object ?? {}), withoutName(from)),
    );
    if (created === undefined) continue;
    plan.delete.splice(plan.delete.indexOf(deleted), 1);
    plan.create.splice(plan.create.indexOf(created), 1);
    const changes: Change[] = [
      { path: "metadata.name", before: deleted.name, after: created.name },
    ];
    const reason = renameReason(deleted.name, created.name);
    const { apiVersion, kind, namespace, name } = created;
    plan.replace.push({ action: "replace", apiVersion, kind, namespace, name, changes, reason });
  }
}

/** The order of every plan list: namespace, name, kind, apiVersion. */
export function compareEntries(
  a: Pick<PlanEntry, "namespace" | "name" | "kind" | "apiVersion">,
  b: Pick<PlanEntry, "namespace" | "name" | "kind" | "apiVersion">,
): number {
  return (
    compareStrings(a.namespace ?? "", b.namespace ?? "") ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.apiVersion, b.apiVersion)
  );
}

/** How an entry's object is named in every format: `namespace/name`, or `name` when cluster-scoped. */
export function entryName(entry: Pick<PlanEntry, "namespace" | "name">): string {
  return entry.namespace === null ? entry.name : `${entry.namespace}/${entry.name}`;
}
