import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { IMAGE_DIGEST_ANNOTATION, IMAGE_TAG_ANNOTATION } from "../model/settings/imageRefresh";
import type { ImageDigestValue, ResolvedIntegration } from "../model/types";
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
 *
 * With `digest` (the tag the integration refreshes, resolved), a new digest changes the pod
 * template, which is a rolling update: in `digest` mode the container's image is the pinned
 * reference; in `annotation` mode the tag stays and the pod template gets
 * `integrations.wso2.com/image-digest: <digest>` (the pull policy is already `Always`). `V` is
 * `string` offline; the `Integration` component passes its `ImageDigest`'s Outputs, which land in
 * exactly those fields. Without `digest`, or when the integration does not refresh, the image is as written.
 * When a tag policy chose the tag (`digest.tag`), the Deployment's own metadata (not the pod
 * template: no restart) names it in `integrations.wso2.com/image-tag`; the CR keeps its tag.
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
  const chosen =
    mode !== undefined && digest?.tag !== undefined
      ? { annotations: { [IMAGE_TAG_ANNOTATION]: placed(digest.tag) } }
      : {};
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: deploymentName(name), namespace, labels: selectorLabels(name), ...chosen },
    spec: {
      ...(integration.autoscaling ? {} : { replicas: integration.minReplicas }),
      selector: { matchLabels: selectorLabels(name) },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: selectorLabels(name), ...(annotations ? { annotations } : {}) },
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
  return {
    ...(integration.imagePullSecret !== undefined
      ? { imagePullSecrets: [{ name: integration.imagePullSecret }] }
      : {}),
    ...(integration.affinity !== undefined ? { affinity: copy(integration.affinity) } : {}),
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

/** The volume of `configMaps[i]`: named by index, since one ConfigMap may be mounted twice. */
function volumeName(index: number): string {
  return `configmap-${index}`;
}

function buildVolumes(integration: ResolvedIntegration): IVolume[] {
  return integration.configMaps.map((mount, i) => ({
    name: volumeName(i),
    configMap: { name: mount.name },
  }));
}

function buildVolumeMounts(integration: ResolvedIntegration): IVolumeMount[] {
  return integration.configMaps.map((mount, i) => ({
    name: volumeName(i),
    mountPath: joinPath(mount.mountPath, mount.fileName),
    subPath: mount.fileName,
  }));
}

/** `dir/file` with exactly one slash between them. */
export function joinPath(dir: string, file: string): string {
  return `${dir.replace(/\/+$/, "")}/${file.replace(/^\/+/, "")}`;
}
