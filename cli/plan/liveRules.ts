/**
 * What a plan against live objects knows of Kubernetes: the fields the API server defaults when
 * an object leaves them out (compared with the stack only when the stack sets them), and how
 * server-side apply merges lists (a field of the live object the stack does not set is kept,
 * unless a list the stack sets is replaced whole).
 */
import { pathSteps, type Step } from "./livePaths";
import type { Value } from "./values";

/** A value the API server gives a field an object leaves out, for objects of one kind. */
export interface LiveDefault {
  kind: string;
  /** The field, with `[]` for any list item: `spec.template.spec.containers[].ports[].protocol`. */
  path: string;
  value: Value;
  /** Where Kubernetes sets it. */
  source: string;
}

const APPS = "pkg/apis/apps/v1/defaults.go SetDefaults_Deployment";
const CORE = "pkg/apis/core/v1/defaults.go";
const HPA = "pkg/apis/autoscaling/v2/defaults.go SetDefaults_HorizontalPodAutoscaler";
const POD = "spec.template.spec";

/** The defaults of a probe at `path` (of a container), and of an HTTP GET handler. */
function probeDefaults(path: string): LiveDefault[] {
  const probe = (field: string, value: number): LiveDefault => ({
    kind: "Deployment",
    path: `${path}.${field}`,
    value,
    source: `${CORE} SetDefaults_Probe`,
  });
  return [
    probe("timeoutSeconds", 1),
    probe("periodSeconds", 10),
    probe("successThreshold", 1),
    probe("failureThreshold", 3),
    ...httpGetDefaults(path),
  ];
}

function httpGetDefaults(path: string): LiveDefault[] {
  const source = `${CORE} SetDefaults_HTTPGetAction`;
  return [
    { kind: "Deployment", path: `${path}.httpGet.scheme`, value: "HTTP", source },
    { kind: "Deployment", path: `${path}.httpGet.path`, value: "/", source },
  ];
}

function containerDefaults(list: string): LiveDefault[] {
  const c = `${POD}.${list}[]`;
  const container = `${CORE} SetDefaults_Container`;
  return [
    {
      kind: "Deployment",
      path: `${c}.terminationMessagePath`,
      value: "/dev/termination-log",
      source: container,
    },
    { kind: "Deployment", path: `${c}.terminationMessagePolicy`, value: "File", source: container },
    {
      kind: "Deployment",
      path: `${c}.ports[].protocol`,
      value: "TCP",
      source: 'k8s.io/api/core/v1 ContainerPort.Protocol (+default="TCP")',
    },
    {
      kind: "Deployment",
      path: `${c}.env[].valueFrom.fieldRef.apiVersion`,
      value: "v1",
      source: `${CORE} SetDefaults_ObjectFieldSelector`,
    },
    ...probeDefaults(`${c}.livenessProbe`),
    ...probeDefaults(`${c}.readinessProbe`),
    ...probeDefaults(`${c}.startupProbe`),
    ...httpGetDefaults(`${c}.lifecycle.preStop`),
    ...httpGetDefaults(`${c}.lifecycle.postStart`),
  ];
}

/** The scale-up and scale-down rules the API server fills in a `behavior` that names one. */
const HPA_SCALE_UP: Value = {
  policies: [
    { periodSeconds: 15, type: "Pods", value: 4 },
    { periodSeconds: 15, type: "Percent", value: 100 },
  ],
  selectPolicy: "Max",
  stabilizationWindowSeconds: 0,
};
const HPA_SCALE_DOWN: Value = {
  policies: [{ periodSeconds: 15, type: "Percent", value: 100 }],
  selectPolicy: "Max",
};

