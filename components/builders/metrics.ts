import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { METRICS_PATH, METRICS_PORT } from "../model/defaults/platform";
import type { ResolvedIntegration } from "../model/types";
import { METRICS_PORT_NAME, selectorLabels, serviceMonitorName } from "./names";
import { sortedMap } from "./objects";

/** The pod annotations annotation-based scrapers read (Prometheus's `kubernetes_sd` examples). */
export function metricsAnnotations(): Record<string, string> {
  return {
    "prometheus.io/scrape": "true",
    "prometheus.io/port": String(METRICS_PORT),
    "prometheus.io/path": METRICS_PATH,
  };
}

/**
 * The prometheus-operator `ServiceMonitor` `N-metrics`: scrapes the Service's `metrics` port at
 * Micro Integrator's endpoint; labelled with the selector labels and the settings' labels (what
 * the Prometheus's `serviceMonitorSelector` looks for). Undefined unless asked for.
 */
export function buildServiceMonitor(integration: ResolvedIntegration): IServiceMonitor | undefined {
  const monitor = integration.metrics?.serviceMonitor;
  if (monitor === undefined) return undefined;
  const { name, namespace } = integration;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: {
      name: serviceMonitorName(name),
      namespace,
      labels: sortedMap({ ...monitor.labels, ...selectorLabels(name) }),
    },
    spec: {
      selector: { matchLabels: selectorLabels(name) },
      endpoints: [
        {
          port: METRICS_PORT_NAME,
          path: METRICS_PATH,
          ...(monitor.interval !== undefined ? { interval: monitor.interval } : {}),
        },
      ],
    },
  };
}
