/**
 * The platform settings of one integration: its override in the stack's `integrations` above the
 * stack level, key by key (mappings field by field), and the defaults of each key.
 */
import { childPath } from "../rules";
import { configFileKey, isZero } from "../settings/platform";
import { compareStrings } from "../rules/order";
import type { Problems } from "../problems";
import type {
  PlatformSettings,
  PodSettings,
  ResolvedConfigFile,
  ResolvedIntegration,
  RunAs,
  StackSettings,
} from "../types";

/** `wso2carbon`, the user (and group) of WSO2's Micro Integrator images (their Dockerfile). */
export const WSO2_CARBON_ID = 802;

/** The user, group and fsGroup pods run as under `podSecurity: restricted`, by default. */
export const DEFAULT_RUN_AS: Readonly<RunAs> = Object.freeze({
  runAsUser: WSO2_CARBON_ID,
  runAsGroup: WSO2_CARBON_ID,
  fsGroup: WSO2_CARBON_ID,
});

/** Keys whose value is a mapping, merged field by field (the override's fields win). */
const MERGED_MAPPINGS: readonly (keyof PlatformSettings)[] = ["securityContext", "availability"];

/** The startup probe's timing by default: 30 tries 10 s apart, 5 minutes to start. */
export const DEFAULT_STARTUP_TIMING = Object.freeze({ failureThreshold: 30, periodSeconds: 10 });

/** The rolling update by default: one pod added before one is removed. */
export const DEFAULT_ROLLING_UPDATE = Object.freeze({ maxSurge: 1, maxUnavailable: 0 });

/** The fields of a probe that say what it checks, as opposed to when. */
const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/** One integration's platform settings, and where each key was set, for messages. */
export interface IntegrationPlatform {
  settings: PlatformSettings;
  /**
   * The stack key a value of `key` came from, as messages name it: the override's
   * (`wso2-mi:integrations["NS/N"].key`) when it sets the key, else the stack's (`wso2-mi:key`).
   */
  keyOf(key: keyof PlatformSettings): string;
}

/** The platform settings of integration `id` (`NS/N`): its override over the stack level. */
export function integrationPlatform(id: string, settings: StackSettings): IntegrationPlatform {
  const project = settings.project ?? "wso2-mi";
  const stack = settings.platform ?? {};
  const override = settings.integrations?.[id] ?? {};
  const merged: Record<string, unknown> = { ...stack };
  for (const [key, value] of Object.entries(override)) {
    if (key === "defaults" || value === undefined) continue;
    const below = merged[key];
    if (key === "pod" && below !== undefined) {
      merged.pod = mergePod(below as PodSettings, value as PodSettings);
    } else {
      merged[key] =
        MERGED_MAPPINGS.includes(key as keyof PlatformSettings) && below !== undefined
          ? { ...below, ...value }
          : value;
    }
  }
  const overrideKey = childPath(`${project}:integrations`, id);
  return {
    settings: merged,
    keyOf: (key) =>
      (override as PlatformSettings)[key] !== undefined
        ? childPath(overrideKey, key)
        : `${project}:${key}`,
  };
}

/**
 * Sets `resolved.podSecurity` (who the pod runs as) unless `podSecurity` is `none`. A
 * `securityContext` with `podSecurity: none` does nothing: a warning says so.
 */
export function resolvePodSecurity(
  platform: IntegrationPlatform,
  settings: StackSettings,
  resolved: ResolvedIntegration,
  problems: Problems,
): void {
  const { podSecurity, securityContext } = platform.settings;
  if (podSecurity === "none") {
    if (securityContext !== undefined && Object.keys(securityContext).length > 0) {
      warnOnce(
        problems,
        settings,
        platform.keyOf("securityContext"),
        `has no effect while podSecurity is none (${platform.keyOf("podSecurity")}); remove ` +
          "it, or set podSecurity to restricted",
      );
    }
    return;
  }
  resolved.podSecurity = { ...DEFAULT_RUN_AS, ...securityContext };
}

/**
 * Sets what `availability` asks for on `resolved` (after autoscaling and probes are resolved):
 * the startup probe (the liveness probe's handler, with the startup timing), spreading, a
 * disruption budget (more than one replica, or autoscaling), the rolling update and the HPA's
 * behavior. Every part is on by default but the last two.
 */
