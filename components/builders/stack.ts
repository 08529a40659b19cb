import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { ImageDigestValue, ResolvedIntegration, ResolvedStack } from "../model/types";
import { buildIngresses } from "./ingress";
import {
  buildIntegrationObjects,
  integrationObjectList,
  type IntegrationObject,
  type IntegrationObjects,
} from "./integration";
import { buildNamespaces, withSkipAwait } from "./namespace";
import { compareStrings } from "./objects";
import { compareByNamespaceAndName } from "../model/rules/order";

/** Any object the builders produce. */
export type KubeObject = IntegrationObject | IIngress | INamespace;

/** Everything a stack deploys, as plain Kubernetes objects. */
export interface StackObjects {
  /** Sorted by namespace, then name. */
  integrations: { integration: ResolvedIntegration; objects: IntegrationObjects }[];
  /** One per namespace that has integrations, sorted by namespace; empty when the Ingress is off. */
  ingresses: IIngress[];
  /** One per namespace that has integrations, sorted, when the stack creates them; else empty. */
  namespaces: INamespace[];
}

/** The objects integrations share: the Ingresses and the Namespaces of a stack. */
export type SharedObjects = Omit<StackObjects, "integrations">;

/**
 * The objects a stack's integrations share: one Ingress per namespace (when the Ingress is on) and
 * the Namespaces it creates; with `kubernetes.skipAwait`, each carries `pulumi.com/skipAwait`, and
 * with `kubernetes.skipIngressAwait` the Ingresses do.
 */
export function buildSharedObjects(stack: ResolvedStack): SharedObjects {
  const skip = stack.kubernetes?.skipAwait === true;
  const skipIngress = skip || stack.kubernetes?.skipIngressAwait === true;
  return {
    ingresses: buildIngresses(stack).map((ingress) => withSkipAwait(ingress, skipIngress)),
    namespaces: buildNamespaces(stack).map((namespace) => withSkipAwait(namespace, skip)),
  };
}

/**
 * Builds every object of a stack; with the stack's `kubernetes.skipAwait`, each carries the
 * `pulumi.com/skipAwait` annotation. `digests` holds, keyed `NS/N`, the resolved image of each
 * integration that refreshes it (`render --resolve-images`); default: none, images as written.
 */
export function buildStackObjects(
  stack: ResolvedStack,
  digests: ReadonlyMap<string, ImageDigestValue> = new Map(),
): StackObjects {
  const skipAwait = stack.kubernetes?.skipAwait === true;
  return {
    integrations: [...stack.integrations].sort(compareByNamespaceAndName).map((integration) => {
      const digest = digests.get(`${integration.namespace}/${integration.name}`);
      const objects = buildIntegrationObjects(integration, {
        skipAwait,
        ...(digest === undefined ? {} : { digest }),
      });
      return { integration, objects };
    }),
    ...buildSharedObjects(stack),
  };
}

/**
 * Deterministic order: per namespace (sorted): its Namespace (when created), each integration's
 * objects (`integrationObjectList`; integrations sorted by name), then that namespace's Ingress.
 */
export function listObjects(objects: StackObjects): KubeObject[] {
  const namespaces = new Set<string>();
  for (const { integration } of objects.integrations) namespaces.add(integration.namespace);
  for (const ingress of objects.ingresses) namespaces.add(ingress.metadata?.namespace ?? "");
  const out: KubeObject[] = [];
  for (const namespace of [...namespaces].sort(compareStrings)) {
    out.push(...objects.namespaces.filter((object) => object.metadata?.name === namespace));
    const integrations = objects.integrations
      .filter(({ integration }) => integration.namespace === namespace)
      .sort((a, b) => compareByNamespaceAndName(a.integration, b.integration));
    for (const { objects: o } of integrations) out.push(...integrationObjectList(o));
    out.push(
      ...objects.ingresses.filter((ingress) => (ingress.metadata?.namespace ?? "") === namespace),
    );
  }
  return out;
}
