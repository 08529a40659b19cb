import type { IHTTPIngressPath } from "kubernetes-models/networking.k8s.io/v1/HTTPIngressPath";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { IIngressRule } from "kubernetes-models/networking.k8s.io/v1/IngressRule";
import type { IIngressTLS } from "kubernetes-models/networking.k8s.io/v1/IngressTLS";
import type { ResolvedIngress, ResolvedIntegration, ResolvedStack } from "../model/types";
import { inboundPathPrefix, ingressPathPattern, servicePathPrefix, serviceName } from "./names";
import { compareStrings, sortedMap } from "./objects";
import { exposedPorts } from "./ports";

/**
 * The shared Ingresses: one per namespace that has integrations, sorted by namespace; none when
 * `stack.ingress` is absent. Paths come only from the integrations given, so removing an
 * integration or a port removes its paths (the operator only ever appended).
 */
export function buildIngresses(stack: ResolvedStack): IIngress[] {
  const ingress = stack.ingress;
  if (!ingress) return [];
  const byNamespace = new Map<string, ResolvedIntegration[]>();
  for (const integration of stack.integrations) {
    const list = byNamespace.get(integration.namespace) ?? [];
    list.push(integration);
    byNamespace.set(integration.namespace, list);
  }
  return [...byNamespace.keys()]
    .sort(compareStrings)
    .map((namespace) => buildIngress(ingress, namespace, byNamespace.get(namespace) ?? []));
}

/** One namespace's Ingress: one rule for the host, the paths of every integration given, sorted. */
export function buildIngress(
  ingress: ResolvedIngress,
  namespace: string,
  integrations: readonly ResolvedIntegration[],
): IIngress {
  const annotations = sortedMap(ingress.annotations);
  const paths = integrations
    .flatMap(ingressPaths)
    .sort((a, b) => compareStrings(a.path ?? "", b.path ?? ""));
  const rule: IIngressRule = {
    ...(ingress.host !== "" ? { host: ingress.host } : {}),
    http: { paths },
  };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: ingress.name, namespace, ...(annotations ? { annotations } : {}) },
    spec: {
      ...(ingress.className !== undefined ? { ingressClassName: ingress.className } : {}),
      ...(ingress.tlsSecretName !== undefined
        ? { tls: [buildTls(ingress, ingress.tlsSecretName)] }
        : {}),
      rules: [rule],
    },
  };
}

/** TLS for the host; without a host the secret is the controller's default for every host. */
function buildTls(ingress: ResolvedIngress, secretName: string): IIngressTLS {
  return ingress.host !== "" ? { hosts: [ingress.host], secretName } : { secretName };
}

/** An integration's paths: `/N-service(/|$)(.*)` to the passthrough port, one per inbound port. */
export function ingressPaths(integration: ResolvedIntegration): IHTTPIngressPath[] {
  const { passthrough, inbound } = exposedPorts(integration);
  const service = serviceName(integration.name);
  const path = (prefix: string, port: number): IHTTPIngressPath => ({
    path: ingressPathPattern(prefix),
    pathType: "ImplementationSpecific",
    backend: { service: { name: service, port: { number: port } } },
  });
  return [
    path(servicePathPrefix(integration.name), passthrough),
    ...inbound.map((port) => path(inboundPathPrefix(integration.name, port), port)),
  ];
}
