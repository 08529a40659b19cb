/**
 * The model, in the order data flows: a validated Integration CR, the controller config and the
 * stack settings (each as the user wrote them), and the resolved integration the builders read.
 */
import type { IAffinity } from "kubernetes-models/v1/Affinity";
import type { IEnvFromSource } from "kubernetes-models/v1/EnvFromSource";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { IMetricSpec } from "kubernetes-models/autoscaling/v2/MetricSpec";
import type { IHorizontalPodAutoscalerBehavior } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerBehavior";
import type { Problem, Source } from "./problems";

export type {
  IAffinity,
  IEnvFromSource,
  IEnvVar,
  IProbe,
  IMetricSpec,
  IHorizontalPodAutoscalerBehavior,
};

/** The two API versions the operator's documentation uses for the Integration kind. */
export const INTEGRATION_API_VERSIONS = [
  "wso2.com/v1alpha2",
  "integration.wso2.com/v1alpha2",
] as const;
export type IntegrationApiVersion = (typeof INTEGRATION_API_VERSIONS)[number];

/** Image pull policies Kubernetes knows. */
export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

/** A ConfigMap key mounted as one file at `mountPath/fileName` (`deploySpec.configmapDetails[]`). */
export interface ConfigMapMount {
  /** The ConfigMap's name. */
  name: string;
  /** The directory the file appears in; absolute. */
  mountPath: string;
  /** The file name, and the ConfigMap key mounted with `subPath`. */
  fileName: string;
}

/** `spec.deploySpec` of a CR; every field optional, as the user wrote it. */
export interface DeploySpec {
  /** Replicas, and the HPA's minimum. Default: controller config `minReplicas` (1). */
  minReplicas?: number;
  /** Container CPU request (Kubernetes quantity). Default: controller config `requestCPU` (unset). */
  requestCPU?: string;
  /** Container memory request. Default: controller config `reqMemory` (unset). */
  reqMemory?: string;
  /** Container CPU limit. Default: controller config `cpuLimit` (unset). */
  cpuLimit?: string;
  /** Container memory limit. Default: controller config `memoryLimit` (unset). */
  memoryLimit?: string;
  /** Default: controller config `livenessProbe` (TCP 8290 after 10 s, every 5 s). */
  livenessProbe?: IProbe;
  /** Default: controller config `readinessProbe` (HTTP GET /healthz on 9201 after 10 s, every 5 s). */
  readinessProbe?: IProbe;
  /** Pod affinity, copied to the pod spec. Default: the stack's `pod.affinity`, else none. */
  affinity?: IAffinity;
  /** Container `imagePullPolicy`. Default: `Always`, as the operator does. */
  pullPolicy?: PullPolicy;
  /** ConfigMaps mounted as files. Default: none. */
  configmapDetails?: ConfigMapMount[];
}

/** `spec.autoScale` of a CR. */
export interface AutoScaleSpec {
  /** Whether an HPA scales the Deployment. Default: controller config `enableAutoScale` (false). */
  enabled?: boolean;
  /** The HPA's maximum. Default: controller config `maxReplicas` (5). */
  maxReplicas?: number;
}

/** `spec.expose` of a CR. */
export interface ExposeSpec {
  /** The Micro Integrator pass-through HTTP port. Default: 8290. */
  passthroPort?: number;
  /** Inbound endpoint ports, each exposed on the Service and the Ingress. Default: none. */
  inboundPorts?: number[];
}

/** `spec` of a validated CR. Objects the user left out are empty, lists are empty. */
export interface IntegrationSpec {
  /** The container image reference, e.g. `registry.example.com/team/hello:1.0.0`. Required. */
  image: string;
  /** Name of a `kubernetes.io/dockerconfigjson` Secret in the namespace. Default: none. */
  imagePullSecret?: string;
  deploySpec: DeploySpec;
  autoScale: AutoScaleSpec;
  expose: ExposeSpec;
  /** Container environment; the docs' `valueFrom.configMapRef` is already `configMapKeyRef`. */
  env: IEnvVar[];
  /** Container `envFrom`; the docs' `secretKeyRef` entries are already `secretRef`. */
  envFrom: IEnvFromSource[];
}

