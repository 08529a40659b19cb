import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { ResolvedIntegration } from "../model/types";
import { CONTAINER_NAME, deploymentName, METRICS_PORT_NAME, selectorLabels } from "./names";
import { CONFIG_FILES_VOLUME, configFilesName } from "./configFiles";
import { metricsAnnotations } from "./metrics";
import { METRICS_PORT } from "../model/defaults/platform";
import { copy, sortedMap } from "./objects";
import { allPorts } from "./ports";

/**
 * The Micro Integrator's own stop script, run before the pod is killed so that in-flight messages
 * finish. `${WSO2_SERVER_HOME}` is literal here: the shell in the pod expands it.
 */
export const PRE_STOP_COMMAND = ["sh", "-c", "${WSO2_SERVER_HOME}/bin/micro-integrator.sh stop"];

/**
 * The Deployment `N-deployment`. `spec.replicas` is `minReplicas` only when no HPA owns it.
 * Rolling updates add one pod before removing one, so the last ready pod never goes. With
 * `podSecurity` (restricted), the pod passes the `restricted` Pod Security Standard: it runs as
 * a numeric non-root user with the runtime's seccomp profile and no service account token, and
 * its container cannot escalate privileges and holds no capability.
 */
export function buildDeployment(integration: ResolvedIntegration): IDeployment {
  const { name, namespace } = integration;
  const annotations = sortedMap({
    ...(integration.metrics?.annotations === true ? metricsAnnotations() : {}),
    ...integration.podAnnotations,
  });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: deploymentName(name), namespace, labels: selectorLabels(name) },
    spec: {
      ...(integration.autoscaling ? {} : { replicas: integration.minReplicas }),
      selector: { matchLabels: selectorLabels(name) },
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: {
          maxUnavailable: integration.rollingUpdate?.maxUnavailable ?? 0,
          maxSurge: integration.rollingUpdate?.maxSurge ?? 1,
        },
      },
      template: {
        metadata: {
          labels: { ...sortedMap(integration.podLabels ?? {}), ...selectorLabels(name) },
          ...(annotations ? { annotations } : {}),
        },
        spec: buildPodSpec(integration),
      },
    },
  };
}

function buildPodSpec(integration: ResolvedIntegration): IPodSpec {
  const volumes = buildVolumes(integration);
  const runAs = integration.podSecurity;
  const nodeSelector = sortedMap(integration.nodeSelector ?? {});
  return {
    ...(runAs !== undefined
      ? {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: runAs.runAsUser,
            runAsGroup: runAs.runAsGroup,
            fsGroup: runAs.fsGroup,
            seccompProfile: { type: "RuntimeDefault" },
          },
          // A named service account is there to be used: its token is mounted.
          ...(integration.serviceAccountName === undefined
            ? { automountServiceAccountToken: false }
            : {}),
        }
      : {}),
    ...(integration.serviceAccountName !== undefined
      ? { serviceAccountName: integration.serviceAccountName }
      : {}),
    ...(integration.priorityClassName !== undefined
      ? { priorityClassName: integration.priorityClassName }
      : {}),
    ...(nodeSelector !== undefined ? { nodeSelector } : {}),
    ...(integration.tolerations !== undefined
      ? { tolerations: copy(integration.tolerations) }
      : {}),
    ...(integration.imagePullSecret !== undefined
      ? { imagePullSecrets: [{ name: integration.imagePullSecret }] }
      : {}),
    ...(integration.affinity !== undefined ? { affinity: copy(integration.affinity) } : {}),
    ...(integration.topologySpread === true
      ? { topologySpreadConstraints: buildSpread(integration.name) }
      : {}),
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
    ports: [
      ...allPorts(integration).map((containerPort) => ({
        containerPort,
        protocol: "TCP" as const,
      })),
      ...(integration.metrics !== undefined
        ? [{ name: METRICS_PORT_NAME, containerPort: METRICS_PORT, protocol: "TCP" as const }]
        : []),
    ],
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
    ...(integration.startupProbe !== undefined
      ? { startupProbe: copy(integration.startupProbe) }
      : {}),
    lifecycle: { preStop: { exec: { command: [...PRE_STOP_COMMAND] } } },
    ...(integration.podSecurity !== undefined
      ? {
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          },
        }
      : {}),
  };
}

/** The topology keys pods spread across, widest first: zones, then nodes. */
export const SPREAD_TOPOLOGY_KEYS = ["topology.kubernetes.io/zone", "kubernetes.io/hostname"];

/**
 * Soft spreading of the integration's pods across zones and nodes: the scheduler prefers the
 * least loaded domain (`maxSkew: 1`) but still schedules when it cannot (`ScheduleAnyway`).
 */
function buildSpread(name: string): ITopologySpreadConstraint[] {
  return SPREAD_TOPOLOGY_KEYS.map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: selectorLabels(name) },
  }));
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

/** The volume of `configMaps[i]`: named by index, since one ConfigMap may be mounted twice. */
function volumeName(index: number): string {
  return `configmap-${index}`;
}

/** The volume of `secretFiles[i]`. */
function secretVolumeName(index: number): string {
  return `secret-files-${index}`;
}

function buildVolumes(integration: ResolvedIntegration): IVolume[] {
  const volumes: IVolume[] = integration.configMaps.map((mount, i) => ({
    name: volumeName(i),
    configMap: { name: mount.name },
  }));
  const filesName = configFilesName(integration);
  if (filesName !== undefined) {
    volumes.push({ name: CONFIG_FILES_VOLUME, configMap: { name: filesName } });
  }
  (integration.secretFiles ?? []).forEach((secret, i) => {
    volumes.push({
      name: secretVolumeName(i),
      secret: {
        secretName: secret.secretName,
        ...(secret.items !== undefined ? { items: copy(secret.items) } : {}),
      },
    });
  });
  return volumes;
}

function buildVolumeMounts(integration: ResolvedIntegration): IVolumeMount[] {
  const mounts: IVolumeMount[] = integration.configMaps.map((mount, i) => ({
    name: volumeName(i),
    mountPath: joinPath(mount.mountPath, mount.fileName),
    subPath: mount.fileName,
  }));
  for (const file of integration.configFiles ?? []) {
    mounts.push({
      name: CONFIG_FILES_VOLUME,
      mountPath: file.mountPath,
      subPath: file.key,
      readOnly: true,
    });
  }
  (integration.secretFiles ?? []).forEach((secret, i) => {
    const name = secretVolumeName(i);
    if (secret.items === undefined) {
      mounts.push({ name, mountPath: secret.mountPath, readOnly: true });
      return;
    }
    // Each item alone, so that the folder keeps the files the image has there.
    for (const item of secret.items) {
      mounts.push({
        name,
        mountPath: joinPath(secret.mountPath, item.path),
        subPath: item.path,
        readOnly: true,
      });
    }
  });
  return mounts;
}

/** `dir/file` with exactly one slash between them. */
export function joinPath(dir: string, file: string): string {
  return `${dir.replace(/\/+$/, "")}/${file.replace(/^\/+/, "")}`;
}
