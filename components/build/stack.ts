import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { IService } from "kubernetes-models/v1/Service";
import type { ResolvedIntegration, ResolvedStack } from "../spec/types";
import { buildIngresses } from "./ingress";
import { buildIntegrationObjects, type IntegrationObjects } from "./integration";
import { compareStrings } from "./objects";
import { compareByNamespaceAndName } from "../spec/order";

/** Any object the builders produce. */
export type KubeObject = IDeployment | IService | IHorizontalPodAutoscaler | IIngress;

/** Everything a stack deploys, as plain Kubernetes objects. */
export interface StackObjects {
  /** Sorted by namespace, then name. */
  integrations: { integration: ResolvedIntegration; objects: IntegrationObjects }[];
  /** One per namespace that has integrations, sorted by namespace; empty when the Ingress is off. */
  ingresses: IIngress[];
}

/** Builds every object of a stack. */
export function buildStackObjects(stack: ResolvedStack): StackObjects {
  return {
    integrations: [...stack.integrations]
      .sort(compareByNamespaceAndName)
      .map((integration) => ({ integration, objects: buildIntegrationObjects(integration) })),
    ingresses: buildIngresses(stack),
  };
}

/**
 * Deterministic order: per namespace (sorted): each integration's Deployment, Service, HPA
 * (integrations sorted by name), then that namespace's Ingress.
 */
export function listObjects(objects: StackObjects): KubeObject[] {
  const namespaces = new Set<string>();
  for (const { integration } of objects.integrations) namespaces.add(integration.namespace);
  for (const ingress of objects.ingresses) namespaces.add(ingress.metadata?.namespace ?? "");
  const out: KubeObject[] = [];
  for (const namespace of [...namespaces].sort(compareStrings)) {
    const integrations = objects.integrations
      .filter(({ integration }) => integration.namespace === namespace)
      .sort((a, b) => compareByNamespaceAndName(a.integration, b.integration));
    for (const { objects: o } of integrations) {
      out.push(o.deployment, o.service);
      if (o.hpa) out.push(o.hpa);
    }
    out.push(
      ...objects.ingresses.filter((ingress) => (ingress.metadata?.namespace ?? "") === namespace),
    );
  }
  return out;
}
