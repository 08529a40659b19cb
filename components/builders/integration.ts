import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type {
  ImageDigestValue,
  ResolvedGateway,
  ResolvedIntegration,
  ResolvedStack,
} from "../model/types";
import type { Problems } from "../model/problems";
import { buildDeployment, placeImageDigest } from "./deployment";
import { buildHpa } from "./hpa";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { buildConfigFilesConfigMap } from "./configFiles";
import { buildHttpRoute } from "./httpRoute";
import { buildServiceMonitor } from "./metrics";
import { withSkipAwait } from "./namespace";
import { patchObject } from "./patches";
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
  /** With `metrics.serviceMonitor`: the ServiceMonitor `N-metrics`. */
  serviceMonitor?: IServiceMonitor;
  /** With `routing` `gateway` or `both`: the HTTPRoute `N-route`. */
  httpRoute?: IHTTPRoute;
}

/** How {@link buildIntegrationObjects} builds. */
export interface IntegrationBuildOptions<V = string> {
  /** The stack's `kubernetes.skipAwait`: each object gets `pulumi.com/skipAwait`. Default: false. */
  skipAwait?: boolean;
  /** The resolved image, when the integration refreshes it (see `buildDeployment`). Default: none. */
  digest?: ImageDigestValue<V>;
  /** The stack's Gateway, under `routing` `gateway` or `both`: adds the HTTPRoute. Default: none. */
  gateway?: ResolvedGateway;
  /**
   * The stack's `patches`, applied to each object before the digest is placed; a patch that
   * cannot apply is reported to `problems` and the object kept. Default: none.
   */
  patches?: { stack: Pick<ResolvedStack, "patches">; problems: Problems };
}

/**
 * The Deployment, the Service, (with autoscaling) the HPA, and the objects the platform
 * settings add, of one integration: built, patched, then given the image digest and skipAwait.
 */
export function buildIntegrationObjects<V = string>(
  integration: ResolvedIntegration,
  options: IntegrationBuildOptions<V> = {},
): IntegrationObjects {
  const hpa = buildHpa(integration);
  const podDisruptionBudget = buildPodDisruptionBudget(integration);
  const files = buildConfigFilesConfigMap(integration);
  const serviceMonitor = buildServiceMonitor(integration);
  const { gateway, patches, digest } = options;
  let objects: IntegrationObjects = {
    deployment: buildDeployment(integration),
    service: buildService(integration),
    ...(hpa ? { hpa } : {}),
    ...(podDisruptionBudget ? { podDisruptionBudget } : {}),
    ...(files ? { configMaps: [files] } : {}),
    ...(serviceMonitor ? { serviceMonitor } : {}),
    ...(gateway ? { httpRoute: buildHttpRoute(integration, gateway) } : {}),
  };
  if (patches !== undefined) {
    objects = mapIntegrationObjects(objects, (object) =>
      patchObject(object, patches.stack, patches.problems, integration),
    );
  }
  if (digest !== undefined) {
    objects = { ...objects, deployment: placeImageDigest(objects.deployment, integration, digest) };
  }
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
  if (objects.serviceMonitor !== undefined) out.push(objects.serviceMonitor);
  if (objects.httpRoute !== undefined) out.push(objects.httpRoute);
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
