import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { ResolvedIntegration } from "../model/types";
import { pdbName, selectorLabels } from "./names";

/**
 * The PodDisruptionBudget `N-pdb`: voluntary disruptions (a node drain, a cluster upgrade) evict
 * at most one of the integration's pods at a time. Undefined unless the integration asks for one
 * (`availability.disruptionBudget`, with more than one replica or autoscaling).
 */
export function buildPodDisruptionBudget(
  integration: ResolvedIntegration,
): IPodDisruptionBudget | undefined {
  if (integration.disruptionBudget !== true) return undefined;
  const { name, namespace } = integration;
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: pdbName(name), namespace, labels: selectorLabels(name) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(name) } },
  };
}
