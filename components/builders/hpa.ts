import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { ResolvedIntegration } from "../model/types";
import { deploymentName, hpaName, selectorLabels } from "./names";
import { copy } from "./objects";

/**
 * The HPA `N-hpa` scaling `N-deployment` between `minReplicas` and `maxReplicas`; undefined when
 * autoscaling is off. `metrics` is left out when empty (Kubernetes then scales on 80% CPU).
 */
export function buildHpa(integration: ResolvedIntegration): IHorizontalPodAutoscaler | undefined {
  const { name, namespace, autoscaling } = integration;
  if (!autoscaling) return undefined;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: hpaName(name), namespace, labels: selectorLabels(name) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName(name) },
      minReplicas: integration.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      ...(autoscaling.metrics.length > 0 ? { metrics: copy(autoscaling.metrics) } : {}),
      ...(autoscaling.behavior !== undefined ? { behavior: copy(autoscaling.behavior) } : {}),
    },
  };
}
