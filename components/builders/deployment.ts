import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { createHash } from "node:crypto";
import { isDns1123Label } from "../model/rules";
import { IMAGE_DIGEST_ANNOTATION } from "../model/settings/imageRefresh";
import type { ImageDigestValue, ResolvedIntegration } from "../model/types";
import { CONTAINER_NAME, deploymentName, selectorLabels } from "./names";
import { CONFIG_FILES_VOLUME, configFilesName } from "./configFiles";
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
 *
 * With `digest` (the tag the integration refreshes, resolved), a new digest changes the pod
 * template, which is a rolling update: in `digest` mode the container's image is the pinned
 * reference; in `annotation` mode the tag stays and the pod template gets
 * `integrations.wso2.com/image-digest: <digest>` (the pull policy is already `Always`). `V` is
 * `string` offline; the `Integration` component passes its `ImageDigest`'s Outputs, which land in
 * exactly those fields. Without `digest`, or when the integration does not refresh, the image is as written.
 *
 * With `podSecurity` (restricted), the pod passes the `restricted` Pod Security Standard: it runs as
 * a numeric non-root user with the runtime's seccomp profile and no service account token, and
 * its container cannot escalate privileges and holds no capability.
 */
export function buildDeployment<V = string>(
  integration: ResolvedIntegration,
  digest?: ImageDigestValue<V>,
): IDeployment {
  const { name, namespace } = integration;
  const mode = digest === undefined ? undefined : integration.imageRefresh?.mode;
  const annotations = sortedMap(
    mode === "annotation"
      ? { ...integration.podAnnotations, [IMAGE_DIGEST_ANNOTATION]: placed(digest?.digest) }
      : integration.podAnnotations,
  );
  const image = mode === "digest" ? placed(digest?.pinned) : integration.image;
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
        spec: buildPodSpec(integration, image),
      },
    },
  };
}

/**
 * A digest value in a field typed `string`: a string offline, an Output in the component (whose
 * resource inputs take either). The only place the builders hold a value that is not plain.
 */
function placed<V>(value: V): string {
  return value as unknown as string;
}

function buildPodSpec(integration: ResolvedIntegration, image: string): IPodSpec {
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
    containers: [buildContainer(integration, image)],
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

function buildContainer(integration: ResolvedIntegration, image: string): IContainer {
  const resources = buildResources(integration);
  const volumeMounts = buildVolumeMounts(integration);
  return {
    name: CONTAINER_NAME,
    image,
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

/** The volume of `secretFiles[i]`. */
function secretVolumeName(index: number): string {
  return `secret-files-${index}`;
}

/**
 * One volume per ConfigMap, in the order the CR first names each: two entries of one ConfigMap
 * (two of its keys, or one key at two paths) share its volume, each with its own mount. (The
 * operator made a volume per entry, and the API server refused the Deployment for the duplicate
 * volume name.)
 */
function buildVolumes(integration: ResolvedIntegration): IVolume[] {
  const names = [...new Set(integration.configMaps.map((mount) => mount.name))];
  const volumes: IVolume[] = names.map((name) => ({
    name: configMapVolumeName(name),
    configMap: { name },
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
  const mounts: IVolumeMount[] = integration.configMaps.map((mount) => ({
    name: configMapVolumeName(mount.name),
    mountPath: mountFilePath(mount.mountPath, mount.fileName),
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

/**
 * Where a ConfigMap file is mounted: `mountPath + "/" + fileName`, joined exactly as the operator
 * joins them (a `mountPath` ending in `/` gives `//`, which Linux reads as one). Volume mounts are
 * keyed by this path under server-side apply: another spelling would add a second mount beside
 * the operator's instead of adopting it.
 */
export function mountFilePath(dir: string, file: string): string {
  return `${dir}/${file}`;
}

/** `dir/file` with exactly one slash between them. */
export function joinPath(dir: string, file: string): string {
  return `${dir.replace(/\/+$/, "")}/${file.replace(/^\/+/, "")}`;
}