/** An Integration custom resource after validation. */
export interface IntegrationCR {
  /** Where the CR was read from. */
  source: Source;
  apiVersion: IntegrationApiVersion;
  metadata: {
    /** DNS-1123 label of at most 55 characters, so that `<name>-service` fits in 63. */
    name: string;
    /** Default: the stack's namespace, else `default`. */
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: IntegrationSpec;
}

/**
 * The keys of the operator's `integration-config` ConfigMap, typed. Built-in defaults are the
 * operator's shipped `integration_controller_conf.yaml`.
 */
export interface IntegrationDefaults {
  /** Default: 1. */
  minReplicas: number;
  /** Default: 5. */
  maxReplicas: number;
  /** Default: false. */
  enableAutoScale: boolean;
  /** Default: unset (no request). */
  requestCPU?: string;
  /** Default: unset. */
  reqMemory?: string;
  /** Default: unset. */
  cpuLimit?: string;
  /** Default: unset. */
  memoryLimit?: string;
  /** HPA metrics (autoscaling/v2). Default: CPU at 70% average utilization. */
  hpaMetrics: IMetricSpec[];
  /** Default: TCP 8290, initialDelaySeconds 10, periodSeconds 5. */
  livenessProbe?: IProbe;
  /** Default: HTTP GET /healthz on 9201, initialDelaySeconds 10, periodSeconds 5. */
  readinessProbe?: IProbe;
  /** Whether the shared Ingress is created. Default: true. */
  autoIngressCreation: boolean;
  /**
   * Seconds between the operator's reconciliations. Read by `npm run reconciler` only, as the
   * Pulumi Kubernetes Operator Stack's `resyncFrequencySeconds` (at least 60). Default: 10.
   */
  reconcileInterval?: number;
}

/** Settings of the shared Ingress (`integration-ingress-config`, or the stack's `ingress`). */
export interface IngressDefaults {
  /** Default: `autoIngressCreation` (true). */
  enabled: boolean;
  /**
   * The Ingress's name: only the stack's `ingress.name` sets it (a controller config's
   * `ingressResourceName` is accepted with a note: the operator never applied it to
   * integrations). Default: `ei-operator-ingress`, the operator's name.
   */
  name: string;
  /** The rule's host (`ingressHostName`). Default: `wso2ei.ingress.wso2.com`. */
  host: string;
  /** TLS Secret for the host (`tlsSecretName`); TLS is on when set. Default: unset. */
  tlsSecretName?: string;
  /**
   * `spec.ingressClassName`; from the deprecated `kubernetes.io/ingress.class` annotation in
   * `ingress.properties` when that is where it was written. Default: `nginx`.
   */
  className?: string;
  /** Ingress annotations (`ingress.properties`). Default: rewrite-target `/$2`, ssl-redirect `false`. */
  annotations: Record<string, string>;
  /** `ingressTransportMode`; accepted for compatibility. Default: `https`. */
  transportMode: "http" | "https";
}

/** A controller config file: only the keys it sets. */
export interface ControllerConfig {
  source: Source;
  integration: Partial<IntegrationDefaults>;
  ingress: Partial<IngressDefaults>;
}

/** The stack's settings, from `stacks/Pulumi.<stack>.yaml` (or render's flags). */
export interface StackSettings {
  /** The stack file, for messages. */
  source: Source;
  /** The Pulumi project's name (`Pulumi.yaml`): the namespace of the stack's config keys. */
  project: string;
  /** The stack's name, e.g. `dev`. */
  stack: string;
  /** Namespace for CRs that name none. Default: `default`. */
  namespace?: string;
  /** CR files or folders, relative to the project. Default: `stacks/<stack>`. */
  crs: string[];
  /** The controller config file, relative to the project. Default: the built-in (the operator's shipped file). */
  controllerConfig?: string;
  /** Overrides of `integration-config` keys, above the controller config file. */
  defaults: Partial<IntegrationDefaults>;
  /** Overrides of the ingress settings, above the controller config file. */
  ingress: Partial<IngressDefaults>;
  /** `imageRefresh`: tags resolved to registry digests. Default: off. */
  imageRefresh?: ImageRefreshSettings;
  /** `createNamespace`: the stack creates every namespace it uses. Default: false. */
  createNamespace?: boolean;
  /** `kubernetes`: how Pulumi reaches and waits for the cluster. Default: Pulumi's default provider. */
  kubernetes?: KubernetesSettings;
  /**
   * Where a key's value came from when not the stack file (render's flags: `command line`),
   * keyed by the key without the project's prefix, for messages. Default: every key from `source`.
   */
  keySources?: Record<string, Source>;
  /** The platform keys (pod security, availability, ...) for every integration. Default: `{}`. */
  platform?: PlatformSettings;
  /**
   * `integrations`: per integration `<namespace>/<name>`, what differs from the stack level; above
   * the stack's settings, below the CR's own fields. Default: `{}`.
   */
  integrations?: Record<string, IntegrationOverride>;
}

/**
 * The platform keys of a stack (`wso2-mi:<key>`), each also settable per integration under
 * `wso2-mi:integrations`. Every field is optional: absent means the level below decides.
 */
export interface PlatformSettings {
  /**
   * `podSecurity`: `restricted` makes every pod pass the Kubernetes `restricted` Pod Security
   * Standard (non-root numeric user, no privilege escalation, every capability dropped, the
   * runtime's seccomp profile, no service account token unless one is named); `none` sets none
   * of it, as the operator did. Default: `restricted`.
   */
  podSecurity?: PodSecurity;
  /** `securityContext`: the user, group and fsGroup pods run as under `restricted`. Default: 802 each. */
  securityContext?: Partial<RunAs>;
  /** `availability`: disruption budget, spreading, startup probe, rollouts, HPA behavior. */
  availability?: AvailabilitySettings;
  /** `pod`: scheduling and identity of the pods, and their extra labels and annotations. */
  pod?: PodSettings;
  /** `secretFiles`: existing Secrets mounted as files (keystores, truststores). Default: none. */
  secretFiles?: SecretFiles[];
  /**
   * `configFiles`: files of the repository (`deployment.toml`, `log4j2.properties`) mounted in
   * the pods from a ConfigMap named after a hash of their content. Default: none.
   */
  configFiles?: ConfigFileSetting[];
}

/** One existing Secret mounted as files. */
export interface SecretFiles {
  /** The Secret, in the integration's namespace. */
  secretName: string;
  /**
   * Where: a folder holding every key of the Secret (or its `items`), which hides what the image
   * has there; with `items`, each item is mounted alone at `mountPath/<path>` (`subPath`), so
   * the folder keeps the image's other files. Absolute.
   */
  mountPath: string;
  /** Which keys, at which paths below `mountPath`. Default: every key, named after it. */
  items?: { key: string; path: string }[];
}

/** One configuration file of the repository, mounted in the pods. */
export interface ConfigFileSetting {
  /** The file, relative to the project (e.g. `stacks/prod/conf/deployment.toml`). */
  file: string;
  /** Where the file appears in the pod: an absolute file path. */
  mountPath: string;
}

/** A configuration file read for an integration: its ConfigMap key, place and content. */
export interface ResolvedConfigFile {
  /** The ConfigMap key: the file's name (`deployment.toml`). */
  key: string;
  /** The absolute path of the file in the pod. */
  mountPath: string;
  /** The file's text. */
  content: string;
}

/** The stack's `pod` object; per integration, maps merge key by key and other fields replace. */
export interface PodSettings {
  /** `nodeSelector`: node labels the pods require. Default: none. */
  nodeSelector?: Record<string, string>;
  /** `tolerations`: taints the pods tolerate (Kubernetes `Toleration`). Default: none. */
  tolerations?: IToleration[];
  /** `affinity`: the pods' affinity when the CR sets no `deploySpec.affinity`. Default: none. */
  affinity?: IAffinity;
  /** `priorityClassName`: a PriorityClass. Default: none (the cluster's default priority). */
  priorityClassName?: string;
  /**
   * `serviceAccountName`: the pods' ServiceAccount, whose token is then mounted. Default: none:
   * the namespace's `default` account, with no token mounted under `podSecurity: restricted`.
   */
  serviceAccountName?: string;
  /** `labels`: extra pod labels, never in selectors (`app` and `integration_cr` are refused). */
  labels?: Record<string, string>;
  /** `annotations`: extra pod annotations. Default: none. */
  annotations?: Record<string, string>;
}

/** An integer, or a percentage such as `"25%"`, as Kubernetes' `IntOrString` fields take. */
export type IntOrPercent = number | string;

/** The stack's `availability` object; each field merged separately per integration. */
export interface AvailabilitySettings {
  /**
   * A PodDisruptionBudget `N-pdb` (`maxUnavailable: 1`) for every integration that runs more
   * than one replica or autoscales, so that a node drain never takes all its pods. Default: true.
   */
  disruptionBudget?: boolean;
  /**
   * Soft `topologySpreadConstraints` across zones and nodes (`ScheduleAnyway`, `maxSkew: 1`).
   * Changes the pod template. Default: true.
   */
  topologySpread?: boolean;
  /**
   * A startup probe with the liveness probe's handler, so that a slow start (many CApps) is not
   * killed by liveness: `true` (`failureThreshold: 30`, `periodSeconds: 10`: 5 minutes), `false`,
   * or those two fields. Changes the pod template. Default: true.
   */
  startupProbe?: boolean | { failureThreshold?: number; periodSeconds?: number };
  /** The Deployment's rolling update. Default: `maxSurge: 1`, `maxUnavailable: 0`. */
  rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent };
  /** The HPA's `spec.behavior` (autoscaling/v2 `HorizontalPodAutoscalerBehavior`). Default: none. */
  hpaBehavior?: IHorizontalPodAutoscalerBehavior;
}