export function resolveAvailability(
  platform: IntegrationPlatform,
  settings: StackSettings,
  resolved: ResolvedIntegration,
  problems: Problems,
): void {
  const availability = platform.settings.availability ?? {};
  const key = platform.keyOf("availability");
  const startup = availability.startupProbe ?? true;
  if (startup !== false) {
    const liveness = resolved.livenessProbe;
    if (liveness === undefined) {
      if (availability.startupProbe !== undefined) {
        warnOnce(
          problems,
          settings,
          `${key}.startupProbe`,
          "has no liveness probe to take its handler from for integrations without one, which " +
            "get no startup probe",
        );
      }
    } else {
      const handler = Object.fromEntries(
        PROBE_HANDLERS.filter((h) => liveness[h] !== undefined).map((h) => [
          h,
          structuredClone(liveness[h]),
        ]),
      );
      resolved.startupProbe = {
        ...handler,
        ...DEFAULT_STARTUP_TIMING,
        ...(typeof startup === "object" ? startup : {}),
      };
    }
  }
  if (availability.topologySpread ?? true) resolved.topologySpread = true;
  if (
    (availability.disruptionBudget ?? true) &&
    (resolved.autoscaling !== undefined || resolved.minReplicas > 1)
  ) {
    resolved.disruptionBudget = true;
  }
  if (availability.rollingUpdate !== undefined) {
    const rolling = { ...DEFAULT_ROLLING_UPDATE, ...availability.rollingUpdate };
    if (isZero(rolling.maxSurge) && isZero(rolling.maxUnavailable)) {
      warnOnce(
        problems,
        settings,
        `${key}.rollingUpdate`,
        "maxSurge and maxUnavailable are both 0 (the default maxUnavailable is 0), so a " +
          "rollout could never replace a pod; raise one of them",
        "error",
      );
    } else {
      resolved.rollingUpdate = rolling;
    }
  }
  if (availability.hpaBehavior !== undefined && resolved.autoscaling !== undefined) {
    resolved.autoscaling.behavior = structuredClone(availability.hpaBehavior);
  }
}

/** `pod` of an override over the stack's: maps merge key by key, other fields replace. */
function mergePod(below: PodSettings, above: PodSettings): PodSettings {
  const out: PodSettings = { ...below, ...above };
  for (const map of ["nodeSelector", "labels", "annotations"] as const) {
    if (below[map] !== undefined && above[map] !== undefined) {
      out[map] = { ...below[map], ...above[map] };
    }
  }
  return out;
}

/**
 * Sets the pod's scheduling and identity from `pod`: node selector, tolerations, priority
 * class, service account, extra labels and annotations, and the affinity when the CR sets none.
 */
export function resolvePod(platform: IntegrationPlatform, resolved: ResolvedIntegration): void {
  const pod = platform.settings.pod;
  if (pod === undefined) return;
  if (pod.nodeSelector !== undefined) resolved.nodeSelector = { ...pod.nodeSelector };
  if (pod.tolerations !== undefined) resolved.tolerations = structuredClone(pod.tolerations);
  if (pod.priorityClassName !== undefined) resolved.priorityClassName = pod.priorityClassName;
  if (pod.serviceAccountName !== undefined) resolved.serviceAccountName = pod.serviceAccountName;
  if (pod.labels !== undefined) resolved.podLabels = { ...pod.labels };
  if (pod.annotations !== undefined) {
    resolved.podAnnotations = { ...pod.annotations, ...resolved.podAnnotations };
  }
  if (resolved.affinity === undefined && pod.affinity !== undefined) {
    resolved.affinity = structuredClone(pod.affinity);
  }
}

/** The most a ConfigMap may hold (etcd's limit for one object), less room for its metadata. */
export const MAX_CONFIG_FILES_BYTES = 1_000_000;

/**
 * Sets the Secrets mounted as files and the config files (with their text, from `files`, read by
 * `readConfigFiles`; a file that could not be read was reported there and is left out).
 */
export function resolveFiles(
  platform: IntegrationPlatform,
  settings: StackSettings,
  resolved: ResolvedIntegration,
  files: ReadonlyMap<string, string>,
  problems: Problems,
): void {
  const { secretFiles, configFiles } = platform.settings;
  if (secretFiles !== undefined && secretFiles.length > 0) {
    resolved.secretFiles = structuredClone(secretFiles);
  }
  if (configFiles === undefined || configFiles.length === 0) return;
  const read: ResolvedConfigFile[] = [];
  for (const entry of configFiles) {
    const content = files.get(entry.file);
    if (content === undefined) continue;
    read.push({ key: configFileKey(entry.file), mountPath: entry.mountPath, content });
  }
  read.sort((a, b) => compareStrings(a.key, b.key));
  const bytes = read.reduce((sum, f) => sum + Buffer.byteLength(f.content) + f.key.length, 0);
  if (bytes > MAX_CONFIG_FILES_BYTES) {
    warnOnce(
      problems,
      settings,
      platform.keyOf("configFiles"),
      `the files add up to ${bytes} bytes, over the ${MAX_CONFIG_FILES_BYTES} one ConfigMap ` +
        "can hold; mount the largest from a Secret or bake it into the image",
      "error",
    );
    return;
  }
  if (read.length > 0) resolved.configFiles = read;
}

/** The warnings already given per run, so that a stack-level key is warned about once, not per integration. */
const WARNED = new WeakMap<Problems, Set<string>>();

/** A warning at the stack key `key`, once per `problems` for the same key and message. */
export function warnOnce(
  problems: Problems,
  settings: StackSettings,
  key: string,
  message: string,
  severity: "warning" | "error" = "warning",
): void {
  const seen = WARNED.get(problems) ?? new Set<string>();
  WARNED.set(problems, seen);
  if (seen.has(`${key}\n${message}`)) return;
  seen.add(`${key}\n${message}`);
  if (severity === "error") problems.error(settings.source, key, message);
  else problems.warning(settings.source, key, message);
}
