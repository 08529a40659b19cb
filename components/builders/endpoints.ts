import type { ResolvedIngress, ResolvedIntegration } from "../model/types";
import { inboundPathPrefix, servicePathPrefix, serviceName } from "./names";
import { exposedPorts } from "./ports";

/** Where users reach an integration, and how to look at it; for stack outputs and summaries. */
export interface IntegrationEndpoints {
  /** `N-service`. */
  serviceName: string;
  /** `<scheme>://<host>/N-service` when the Ingress is on; absent otherwise. */
  ingressUrl?: string;
  /** Inbound port (as a string) -> `<scheme>://<host>/N-inbound/<port>`; `{}` without Ingress. */
  inboundUrls: Record<string, string>;
  /** `kubectl port-forward -n NS service/N-service P:P` for the passthrough port P. */
  portForward: string;
  /** `kubectl logs -n NS -l integration_cr=N`. */
  logs: string;
}

/**
 * Stands in for the host when the Ingress rule has none (it then matches every host): the
 * address comes from `kubectl get ingress`.
 */
export const ANY_HOST_PLACEHOLDER = "<ingress-address>";

/**
 * The endpoints of an integration; `ingress` is the stack's resolved Ingress (or Gateway: the
 * same host and paths), absent when nothing routes to it.
 */
export function integrationEndpoints(
  integration: ResolvedIntegration,
  ingress?: Pick<ResolvedIngress, "host" | "scheme">,
): IntegrationEndpoints {
  const { name, namespace } = integration;
  const { passthrough, inbound } = exposedPorts(integration);
  const service = serviceName(name);
  const base = ingress
    ? `${ingress.scheme}://${ingress.host !== "" ? ingress.host : ANY_HOST_PLACEHOLDER}`
    : undefined;
  const inboundUrls: Record<string, string> = {};
  if (base !== undefined) {
    for (const port of inbound)
      inboundUrls[String(port)] = `${base}${inboundPathPrefix(name, port)}`;
  }
  return {
    serviceName: service,
    ...(base !== undefined ? { ingressUrl: `${base}${servicePathPrefix(name)}` } : {}),
    inboundUrls,
    portForward: `kubectl port-forward -n ${namespace} service/${service} ${passthrough}:${passthrough}`,
    logs: `kubectl logs -n ${namespace} -l integration_cr=${name}`,
  };
}