/** The values of `podSecurity`. */
export const POD_SECURITY_LEVELS = ["restricted", "none"] as const;
export type PodSecurity = (typeof POD_SECURITY_LEVELS)[number];

/** Who the pod's processes run as: numeric, so that the kubelet can check `runAsNonRoot`. */
export interface RunAs {
  /** `runAsUser`, at least 1. Default: 802, `wso2carbon` in WSO2's Micro Integrator images. */
  runAsUser: number;
  /** `runAsGroup`. Default: 802. */
  runAsGroup: number;
  /** `fsGroup`: the group that owns mounted volumes. Default: 802. */
  fsGroup: number;
}

/** One integration's override in `wso2-mi:integrations`: the stack-level keys that may differ. */
export interface IntegrationOverride extends PlatformSettings {
  /** `integration-config` keys for this integration, above the stack's `defaults`. */
  defaults?: Partial<IntegrationDefaults>;
}

/**
 * A stack's `kubernetes` object. `context` and `serverSideApply` configure an explicit Kubernetes
 * provider; `skipAwait` and `readinessTimeoutSeconds` apply to every object the stack manages.
 */
export interface KubernetesSettings {
  /** The kubeconfig context. Default: the kubeconfig's current context. */
  context?: string;
  /** Server-side apply. Default: the Kubernetes provider's (on). */
  serverSideApply?: boolean;
  /** Do not wait for objects to become ready (`pulumi.com/skipAwait`). Default: false. */
  skipAwait?: boolean;
  /**
   * How long `pulumi up` waits for each object to become ready when it is created or updated.
   * Default: the Kubernetes provider's (10 minutes for a Deployment).
   */
  readinessTimeoutSeconds?: number;
  /**
   * Do not wait for the Ingresses alone (`pulumi.com/skipAwait` on them): for controllers or
   * clusters that never publish `.status.loadBalancer.ingress`. Default: false.
   */
  skipIngressAwait?: boolean;
  /**
   * Integrations (`NS/N`) switching autoscaling on or off in this update: each gets a
   * `DeploymentPatch` that holds `spec.replicas` at `minReplicas` under a field manager of its own
   * while the Deployment and the HPA hand the field over. Remove them in the next update.
   * Default: none.
   */
  replicasHandover?: string[];
}

