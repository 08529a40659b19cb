import type { IService } from "kubernetes-models/v1/Service";
import type { ResolvedIntegration } from "../model/types";
import { METRICS_PORT } from "../model/defaults/platform";
import { METRICS_PORT_NAME, selectorLabels, serviceName, servicePortName } from "./names";
import { allPorts } from "./ports";

/** The ClusterIP Service `N-service`: the passthrough port, then inbound ports, each `port == targetPort`. */
export function buildService(integration: ResolvedIntegration): IService {
  const { name, namespace } = integration;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: serviceName(name), namespace, labels: selectorLabels(name) },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(name),
      ports: [
        ...allPorts(integration).map((port) => ({
          name: servicePortName(name, port),
          port,
          targetPort: port,
          protocol: "TCP" as const,
        })),
        // Metrics: on the Service for a ServiceMonitor, named so that it can be referred to.
        ...(integration.metrics !== undefined
          ? [
              {
                name: METRICS_PORT_NAME,
                port: METRICS_PORT,
                targetPort: METRICS_PORT,
                protocol: "TCP" as const,
              },
            ]
          : []),
      ],
    },
  };
}
