/**
 * The Kubernetes access a stack's `pulumi up` needs when it runs in the cluster as a Pulumi
 * Kubernetes Operator workspace: derived from the objects the stack renders, so that a kind the
 * builders start to produce is granted without a change here, and nothing else is.
 */
import type { Manifest } from "../common/manifests";
import { compareStrings } from "../../components/builders";

/** An API group and one of its resources (the plural a URL and an RBAC rule name). */
export interface GroupResource {
  /** `""` for the core group. */
  group: string;
  /** Lower-case plural, e.g. `deployments`. */
  resource: string;
}

/** One rule of a Role or ClusterRole, as `rbac.authorization.k8s.io/v1` writes it. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  /** Only the objects of these names; absent: every object of the resources. */
  resourceNames?: string[];
  verbs: string[];
}

/**
 * What the Kubernetes provider does to an object it manages: server-side apply (`patch`, and
 * `create` when the object is new; previews are dry runs of the same), `get` for refresh and
 * reads, `list` and `watch` for its readiness checks, `update` for the field-manager fixes and
 * `delete` when the object leaves the stack.
 */
export const WRITE_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"];

/** What a readiness check needs of the objects it only reads. */
export const READ_VERBS = ["get", "list", "watch"];

/**
 * What pulumi-kubernetes's readiness checks read besides the objects the stack manages
 * (`provider/pkg/await/`, each through an informer in the object's namespace): the events of every
 * object (`watchers.go`, `NewEventAggregator`), a Deployment's ReplicaSets, Pods and
 * PersistentVolumeClaims (`deployment.go`), a Service's Endpoints (`service.go`), an Ingress's
 * Services and Endpoints (`ingress.go`), and the Pods of StatefulSets, DaemonSets and Jobs.
 * EndpointSlices replace Endpoints (deprecated since Kubernetes 1.33) in the provider's Service
 * check once pulumi/pulumi-kubernetes#3623 lands: granted now, read-only, so that an upgrade of
 * `@pulumi/kubernetes` does not leave reconciliation waiting on a forbidden watch.
 */
export const AWAIT_READS: readonly GroupResource[] = [
  { group: "", resource: "endpoints" },
  { group: "", resource: "events" },
  { group: "", resource: "persistentvolumeclaims" },
  { group: "", resource: "pods" },
  { group: "", resource: "services" },
  { group: "apps", resource: "replicasets" },
  { group: "discovery.k8s.io", resource: "endpointslices" },
];

/**
 * Kinds the program registers with `retainOnDelete`: Pulumi never deletes them
 * (`components/integrationStack.ts`: the Namespaces of `createNamespace`), so no `delete` is
 * granted on them.
 */
export const RETAINED_KINDS: readonly string[] = ["Namespace"];

/** Kinds whose resource name is not the plural the rule below makes of the kind. */
const IRREGULAR_RESOURCES: Record<string, string> = {
  Endpoints: "endpoints",
};

/**
 * The resource of a kind, as the API server names it: lower case, plural as Kubernetes'
 * built-in kinds and CRD generators make it (`Ingress` → `ingresses`, `NetworkPolicy` →
 * `networkpolicies`, `Gateway` → `gateways`), with the irregular ones listed.
 */
export function resourceOfKind(kind: string): string {
  const irregular = IRREGULAR_RESOURCES[kind];
  if (irregular !== undefined) return irregular;
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The API group of an `apiVersion`: `apps/v1` → `apps`, `v1` → `""`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/** What the stack's objects need, per namespace and cluster-wide. */
export interface StackAccess {
  /** Each namespace the stack deploys to, sorted, with the resources it writes there, sorted. */
  namespaces: { namespace: string; writes: GroupResource[] }[];
  /** Cluster-scoped objects (Namespaces with `createNamespace`), per resource, names sorted. */
  cluster: { kind: string; resource: GroupResource; names: string[] }[];
}

function compareResources(a: GroupResource, b: GroupResource): number {
  return compareStrings(a.group, b.group) || compareStrings(a.resource, b.resource);
}

function key(resource: GroupResource): string {
  return `${resource.group}/${resource.resource}`;
}

/** The access the objects need: every object's resource, in its namespace or cluster-wide. */
export function stackAccess(objects: readonly Manifest[]): StackAccess {
  const namespaced = new Map<string, Map<string, GroupResource>>();
  const cluster = new Map<string, { kind: string; resource: GroupResource; names: Set<string> }>();
  for (const object of objects) {
    const resource = { group: groupOf(object.apiVersion), resource: resourceOfKind(object.kind) };
    const namespace = object.metadata?.namespace;
    if (namespace === undefined) {
      const entry = cluster.get(key(resource)) ?? { kind: object.kind, resource, names: new Set() };
      entry.names.add(object.metadata?.name ?? "");
      cluster.set(key(resource), entry);
    } else {
      const writes = namespaced.get(namespace) ?? new Map<string, GroupResource>();
      writes.set(key(resource), resource);
      namespaced.set(namespace, writes);
    }
  }
  return {
    namespaces: [...namespaced.keys()].sort(compareStrings).map((namespace) => ({
      namespace,
      writes: [...(namespaced.get(namespace)?.values() ?? [])].sort(compareResources),
    })),
    cluster: [...cluster.values()]
      .sort((a, b) => compareResources(a.resource, b.resource))
      .map(({ kind, resource, names }) => ({
        kind,
        resource,
        names: [...names].sort(compareStrings),
      })),
  };
}

/** One rule per API group (sorted) for `resources` with `verbs`. */
function rulesByGroup(resources: readonly GroupResource[], verbs: string[]): PolicyRule[] {
  const groups = new Map<string, string[]>();
  for (const r of [...resources].sort(compareResources)) {
    groups.set(r.group, [...(groups.get(r.group) ?? []), r.resource]);
  }
  return [...groups.entries()].map(([group, names]) => ({
    apiGroups: [group],
    resources: names,
    verbs: [...verbs],
  }));
}

/**
 * The rules of a namespace's Role: {@link WRITE_VERBS} on the resources the stack writes there,
 * and {@link READ_VERBS} on the {@link AWAIT_READS} it does not write.
 */
export function namespaceRules(writes: readonly GroupResource[]): PolicyRule[] {
  const written = new Set(writes.map(key));
  const reads = AWAIT_READS.filter((r) => !written.has(key(r)));
  return [...rulesByGroup(writes, WRITE_VERBS), ...rulesByGroup(reads, READ_VERBS)];
}

/**
 * The rules of the ClusterRole for cluster-scoped objects: `create`, `list` and `watch` on the
 * resource (a name cannot restrict them: a create is authorized before the object has one, and
 * readiness checks watch the whole resource), `get`, `patch` and `update` on the stack's objects
 * by name only, and `delete` by name unless the program never deletes the kind
 * ({@link RETAINED_KINDS}). So `createNamespace` can create and label its own Namespaces, and no
 * other.
 */
export function clusterRules(cluster: StackAccess["cluster"]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const { kind, resource, names } of cluster) {
    const base = { apiGroups: [resource.group], resources: [resource.resource] };
    rules.push({ ...base, verbs: ["create", "list", "watch"] });
    const byName = RETAINED_KINDS.includes(kind)
      ? ["get", "patch", "update"]
      : ["delete", "get", "patch", "update"];
    rules.push({ ...base, resourceNames: [...names], verbs: byName });
  }
  return rules;
}
