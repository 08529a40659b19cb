/** Resolved models for the builder tests: a small integration and the operator's default Ingress. */
import type {
  ResolvedIngress,
  ResolvedIntegration,
  ResolvedStack,
} from "../../components/model/types";

/** The small integration every test starts from: the operator's defaults, no extras. */
export function integration(overrides: Partial<ResolvedIntegration> = {}): ResolvedIntegration {
  return {
    source: { file: "crs/hello.yaml" },
    name: "hello",
    namespace: "apps",
    image: "registry.example.com/team/hello:1.0.0",
    pullPolicy: "Always",
    minReplicas: 1,
    resources: { requests: {}, limits: {} },
    livenessProbe: { tcpSocket: { port: 8290 }, initialDelaySeconds: 10, periodSeconds: 5 },
    readinessProbe: {
      httpGet: { path: "/healthz", port: 9201 },
      initialDelaySeconds: 10,
      periodSeconds: 5,
    },
    passthroPort: 8290,
    inboundPorts: [],
    env: [],
    envFrom: [],
    configMaps: [],
    podAnnotations: {},
    ...overrides,
  };
}

/** The operator's shipped ingress settings, with the class as `spec.ingressClassName`. */
export function ingress(overrides: Partial<ResolvedIngress> = {}): ResolvedIngress {
  return {
    name: "ei-operator-ingress",
    host: "wso2ei.ingress.wso2.com",
    className: "nginx",
    annotations: {
      "nginx.ingress.kubernetes.io/ssl-redirect": "false",
      "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
    },
    scheme: "http",
    ...overrides,
  };
}

/** A stack of `integrations`; `null` turns the Ingress off. */
export function stack(
  integrations: ResolvedIntegration[],
  withIngress: ResolvedIngress | null = ingress(),
): ResolvedStack {
  return { integrations, ...(withIngress ? { ingress: withIngress } : {}), advice: [] };
}

/** The default HPA metric: CPU at 70% average utilization. */
export const CPU_70 = [
  {
    type: "Resource",
    resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
  },
];
