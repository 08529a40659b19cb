/**
 * How a stack's `kubernetes` settings and `createNamespace` reach Pulumi: an explicit Kubernetes
 * provider, readiness timeouts, and the Namespace every object of a created namespace waits for.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { usesExplicitProvider } from "./model/settings/kubernetes";
import type { KubernetesSettings } from "./model/types";

/** The logical name of the explicit provider: its URN ends in `pulumi:providers:kubernetes::kubernetes`. */
export const PROVIDER_NAME = "kubernetes";

/** The type token of a Kubernetes Namespace. */
export const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

/**
 * The explicit Kubernetes provider `kubernetes` (`context`, `serverSideApply`) the stack's
 * settings ask for; undefined when they set neither, and Pulumi's default provider (configured by
 * the stack's `kubernetes:` keys) is used.
 */
export function kubernetesProvider(
  settings: KubernetesSettings | undefined,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider | undefined {
  if (settings === undefined || !usesExplicitProvider(settings)) return undefined;
  const args: k8s.ProviderArgs = {};
  if (settings.context !== undefined) args.context = settings.context;
  if (settings.serverSideApply !== undefined) args.enableServerSideApply = settings.serverSideApply;
  return new k8s.Provider(PROVIDER_NAME, args, opts);
}

/** `readinessTimeoutSeconds` as the create and update timeouts of a resource; undefined without it. */
export function readinessTimeouts(
  settings: KubernetesSettings | undefined,
): pulumi.CustomTimeouts | undefined {
  const seconds = settings?.readinessTimeoutSeconds;
  if (seconds === undefined) return undefined;
  return { create: `${seconds}s`, update: `${seconds}s` };
}

/** The namespace an object's inputs name, if any. */
function namespaceOf(props: pulumi.Inputs): string | undefined {
  const metadata: unknown = props.metadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const namespace = (metadata as { namespace?: unknown }).namespace;
  return typeof namespace === "string" ? namespace : undefined;
}

/** `dependsOn` (a resource or a list of them) and `resource`. */
function withDependency(
  dependsOn: pulumi.ResourceOptions["dependsOn"],
  resource: pulumi.Resource,
): pulumi.ResourceOptions["dependsOn"] {
  if (dependsOn === undefined) return [resource];
  if (Array.isArray(dependsOn)) return [...dependsOn, resource];
  if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn, resource];
  // The components create their children with plain options; nothing passes a promised list.
  throw new Error("a Kubernetes object's dependsOn is not a list of resources");
}

/**
 * A transformation for a component's Kubernetes descendants (Pulumi applies a component's
 * transformations to every resource below it): `timeouts` as their `customTimeouts`, and a
 * `dependsOn` on the Namespace in `namespaces` (filled as they are created) that holds them.
 */
export function kubernetesChildren(
  timeouts: pulumi.CustomTimeouts | undefined,
  namespaces: ReadonlyMap<string, pulumi.Resource>,
): pulumi.ResourceTransformation {
  return ({ type, props, opts }) => {
    if (!type.startsWith("kubernetes:")) return undefined;
    const out: pulumi.ResourceOptions = { ...opts };
    if (timeouts !== undefined) out.customTimeouts = { ...timeouts, ...opts.customTimeouts };
    const namespace = type === NAMESPACE_TYPE ? undefined : namespaceOf(props);
    const holder = namespace === undefined ? undefined : namespaces.get(namespace);
    if (holder !== undefined) out.dependsOn = withDependency(opts.dependsOn, holder);
    return { props, opts: out };
  };
}