/** How a new digest reaches the pods: the pinned reference, or a pod-template annotation. */
export const IMAGE_REFRESH_MODES = ["digest", "annotation"] as const;
export type ImageRefreshMode = (typeof IMAGE_REFRESH_MODES)[number];

/** What happens when the registry cannot be reached: fail, or keep the digest already deployed. */
export const ON_UNREACHABLE = ["fail", "keep"] as const;
export type OnUnreachable = (typeof ON_UNREACHABLE)[number];

/** The stack's `imageRefresh` object, with its defaults applied. */
export interface ImageRefreshSettings {
  /** Whether tags are resolved to digests. Default: false. */
  enabled: boolean;
  /** `digest` puts `repo@sha256:...` in the container; `annotation` keeps the tag. Default: `digest`. */
  mode: ImageRefreshMode;
  /** Default: `fail`. */
  onUnreachable: OnUnreachable;
  /** Registries (`host[:port]`) reached over plain HTTP. Default: none (loopback is always HTTP). */
  insecureRegistries: string[];
  /** Seconds one registry request may take. Default: the registry client's. */
  timeoutSeconds?: number;
  /** A Docker config file with registry credentials. Default: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  dockerConfig?: string;
}

/** Image refresh of one integration, present when its tag is resolved to a digest. */
export interface ResolvedImageRefresh {
  mode: ImageRefreshMode;
  onUnreachable: OnUnreachable;
  /** Default: none. */
  insecureRegistries: string[];
  /** Default: the registry client's. */
  timeoutSeconds?: number;
}

/** One integration with every default applied: what the builders read. */
export interface ResolvedIntegration {
  source: Source;
  name: string;
  namespace: string;
  image: string;
  imagePullSecret?: string;
  pullPolicy: PullPolicy;
  /** `spec.replicas` when no HPA owns it; the HPA's minimum otherwise. */
  minReplicas: number;
  /** Present when autoscaling is on; `behavior` from the stack's `availability.hpaBehavior`. */
  autoscaling?: {
    maxReplicas: number;
    metrics: IMetricSpec[];
    behavior?: IHorizontalPodAutoscalerBehavior;
  };
  resources: {
    requests: { cpu?: string; memory?: string };
    limits: { cpu?: string; memory?: string };
  };
  livenessProbe?: IProbe;
  readinessProbe?: IProbe;
  affinity?: IAffinity;
  passthroPort: number;
  /** In the CR's order, as the operator lists them. */
  inboundPorts: number[];
  env: IEnvVar[];
  envFrom: IEnvFromSource[];
  configMaps: ConfigMapMount[];
  /** Extra pod-template annotations (`pod.annotations`, image refresh). Default: none. */
  podAnnotations: Record<string, string>;
  /** Extra pod-template labels (`pod.labels`); never on the selector. Default: none. */
  podLabels?: Record<string, string>;
  /** `pod.nodeSelector`. Default: absent. */
  nodeSelector?: Record<string, string>;
  /** `pod.tolerations`. Default: absent. */
  tolerations?: IToleration[];
  /** `pod.priorityClassName`. Default: absent. */
  priorityClassName?: string;
  /** `pod.serviceAccountName`. Default: absent. */
  serviceAccountName?: string;
  /** `secretFiles`. Default: absent. */
  secretFiles?: SecretFiles[];
  /** `configFiles`, read, sorted by key. Default: absent. */
  configFiles?: ResolvedConfigFile[];
  /**
   * Present when the pod is hardened (`podSecurity: restricted`, the default): who it runs as.
   * Absent with `podSecurity: none`.
   */
  podSecurity?: RunAs;
  /** The startup probe: the liveness probe's handler, with its own timing. Default: absent. */
  startupProbe?: IProbe;
  /** Soft spreading across zones and nodes. Default: absent (off). */
  topologySpread?: boolean;
  /** A PodDisruptionBudget with `maxUnavailable: 1`. Default: absent (none). */
  disruptionBudget?: boolean;
  /** The Deployment's rolling update. Default: `maxSurge: 1`, `maxUnavailable: 0`. */
  rollingUpdate?: { maxSurge: IntOrPercent; maxUnavailable: IntOrPercent };
  /**
   * Present when the image's tag is resolved to a digest: the stack has `imageRefresh.enabled`,
   * the CR does not opt out, and the image is not already pinned by digest. Default: absent.
   */
  imageRefresh?: ResolvedImageRefresh;
}

/** The shared Ingress settings after defaults, when the Ingress is enabled. */
export interface ResolvedIngress {
  name: string;
  host: string;
  className?: string;
  tlsSecretName?: string;
  annotations: Record<string, string>;
  /** `https` when a TLS secret is set, else `http`: the scheme of the URLs users call. */
  scheme: "http" | "https";
}

/** Everything a stack deploys, resolved: the builders' only input. */
export interface ResolvedStack {
  /** Sorted by namespace, then name. */
  integrations: ResolvedIntegration[];
  /** Absent when ingress creation is off. One Ingress per namespace is built from it. */
  ingress?: ResolvedIngress;
  /** The stack's `createNamespace`: a Namespace object per namespace used. Default: false. */
  createNamespace?: boolean;
  /** The stack's `kubernetes` settings. Default: absent (Pulumi's default provider). */
  kubernetes?: KubernetesSettings;
  /**
   * `reconcileInterval` after defaults (stack, controller config, built-in 10) and where it was
   * set; only `npm run reconciler` reads it. Absent when no level sets it.
   */
  reconcileInterval?: { seconds: number; from: string };
  /** Warnings and notes found on the way, for the caller to print. */
  advice: Problem[];
}

/**
 * A tag resolved by the registry: its digest (`sha256:...`) and the pinned reference
 * `repo:tag@sha256:...`. `V` is `string`, or a Pulumi Output inside the `Integration` component.
 */
export interface ImageDigestValue<V = string> {
  digest: V;
  pinned: V;
}
