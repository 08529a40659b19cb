/**
 * The plan of a stack against the live objects the operator made (`plan --live`): what the first
 * `pulumi up` after adopting them changes, reviewed offline. Built on {@link computePlan}, with
 * the live objects as the before side; then each change is weighed as server-side apply applies
 * it: fields the API server defaulted are not changes, fields only the live object has are kept,
 * and the live objects the stack does not manage are left as they are.
 */
import { childPath, quantityValue } from "../../components/model/rules";
import {
  compareEntries,
  computePlan,
  entryName,
  identityKey,
  type Plan,
  type PlanEntry,
  type UnmanagedEntry,
} from "./compute";
import type { Change } from "./diff";
import { exportCommand, textOf, type LiveObject } from "./liveRead";
import {
  listsOnPath,
  matchesPattern,
  pathSteps,
  valueAt,
  withinPattern,
  type Step,
} from "./livePaths";
import {
  ATOMIC_MAPS,
  defaultsOf,
  INGRESS_CLASS_ANNOTATION_PATH,
  ingressClassNote,
  MERGED_LISTS,
} from "./liveRules";
import { apiGroup, replaceReasons } from "./replace";
import { equalValues, isValueMapping, type Mapping, type Value } from "./values";

/** A plan against live objects, and what the reviewer should read beside it (for stderr). */
export interface LivePlan {
  plan: Plan;
  /** Objects still owned by Integration CRs, stack namespaces with no live object. */
  warnings: string[];
  /** Live objects of namespaces the stack does not deploy to, not compared. */
  notes: string[];
}

/** Objects every namespace (or cluster) has, which no stack manages and no one leaves behind. */
function isSystemObject(kind: string, namespace: string | null, name: string): boolean {
  return (
    (kind === "ConfigMap" && name === "kube-root-ca.crt") ||
    (kind === "Service" && namespace === "default" && name === "kubernetes")
  );
}

interface Named {
  kind: string;
  namespace: string | null;
  name: string;
  group: string;
}

function named(object: Mapping): Named {
  const metadata = isValueMapping(object.metadata) ? object.metadata : {};
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : null;
  return {
    kind: object.kind as string,
    namespace,
    name: metadata.name as string,
    group: apiGroup(object.apiVersion as string),
  };
}

function plain(object: unknown): Mapping {
  return JSON.parse(JSON.stringify(object)) as Mapping;
}

/**
 * Compares `live` (read by `readLiveFiles`) with the stack's objects `stack`. Live objects of
 * namespaces the stack does not deploy to are left out (a note says so); in its namespaces, live
 * objects it does not manage are `unmanaged`, never deletes. Every update says whether it rolls
 * pods; changes are weighed by {@link weighChange}.
 */