/** Every default the plan knows, by kind. */
export const LIVE_DEFAULTS: readonly LiveDefault[] = [
  { kind: "Deployment", path: "spec.replicas", value: 1, source: APPS },
  { kind: "Deployment", path: "spec.revisionHistoryLimit", value: 10, source: APPS },
  { kind: "Deployment", path: "spec.progressDeadlineSeconds", value: 600, source: APPS },
  { kind: "Deployment", path: "spec.strategy.type", value: "RollingUpdate", source: APPS },
  {
    kind: "Deployment",
    path: "spec.strategy.rollingUpdate.maxUnavailable",
    value: "25%",
    source: APPS,
  },
  { kind: "Deployment", path: "spec.strategy.rollingUpdate.maxSurge", value: "25%", source: APPS },
  ...[
    ["dnsPolicy", "ClusterFirst"],
    ["restartPolicy", "Always"],
    ["schedulerName", "default-scheduler"],
    ["terminationGracePeriodSeconds", 30],
  ].map(([field, value]) => ({
    kind: "Deployment",
    path: `${POD}.${field}`,
    value,
    source: `${CORE} SetDefaults_PodSpec`,
  })),
  ...containerDefaults("containers"),
  ...containerDefaults("initContainers"),
  ...[
    ["configMap", "ConfigMap"],
    ["secret", "Secret"],
    ["downwardAPI", "DownwardAPI"],
    ["projected", "Projected"],
  ].map(([volume, type]) => ({
    kind: "Deployment",
    path: `${POD}.volumes[].${volume}.defaultMode`,
    value: 420,
    source: `${CORE} SetDefaults_${type}VolumeSource`,
  })),
  ...[
    ["spec.type", "ClusterIP"],
    ["spec.sessionAffinity", "None"],
    ["spec.internalTrafficPolicy", "Cluster"],
    ["spec.ports[].protocol", "TCP"],
  ].map(([path, value]) => ({
    kind: "Service",
    path,
    value,
    source: `${CORE} SetDefaults_Service`,
  })),
  { kind: "HorizontalPodAutoscaler", path: "spec.minReplicas", value: 1, source: HPA },
  {
    kind: "HorizontalPodAutoscaler",
    path: "spec.metrics",
    value: [
      {
        resource: { name: "cpu", target: { averageUtilization: 80, type: "Utilization" } },
        type: "Resource",
      },
    ],
    source: HPA,
  },
  {
    kind: "HorizontalPodAutoscaler",
    path: "spec.behavior.scaleUp",
    value: HPA_SCALE_UP,
    source: `${HPA} (GenerateHPAScaleUpRules)`,
  },
  {
    kind: "HorizontalPodAutoscaler",
    path: "spec.behavior.scaleDown",
    value: HPA_SCALE_DOWN,
    source: `${HPA} (GenerateHPAScaleDownRules)`,
  },
  {
    kind: "HorizontalPodAutoscaler",
    path: "spec.selectionStrategy",
    value: "LabelSelector",
    source: `${HPA} (SetDefaults_HorizontalPodAutoscalerBehavior)`,
  },
  {
    kind: "Ingress",
    path: "spec.rules[].http.paths[].pathType",
    value: "ImplementationSpecific",
    source: "pkg/apis/networking/v1beta1/defaults.go SetDefaults_HTTPIngressPath",
  },
];

/** {@link LIVE_DEFAULTS} by kind, each path as steps. */
const DEFAULTS_BY_KIND = new Map<string, { steps: Step[]; value: Value }[]>();
for (const d of LIVE_DEFAULTS) {
  const list = DEFAULTS_BY_KIND.get(d.kind) ?? [];
  list.push({ steps: pathSteps(d.path), value: d.value });
  DEFAULTS_BY_KIND.set(d.kind, list);
}

/** The defaults of `kind`, their paths as steps. */
export function defaultsOf(kind: string): readonly { steps: Step[]; value: Value }[] {
  return DEFAULTS_BY_KIND.get(kind) ?? [];
}

/**
 * The lists of the kinds a stack deploys that server-side apply merges item by item (a
 * `+listType=map` in k8s.io/api): an item the stack does not set stays. Every other list is
 * atomic (`+listType=atomic`, or untagged: Ingress `rules`, `tls` and `paths`, HPA `metrics`,
 * `command`, `args`, `envFrom`, `tolerations`, ...): the stack's list replaces the live one whole.
 */
export const MERGED_LISTS: ReadonlySet<string> = new Set([
  "containers",
  "initContainers",
  "ephemeralContainers",
  "ports",
  "env",
  "volumes",
  "volumeMounts",
  "volumeDevices",
  "imagePullSecrets",
  "ownerReferences",
  "hostAliases",
  "resourceClaims",
  "finalizers",
]);

/** Maps server-side apply replaces whole (`+mapType=atomic`): the Service's selector. */
export const ATOMIC_MAPS: readonly { kind: string; steps: Step[] }[] = [
  { kind: "Service", steps: pathSteps("spec.selector") },
  { kind: "Deployment", steps: pathSteps("spec.selector") },
];

/** The deprecated class annotation the operator wrote and the stack no longer does. */
export const INGRESS_CLASS_ANNOTATION_PATH = pathSteps(
  'metadata.annotations["kubernetes.io/ingress.class"]',
);

/** Why the kept class annotation matters, and how to clear it. */
export function ingressClassNote(namespace: string | null, name: string): string {
  return (
    "deprecated, and ingress-nginx reads it before spec.ingressClassName; after the first " +
    `pulumi up, clear it: kubectl annotate ingress ${name} -n ${namespace ?? "default"} ` +
    "kubernetes.io/ingress.class-"
  );
}
