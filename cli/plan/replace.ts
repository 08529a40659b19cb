/** Changes Kubernetes cannot apply to an object in place: the object is deleted and created again. */
import { isWithin, type Change } from "./diff";
import { isValueMapping, type Mapping } from "./values";

/** A field that cannot change in place, for objects of one API group and kind. */
interface ImmutableField {
  group: string;
  kind: string;
  path: string;
}

/** As the Kubernetes API and Pulumi's Kubernetes provider treat them. */
const IMMUTABLE_FIELDS: ImmutableField[] = [
  { group: "apps", kind: "Deployment", path: "spec.selector" },
  { group: "apps", kind: "StatefulSet", path: "spec.selector" },
  { group: "apps", kind: "DaemonSet", path: "spec.selector" },
  { group: "", kind: "Service", path: "spec.clusterIP" },
  { group: "", kind: "Service", path: "spec.clusterIPs" },
];

/** The API group of an `apiVersion`: `apps` for `apps/v1`, "" for the core group's `v1`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/**
 * Why the change from `before` to `after` (one object, its `changes`) needs a replace, one
 * sentence per reason; empty when it can be applied in place.
 */
export function replaceReasons(
  group: string,
  kind: string,
  changes: readonly Change[],
  before: Mapping,
  after: Mapping,
): string[] {
  const reasons: string[] = [];
  for (const field of IMMUTABLE_FIELDS) {
    if (field.group !== group || field.kind !== kind) continue;
    if (changes.some((c) => isWithin(c.path, field.path))) {
      reasons.push(
        `${field.path} changed, and Kubernetes cannot change a ${kind}'s ${field.path} in place`,
      );
    }
  }
  if (group === "" && kind === "Service") {
    const [from, to] = [serviceType(before), serviceType(after)];
    if (from !== to && (from === "ExternalName" || to === "ExternalName")) {
      reasons.push(
        `spec.type changed from ${from} to ${to}: a Service of type ExternalName has no cluster IP, ` +
          "and Kubernetes cannot give or take one in place",
      );
    }
  }
  return reasons;
}

/** A Service's `spec.type`; Kubernetes' default is `ClusterIP`. */
function serviceType(service: Mapping): string {
  const type = isValueMapping(service.spec) ? service.spec.type : undefined;
  return typeof type === "string" ? type : "ClusterIP";
}

/** The reason shown for an object whose name alone changed. */
export function renameReason(from: string, to: string): string {
  return (
    `renamed from ${from}: Kubernetes cannot rename an object, ` +
    `so ${from} is deleted and ${to} created`
  );
}
