import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { ImageDigestValue, ResolvedIntegration } from "../model/types";
import { buildDeployment } from "./deployment";
import { buildHpa } from "./hpa";
import { buildConfigFilesConfigMap } from "./configFiles";
import { withSkipAwait } from "./namespace";
import { buildPodDisruptionBudget } from "./pdb";
import { buildService } from "./service";

/** The objects of one integration; `hpa` only when autoscaling is on. */
export interface IntegrationObjects {
  deployment: IDeployment;
  service: IService;
  hpa?: IHorizontalPodAutoscaler;
  /** With `availability.disruptionBudget` and more than one replica or autoscaling. */
  podDisruptionBudget?: IPodDisruptionBudget;
  /** With `configFiles`: the ConfigMap `N-files-<hash>` of the files. */
  configMaps?: IConfigMap[];
}

/** How {@link buildIntegrationObjects} builds. */
export interface IntegrationBuildOptions<V = string> {
  /** The stack's `kubernetes.skipAwait`: each object gets `pulumi.com/skipAwait`. Default: false. */
  skipAwait?: boolean;
  /** The resolved image, when the integration refreshes it (see `buildDeployment`). Default: none. */
  digest?: ImageDigestValue<V>;
}

/**
 * The Deployment, the Service, (with autoscaling) the HPA, and the objects the platform
 * settings add, of one integration.
 */
export function buildIntegrationObjects<V = string>(
  integration: ResolvedIntegration,
  options: IntegrationBuildOptions<V> = {},
): IntegrationObjects {
  const hpa = buildHpa(integration);
  const podDisruptionBudget = buildPodDisruptionBudget(integration);
  const files = buildConfigFilesConfigMap(integration);
  const objects: IntegrationObjects = {
    deployment: buildDeployment(integration, options.digest),
    service: buildService(integration),
    ...(hpa ? { hpa } : {}),
    ...(podDisruptionBudget ? { podDisruptionBudget } : {}),
    ...(files ? { configMaps: [files] } : {}),
  };
  if (options.skipAwait !== true) return objects;
  return mapIntegrationObjects(objects, (object) => withSkipAwait(object, true));
}

/**
 * Every object of one integration, in render's order: Deployment, Service, HPA, then the
 * objects the platform settings add.
 */
export function integrationObjectList(objects: IntegrationObjects): IntegrationObject[] {
  const out: IntegrationObject[] = [objects.deployment, objects.service];
  if (objects.hpa !== undefined) out.push(objects.hpa);
  if (objects.podDisruptionBudget !== undefined) out.push(objects.podDisruptionBudget);
  out.push(...(objects.configMaps ?? []));
  return out;
}

/** Any object an integration owns. */
export type IntegrationObject =
  | Exclude<NonNullable<IntegrationObjects[keyof IntegrationObjects]>, readonly unknown[]>
  | IConfigMap;

/** `objects` with `change` applied to each object (e.g. an annotation on every object). */
export function mapIntegrationObjects(
  objects: IntegrationObjects,
  change: <T extends IntegrationObject>(object: T) => T,
): IntegrationObjects {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(objects)) {
    if (Array.isArray(value)) out[key] = value.map((item: IntegrationObject) => change(item));
    else if (value !== undefined) out[key] = change(value as IntegrationObject);
  }
  return out as unknown as IntegrationObjects;
}
