import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { createHash } from "node:crypto";
import { isDns1123Label } from "../model/rules";
import type { ResolvedIntegration } from "../model/types";
import { CONTAINER_NAME, deploymentName, selectorLabels } from "./names";
import { copy, sortedMap } from "./objects";
import { allPorts } from "./ports";

/**
 * The Micro Integrator's own stop script, run before the pod is killed so that in-flight messages
 * finish. `${WSO2_SERVER_HOME}` is literal here: the shell in the pod expands it.
 */
export const PRE_STOP_COMMAND = ["sh", "-c", "${WSO2_SERVER_HOME}/bin/micro-integrator.sh stop"];

/**
 * The Deployment `N-deployment`. `spec.replicas` is `minReplicas` only when no HPA owns it.
 * Rolling updates add one pod before removing one, so the last ready pod never goes.
 */
export function buildDeployment(integration: ResolvedIntegration): IDeployment {
  const { name, namespace } = integration;
  const annotations = sortedMap(integration.podAnnotations);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: deploymentName(name), namespace, labels: selectorLabels(name) },
    spec: {
      ...(integration.autoscaling ? {} : { replicas: integration.minReplicas }),
      selector: { matchLabels: selectorLabels(name) },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: selectorLabels(name), ...(annotations ? { annotations } : {}) },
        spec: buildPodSpec(integration),
      },
    },
  };
}

function buildPodSpec(integration: ResolvedIntegration): IPodSpec {
  const volumes = buildVolumes(integration);
  return {
    ...(integration.imagePullSecret !== undefined
      ? { imagePullSecrets: [{ name: integration.imagePullSecret }] }
      : {}),
    ...(integration.affinity !== undefined ? { affinity: copy(integration.affinity) } : {}),
    containers: [buildContainer(integration)],
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

function buildContainer(integration: ResolvedIntegration): IContainer {
  const resources = buildResources(integration);
  const volumeMounts = buildVolumeMounts(integration);
  return {
    name: CONTAINER_NAME,
    image: integration.image,
    imagePullPolicy: integration.pullPolicy,
    ports: allPorts(integration).map((containerPort) => ({
      containerPort,
      protocol: "TCP" as const,
    })),
    ...(integration.env.length > 0 ? { env: copy(integration.env) } : {}),
    ...(integration.envFrom.length > 0 ? { envFrom: copy(integration.envFrom) } : {}),
    ...(resources ? { resources } : {}),
    ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
    ...(integration.livenessProbe !== undefined
      ? { livenessProbe: copy(integration.livenessProbe) }
      : {}),
    ...(integration.readinessProbe !== undefined
      ? { readinessProbe: copy(integration.readinessProbe) }
      : {}),
    lifecycle: { preStop: { exec: { command: [...PRE_STOP_COMMAND] } } },
  };
}

/** Requests and limits with only the keys that are set; undefined when none is. */
function buildResources(integration: ResolvedIntegration): IResourceRequirements | undefined {
  const requests = quantities(integration.resources.requests);
  const limits = quantities(integration.resources.limits);
  if (!requests && !limits) return undefined;
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

function quantities(set: { cpu?: string; memory?: string }): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (set.cpu !== undefined) out.cpu = set.cpu;
  if (set.memory !== undefined) out.memory = set.memory;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The volume of the ConfigMap `configMap`: `volume-<name>`, as the operator names it
 * (`integration_deployment.go`), so that an adopted Deployment keeps its pod template. A
 * ConfigMap name may hold dots and 253 characters, a volume name neither: then (the operator's
 * Deployment was refused by the API server, so nothing in a cluster has that name) the volume is
 * `volume-<the name, dots as dashes, cut to 46 characters>-<8 hex digits of its SHA-256>`, which
 * no other ConfigMap's volume can be.
 */
export function configMapVolumeName(configMap: string): string {
  const name = `volume-${configMap}`;
  if (isDns1123Label(name)) return name;
  const readable = configMap.replace(/\./g, "-").slice(0, 46).replace(/-+$/, "");
  const hash = createHash("sha256").update(configMap).digest("hex").slice(0, 8);
  return `volume-${readable}-${hash}`;
}

/**
 * One volume per ConfigMap, in the order the CR first names each: two entries of one ConfigMap
 * (two of its keys, or one key at two paths) share its volume, each with its own mount. (The
 * operator made a volume per entry, and the API server refused the Deployment for the duplicate
 * volume name.)
 */
function buildVolumes(integration: ResolvedIntegration): IVolume[] {
  const names = [...new Set(integration.configMaps.map((mount) => mount.name))];
  return names.map((name) => ({ name: configMapVolumeName(name), configMap: { name } }));
}

function buildVolumeMounts(integration: ResolvedIntegration): IVolumeMount[] {
  return integration.configMaps.map((mount) => ({
    name: configMapVolumeName(mount.name),
    mountPath: mountFilePath(mount.mountPath, mount.fileName),
    subPath: mount.fileName,
  }));
}

/**
 * Where a ConfigMap file is mounted: `mountPath + "/" + fileName`, joined exactly as the operator
 * joins them (a `mountPath` ending in `/` gives `//`, which Linux reads as one). Volume mounts are
 * keyed by this path under server-side apply: another spelling would add a second mount beside
 * the operator's instead of adopting it.
 */
export function mountFilePath(dir: string, file: string): string {
  return `${dir}/${file}`;
}