export function computeLivePlan(live: readonly LiveObject[], stack: readonly unknown[]): LivePlan {
  const stackObjects = stack.map(plain);
  const namespaces = new Set<string>();
  for (const object of stackObjects) {
    const { kind, namespace, name } = named(object);
    if (namespace !== null) namespaces.add(namespace);
    if (kind === "Namespace") namespaces.add(name);
  }
  const warnings: string[] = [];
  const notes: string[] = [];
  const outside = new Map<string, number>();
  const compared: LiveObject[] = [];
  for (const object of live) {
    const { kind, namespace, name } = named(object.object);
    if (isSystemObject(kind, namespace, name)) continue;
    if (namespace !== null && !namespaces.has(namespace)) {
      outside.set(namespace, (outside.get(namespace) ?? 0) + 1);
      continue;
    }
    compared.push(object);
  }
  for (const [namespace, count] of [...outside].sort()) {
    notes.push(
      `${count} live object${count === 1 ? "" : "s"} of namespace ${namespace} not compared: ` +
        `the stack deploys only to ${[...namespaces].sort().join(", ") || "no namespace"}`,
    );
  }
  const liveNamespaces = new Set(compared.map((o) => named(o.object).namespace));
  for (const namespace of [...namespaces].sort()) {
    if (!liveNamespaces.has(namespace)) {
      warnings.push(
        `no live object of namespace ${namespace} was given, so every object the stack deploys ` +
          `there shows as a create; export them: ${exportCommand(namespace)} > ${namespace}.yaml ` +
          `and add --live ${namespace}.yaml`,
      );
    }
  }
  warnings.push(...ownerWarnings(compared));

  // Namespaces the stack creates exist when live objects are in them: compared by presence.
  const liveByKey = new Map(compared.map((o) => [identityKey(named(o.object)), o]));
  const presentNamespaces = stackObjects.filter((o) => {
    const n = named(o);
    return n.kind === "Namespace" && !liveByKey.has(identityKey(n)) && liveNamespaces.has(n.name);
  });
  const plan = computePlan(
    compared.map((o) => o.object),
    stackObjects.filter((o) => !presentNamespaces.includes(o)),
    { pairRenames: false },
  );
  for (const ns of presentNamespaces) {
    plan.unchanged.push({
      action: "unchanged",
      apiVersion: ns.apiVersion as string,
      kind: "Namespace",
      namespace: null,
      name: named(ns).name,
      note: "exists (the export holds objects in it); compared by its presence only",
    });
  }

  const stackByKey = new Map(stackObjects.map((o) => [identityKey(named(o)), o]));
  const hpaTargets = new Set(
    stackObjects
      .filter((o) => o.kind === "HorizontalPodAutoscaler")
      .map((o) => {
        const spec = isValueMapping(o.spec) ? o.spec : {};
        const ref = isValueMapping(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
        return `${named(o).namespace}/${textOf(ref.name)}`;
      }),
  );

  const weighed: Plan = {
    create: plan.create,
    update: [],
    replace: [],
    delete: [],
    unchanged: plan.unchanged,
    unmanaged: [],
  };
  for (const entry of [...plan.update, ...plan.replace]) {
    const key = identityKey({ ...entry, group: apiGroup(entry.apiVersion) });
    const liveObject = liveByKey.get(key);
    const stackObject = stackByKey.get(key);
    if (liveObject === undefined || stackObject === undefined) continue;
    const context: Context = {
      kind: entry.kind,
      live: liveObject.object,
      stack: stackObject,
      scaledByHpa:
        entry.kind === "Deployment" && hpaTargets.has(`${entry.namespace}/${entry.name}`),
    };
    const changes = (entry.changes ?? []).flatMap((c) => weighChange(c, context));
    for (const change of changes) {
      if (
        change.kept === true &&
        matchesPattern(INGRESS_CLASS_ANNOTATION_PATH, pathSteps(change.path))
      ) {
        change.note = ingressClassNote(entry.namespace, entry.name);
      }
    }
    const applied = changes.filter((c) => c.kept !== true);
    const { apiVersion, kind, namespace, name } = entry;
    const base: PlanEntry = { action: "unchanged", apiVersion, kind, namespace, name };
    if (liveObject.exportedAs !== undefined) base.liveApiVersion = liveObject.exportedAs;
    if (changes.length > 0) base.changes = changes;
    if (applied.length === 0) {
      weighed.unchanged.push(base);
      continue;
    }
    const reasons = replaceReasons(
      apiGroup(apiVersion),
      kind,
      applied,
      liveObject.object,
      stackObject,
    );
    if (reasons.length > 0) {
      weighed.replace.push({ ...base, action: "replace", reason: reasons.join("; ") });
      continue;
    }
    const rollsPods =
      kind === "Deployment" && applied.some((c) => withinPattern(TEMPLATE, pathSteps(c.path)));
    weighed.update.push({ ...base, action: "update", rollsPods });
  }
  for (const entry of plan.unchanged) {
    const liveObject = liveByKey.get(identityKey({ ...entry, group: apiGroup(entry.apiVersion) }));
    if (liveObject?.exportedAs !== undefined) entry.liveApiVersion = liveObject.exportedAs;
  }
  const unmanagedObjects = plan.delete.map((entry) => {
    const liveObject = liveByKey.get(identityKey({ ...entry, group: apiGroup(entry.apiVersion) }));
    return { entry, object: liveObject?.object ?? {} };
  });
  weighed.unmanaged = unmanagedObjects.map(({ entry, object }) =>
    unmanagedEntry(entry, object, stackObjects),
  );
  for (const create of weighed.create) {
    const other = ingressOverlap(create, stackByKey, unmanagedObjects);
    if (other === undefined) continue;
    create.note =
      `the live Ingress ${entryName(other)} routes the same host and paths, and ingress-nginx's ` +
      "admission webhook refuses a second Ingress with a host and path another one has: set " +
      `the stack's ingress.name to ${other.name} to adopt it instead (see the README)`;
    const left = weighed.unmanaged.find((u) => compareEntries(u, other) === 0);
    if (left !== undefined) {
      left.note = `routes the same host and paths as the stack's new Ingress ${create.name}`;
    }
  }
  for (const list of [weighed.update, weighed.replace, weighed.unchanged])
    list.sort(compareEntries);
  weighed.unmanaged.sort(compareEntries);
  return { plan: weighed, warnings, notes };
}

const TEMPLATE = pathSteps("spec.template");
const REPLICAS = pathSteps("spec.replicas");

/** What weighing a change needs to know of its object. */
interface Context {
  kind: string;
  /** The normalized live object: where its lists are, to tell merged from atomic ones. */
  live: Mapping;
  /** The stack's object: whether it sets a list or map that replaces the live one whole. */
  stack: Mapping;
  /** A Deployment whose replicas the stack's HPA owns. */
  scaledByHpa: boolean;
}

/**
 * One change of the diff (live before, stack after) as the cluster sees it, as zero or more
 * changes: none when the live value is what the API server defaults a field the stack leaves out
 * to, or empty (`{}`, `[]`, null), or two spellings of one quantity (`1000m` and `1`), or a
 * Deployment's `replicas` that the stack's HPA owns; a field only the live object has is `kept`
 * (server-side apply leaves fields another manager owns), unless it is inside a list the stack
 * replaces whole (an atomic list, such as an Ingress's rules); anything the stack sets otherwise is
 * a change. A mapping only the live object has is weighed field by field.
 */
export function weighChange(change: Change, context: Context): Change[] {
  const steps = pathSteps(change.path);
  if (change.after !== undefined) {
    if (change.before !== undefined && sameQuantity(steps, change.before, change.after)) return [];
    return [change];
  }
  if (change.before === undefined) return [];
  return weighRemoved(change.path, steps, change.before, context);
}

function weighRemoved(path: string, steps: Step[], value: Value, context: Context): Change[] {
  const left = withoutDefaults(path, steps, value, context);
  if (left === undefined) return [];
  // The stack's list replaces the live one whole: the item goes as it is.
  if (insideAtomic(steps, context)) return [{ path, before: value }];
  return [{ path, before: left, kept: true }];
}

/**
 * `value` (at `path`, only the live object has it) without what says nothing: empty values, what
 * the API server defaulted, a Deployment's replicas that the stack's HPA owns; undefined when
 * nothing is left.
 */
function withoutDefaults(
  path: string,
  steps: Step[],
  value: Value,
  context: Context,
): Value | undefined {
  if (isEmpty(value)) return undefined;
  if (context.scaledByHpa && matchesPattern(REPLICAS, steps)) return undefined;
  const defaults = defaultsOf(context.kind);
  if (defaults.some((d) => matchesPattern(d.steps, steps) && equalValues(d.value, value))) {
    return undefined;
  }
  if (!isValueMapping(value)) return value;
  const out: Mapping = {};
  for (const key of Object.keys(value)) {
    const child = childPath(path, key);
    const left = withoutDefaults(child, pathSteps(child), value[key], context);
    if (left !== undefined) out[key] = left;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Whether `steps` lies inside a list or map that server-side apply replaces whole and that the
 * stack sets: then what only the live object has there goes.
 */
function insideAtomic(steps: Step[], context: Context): boolean {
  const setByStack = (depth: number): boolean =>
    valueAt(context.stack, steps.slice(0, depth)) !== undefined;
  const inMap = ATOMIC_MAPS.some(
    (m) =>
      m.kind === context.kind &&
      m.steps.length < steps.length &&
      withinPattern(m.steps, steps) &&
      setByStack(m.steps.length),
  );
  return (
    inMap ||
    listsOnPath(context.live, steps).some(
      (list) => !MERGED_LISTS.has(list.name) && setByStack(list.depth),
    )
  );
}

function isEmpty(value: Value): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isValueMapping(value) && Object.keys(value).length === 0;
}

/** Resource quantities the API server rewrites in canonical form (`1000m` is stored as `1`). */
function sameQuantity(steps: Step[], before: Value, after: Value): boolean {
  if (typeof before !== "string" || typeof after !== "string") return false;
  const names = steps.map((s) => s.name);
  const at = names.length - 2;
  const isQuantity =
    (at >= 1 &&
      names[at - 1] === "resources" &&
      (names[at] === "requests" || names[at] === "limits")) ||
    names.at(-1) === "averageValue" ||
    (names.at(-1) === "value" && names.at(-2) === "target");
  if (!isQuantity) return false;
  const a = quantityValue(before);
  const b = quantityValue(after);
  return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-12;
}

/** One warning per namespace whose objects Integration CRs still own. */
function ownerWarnings(objects: readonly LiveObject[]): string[] {
  const byNamespace = new Map<string, string[]>();
  for (const o of objects) {
    if (o.ownedBy.length === 0) continue;
    const { kind, namespace, name } = named(o.object);
    const list = byNamespace.get(namespace ?? "") ?? [];
    list.push(`${kind} ${name}`);
    byNamespace.set(namespace ?? "", list);
  }
  return [...byNamespace].sort().map(([namespace, list]) => {
    const count = list.length;
    return (
      `${count} object${count === 1 ? " is" : "s are"} in namespace ${namespace} still owned by ` +
      `Integration CRs (metadata.ownerReferences; e.g. ${list[0]}): deleting the CRs or the ` +
      "Integration CRD deletes them; detach them first (README, Migrating from the operator, step 4)"
    );
  });
}

function labelsOf(value: Value | undefined): Mapping {
  return isValueMapping(value) ? value : {};
}

/** A live object the stack leaves as it is, with a note when it matters. */
function unmanagedEntry(
  entry: PlanEntry,
  object: Mapping,
  stack: readonly Mapping[],
): UnmanagedEntry {
  const { apiVersion, kind, namespace, name } = entry;
  const out: UnmanagedEntry = { apiVersion, kind, namespace, name };
  const note = unmanagedNote(kind, namespace, name, object, stack);
  if (note !== undefined) out.note = note;
  return out;
}

function unmanagedNote(
  kind: string,
  namespace: string | null,
  name: string,
  object: Mapping,
  stack: readonly Mapping[],
): string | undefined {
  const spec = isValueMapping(object.spec) ? object.spec : {};
  if (kind === "ConfigMap") {
    if (name === "integration-config" || name === "integration-ingress-config") {
      return "the operator's controller config; not read once the operator is gone";
    }
    const mountedBy = stack.filter(
      (o) =>
        o.kind === "Deployment" &&
        named(o).namespace === namespace &&
        JSON.stringify(o).includes(`"configMap":{"name":${JSON.stringify(name)}}`),
    );
    if (mountedBy.length > 0) {
      return `mounted by the stack's ${mountedBy.map((o) => named(o).name).join(", ")}: it stays, as the pods need it`;
    }
    return undefined;
  }
  const selector =
    kind === "Deployment"
      ? labelsOf(isValueMapping(spec.selector) ? spec.selector.matchLabels : undefined)
      : kind === "Service"
        ? labelsOf(spec.selector)
        : {};
  const target = isValueMapping(spec.scaleTargetRef) ? spec.scaleTargetRef.name : undefined;
  const integration =
    selector.app === "integration" && typeof selector.integration_cr === "string"
      ? selector.integration_cr
      : kind === "HorizontalPodAutoscaler" &&
          name.endsWith("-hpa") &&
          target === `${name.slice(0, -4)}-deployment`
        ? name.slice(0, -4)
        : undefined;
  if (integration !== undefined) {
    return (
      `the operator's, for Integration ${integration}, which the stack has no CR for: it keeps ` +
      "running unmanaged; add the CR to the stack to adopt it, or delete it by hand"
    );
  }
  return undefined;
}

/** The host and path pairs of an Ingress. */
function routes(object: Mapping | undefined): Set<string> {
  const out = new Set<string>();
  const spec = object !== undefined && isValueMapping(object.spec) ? object.spec : {};
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    if (!isValueMapping(rule) || !isValueMapping(rule.http)) continue;
    for (const p of Array.isArray(rule.http.paths) ? rule.http.paths : []) {
      if (isValueMapping(p)) out.add(`${textOf(rule.host ?? "*")}${textOf(p.path ?? "/")}`);
    }
  }
  return out;
}

/** The unmanaged live Ingress that routes a host and path a created Ingress routes, if any. */
function ingressOverlap(
  create: PlanEntry,
  stackByKey: ReadonlyMap<string, Mapping>,
  unmanaged: readonly { entry: PlanEntry; object: Mapping }[],
): PlanEntry | undefined {
  if (create.kind !== "Ingress") return undefined;
  const mine = routes(
    stackByKey.get(identityKey({ ...create, group: apiGroup(create.apiVersion) })),
  );
  return unmanaged.find(
    ({ entry, object }) =>
      entry.kind === "Ingress" &&
      entry.namespace === create.namespace &&
      [...routes(object)].some((r) => mine.has(r)),
  )?.entry;
}
