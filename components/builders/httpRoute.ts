import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type { ResolvedGateway, ResolvedIntegration } from "../model/types";
import {
  httpRouteName,
  inboundPathPrefix,
  selectorLabels,
  servicePathPrefix,
  serviceName,
} from "./names";
import { exposedPorts } from "./ports";

export { MAX_ROUTE_RULES } from "../model/defaults/resolve";

type Rule = NonNullable<IHTTPRoute["spec"]["rules"]>[number];

/**
 * The HTTPRoute `N-route` attached to the stack's Gateway: the URLs the Ingress serves, without
 * regular expressions or controller annotations. `PathPrefix /N-service` to the passthrough port
 * and `/N-inbound/<port>` to each inbound port, each with a `URLRewrite` filter
 * `ReplacePrefixMatch: /`, so that `/N-service/services/X` reaches `/services/X` (Extended
 * conformance: the Gateway's implementation must support it). One rule per port: removing a
 * port removes its rule.
 */
export function buildHttpRoute(
  integration: ResolvedIntegration,
  gateway: ResolvedGateway,
): IHTTPRoute {
  const { name, namespace } = integration;
  const { passthrough, inbound } = exposedPorts(integration);
  const rule = (prefix: string, port: number): Rule => ({
    matches: [{ path: { type: "PathPrefix", value: prefix } }],
    filters: [
      {
        type: "URLRewrite",
        urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } },
      },
    ],
    backendRefs: [{ name: serviceName(name), port }],
  });
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: httpRouteName(name), namespace, labels: selectorLabels(name) },
    spec: {
      parentRefs: [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: gateway.name,
          namespace: gateway.namespace,
          ...(gateway.sectionName !== undefined ? { sectionName: gateway.sectionName } : {}),
        },
      ],
      ...(gateway.host !== "" ? { hostnames: [gateway.host] } : {}),
      rules: [
        rule(servicePathPrefix(name), passthrough),
        ...inbound.map((port) => rule(inboundPathPrefix(name, port), port)),
      ],
    },
  };
}
