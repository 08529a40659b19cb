/**
 * Defaults, applied key by key, highest first: the CR field, the stack settings (`defaults`,
 * `ingress`), the controller config file, the built-in (the operator's shipped file).
 */
import { builtinControllerConfig } from "../controllerConfig/parse";
import { resolveImageRefresh } from "../settings/imageRefresh";
import type { Problems, Source } from "../problems";
import { quantityValue, quote } from "../rules";
import type {
  ControllerConfig,
  IntegrationCR,
  IntegrationDefaults,
  IngressDefaults,
  PullPolicy,
  ResolvedIngress,
  ResolvedIntegration,
  ResolvedStack,
  StackSettings,
} from "../types";
import { compareByNamespaceAndName } from "../rules/order";
import {
  checkIngressAnnotations,
  checkJavaHeap,
  checkNamedProbePorts,
  checkRouteCollisions,
} from "./crossChecks";

/** The container image pull policy when a CR sets none, as the operator does. */
export const DEFAULT_PULL_POLICY: PullPolicy = "Always";
/** The Micro Integrator pass-through port when a CR sets none. */
export const DEFAULT_PASSTHRO_PORT = 8290;
/** The namespace of CRs that name none, when the stack names none either. */
export const DEFAULT_NAMESPACE = "default";

/** A value and where it came from, for messages that compare two values. */
interface Picked<T> {
  value: T;
  /** e.g. `spec.autoScale.maxReplicas`, or `maxReplicas in stacks/integration_controller_conf.yaml`. */
  from: string;
}

/** One level of defaults below the CR. */
interface Level {
  integration: Partial<IntegrationDefaults>;
  ingress: Partial<IngressDefaults>;
  /** Where a key of this level was set, for messages. */
  describe(key: string): string;
}

/** The levels below the CR, highest first. */
function levels(
  settings: StackSettings,
  controller: ControllerConfig | undefined,
  builtin: ControllerConfig,
): Level[] {
  const out: Level[] = [
    {
      integration: settings.defaults,
      ingress: settings.ingress,
      describe: (key) => `the stack's defaults.${key} in ${settings.source.file}`,
    },
  ];
  if (controller !== undefined) {
    out.push({
      integration: controller.integration,
      ingress: controller.ingress,
      describe: (key) => `${key} in ${controller.source.file}`,
    });
  }
  out.push({
    integration: builtin.integration,
    ingress: builtin.ingress,
    describe: () => "the built-in default",
  });
  return out;
}

/** The CR's value when set, else the first level that sets `key`. */
function pick<K extends keyof IntegrationDefaults>(
  key: K,
  crValue: IntegrationDefaults[K] | undefined,
  crPath: string,
  below: Level[],
): Picked<NonNullable<IntegrationDefaults[K]>> | undefined {
  if (crValue !== undefined && crValue !== null) return { value: crValue, from: crPath };
  for (const level of below) {
    const value = level.integration[key];
    if (value !== undefined && value !== null) return { value, from: level.describe(key) };
  }
  return undefined;
}

/** `file (document N)`, for messages that point at another document. */
function where(source: Source): string {
  return source.document === undefined
    ? source.file
    : `${source.file} (document ${source.document})`;
}

/** Reports a request above its limit (both after defaults). */
function checkRequestWithinLimit(
  request: Picked<string> | undefined,
  limit: Picked<string> | undefined,
  names: { request: string; limit: string },
  cr: IntegrationCR,
  problems: Problems,
): void {
  if (request === undefined || limit === undefined) return;
  const requested = quantityValue(request.value);
  const allowed = quantityValue(limit.value);
  if (requested === undefined || allowed === undefined || requested <= allowed) return;
  problems.error(
    cr.source,
    `spec.deploySpec.${names.request}`,
    `${names.request} ${quote(request.value)} (${request.from}) is above ` +
      `${names.limit} ${quote(limit.value)} (${limit.from}); a request cannot exceed its ` +
      `limit: lower ${names.request} or raise ${names.limit}`,
  );
}

/** Autoscaling after defaults, with its checks; undefined when autoscaling is off. */
function resolveAutoscaling(
  cr: IntegrationCR,
  minReplicas: Picked<number>,
  below: Level[],
  problems: Problems,
): ResolvedIntegration["autoscaling"] {
  const { autoScale } = cr.spec;
  const enabled = pick("enableAutoScale", autoScale.enabled, "spec.autoScale.enabled", below);
  if (enabled?.value !== true) return undefined;
  const maxReplicas = pick(
    "maxReplicas",
    autoScale.maxReplicas,
    "spec.autoScale.maxReplicas",
    below,
  ) ?? { value: minReplicas.value, from: "minReplicas" };
  const metrics = pick("hpaMetrics", undefined, "", below)?.value ?? [];
  if (minReplicas.value < 1) {
    problems.error(
      cr.source,
      "spec.deploySpec.minReplicas",
      `minReplicas is ${minReplicas.value} (${minReplicas.from}); with autoscaling on (${enabled.from}) ` +
        "it must be at least 1, since an HPA cannot scale to zero",
    );
  } else if (maxReplicas.value < minReplicas.value) {
    problems.error(
      cr.source,
      "spec.autoScale.maxReplicas",
      `maxReplicas ${maxReplicas.value} (${maxReplicas.from}) is below minReplicas ` +
        `${minReplicas.value} (${minReplicas.from}); raise maxReplicas to at least ` +
        `${minReplicas.value} or lower minReplicas`,
    );
  }
  return { maxReplicas: maxReplicas.value, metrics: structuredClone(metrics) };
}

/** One integration with every default applied. */
function resolveIntegration(
  cr: IntegrationCR,
  settings: StackSettings,
  below: Level[],
  problems: Problems,
  /** Whether `cr` had errors (see `resolveStack`'s `invalid`). */
  partial: boolean,
): ResolvedIntegration {
  const { spec } = cr;
  const deploy = spec.deploySpec;
  const at = (field: string): string => `spec.deploySpec.${field}`;
  const minReplicas = pick("minReplicas", deploy.minReplicas, at("minReplicas"), below) ?? {
    value: 1,
    from: "the operator's default",
  };
  const requestCPU = pick("requestCPU", deploy.requestCPU, at("requestCPU"), below);
  const reqMemory = pick("reqMemory", deploy.reqMemory, at("reqMemory"), below);
  const cpuLimit = pick("cpuLimit", deploy.cpuLimit, at("cpuLimit"), below);
  const memoryLimit = pick("memoryLimit", deploy.memoryLimit, at("memoryLimit"), below);
  checkRequestWithinLimit(
    requestCPU,
    cpuLimit,
    { request: "requestCPU", limit: "cpuLimit" },
    cr,
    problems,
  );
  checkRequestWithinLimit(
    reqMemory,
    memoryLimit,
    { request: "reqMemory", limit: "memoryLimit" },
    cr,
    problems,
  );
  const livenessProbe = pick("livenessProbe", deploy.livenessProbe, at("livenessProbe"), below);
  const readinessProbe = pick("readinessProbe", deploy.readinessProbe, at("readinessProbe"), below);
  const resolved: ResolvedIntegration = {
    source: cr.source,
    name: cr.metadata.name,
    namespace: cr.metadata.namespace ?? settings.namespace ?? DEFAULT_NAMESPACE,
    image: spec.image,
    pullPolicy: deploy.pullPolicy ?? DEFAULT_PULL_POLICY,
    minReplicas: minReplicas.value,
    resources: {
      requests: withDefined({ cpu: requestCPU?.value, memory: reqMemory?.value }),
      limits: withDefined({ cpu: cpuLimit?.value, memory: memoryLimit?.value }),
    },
    passthroPort: spec.expose.passthroPort ?? DEFAULT_PASSTHRO_PORT,
    inboundPorts: [...(spec.expose.inboundPorts ?? [])].sort((a, b) => a - b),
    env: structuredClone(spec.env),
    envFrom: structuredClone(spec.envFrom),
    configMaps: structuredClone(deploy.configmapDetails ?? []),
    podAnnotations: {},
  };
  checkNamedProbePorts(
    cr.source,
    {
      ...(livenessProbe === undefined ? {} : { livenessProbe }),
      ...(readinessProbe === undefined ? {} : { readinessProbe }),
    },
    [resolved.passthroPort, ...resolved.inboundPorts],
    problems,
  );
  // A CR with errors lost its invalid env entries: the indices of the others would be wrong.
  if (!partial) checkJavaHeap(cr.source, resolved, memoryLimit, problems);
  const autoscaling = resolveAutoscaling(cr, minReplicas, below, problems);
  if (autoscaling !== undefined) resolved.autoscaling = autoscaling;
  if (spec.imagePullSecret !== undefined) resolved.imagePullSecret = spec.imagePullSecret;
  if (livenessProbe !== undefined) resolved.livenessProbe = structuredClone(livenessProbe.value);
  if (readinessProbe !== undefined) resolved.readinessProbe = structuredClone(readinessProbe.value);
  if (deploy.affinity !== undefined) resolved.affinity = structuredClone(deploy.affinity);
  resolveIntegrationImageRefresh(cr, settings, resolved, problems);
  return resolved;
}

/**
 * Sets `resolved.imageRefresh` when the image's tag is resolved to a digest. In `annotation`
 * mode the tag stays in the image, so only `Always` makes new pods pull the annotated digest.
 */
function resolveIntegrationImageRefresh(
  cr: IntegrationCR,
  settings: StackSettings,
  resolved: ResolvedIntegration,
  problems: Problems,
): void {
  const refresh = resolveImageRefresh(cr, settings.imageRefresh, problems);
  if (refresh === undefined) return;
  resolved.imageRefresh = refresh;
  if (refresh.mode === "annotation" && resolved.pullPolicy !== "Always") {
    problems.warning(
      cr.source,
      "spec.deploySpec.pullPolicy",
      `${resolved.pullPolicy} is replaced by Always: with the stack's imageRefresh.mode ` +
        '"annotation" the tag stays in the image, and only Always makes new pods pull the ' +
        "digest the annotation names",
    );
    resolved.pullPolicy = "Always";
  }
}

/** `value` without its undefined fields. */
function withDefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The shared Ingress, once for the stack; undefined when ingress creation is off. The stack's
 * `ingress.enabled` and `defaults.autoIngressCreation` are one setting. Annotations: the
 * highest file level's (`ingress.properties`) taken whole, with the stack's `annotations` added
 * on top, so that a stack can add one without repeating `rewrite-target`. A file whose
 * `ingress.properties` names no class sets no class; an empty `className` or `tlsSecretName` in
 * the stack means none.
 */
function resolveIngress(below: Level[]): ResolvedIngress | undefined {
  const enabled =
    below.map((l) => l.ingress.enabled ?? l.integration.autoIngressCreation).find(isDefined) ??
    true;
  if (!enabled) return undefined;
  const first = <K extends keyof IngressDefaults>(key: K): IngressDefaults[K] | undefined =>
    below.map((l) => l.ingress[key]).find(isDefined);
  // Below the stack, the class was an annotation: it comes from the level that set annotations.
  const [stackLevel, ...files] = below;
  const classLevel = files.find(
    (l) => l.ingress.className !== undefined || l.ingress.annotations !== undefined,
  );
  const className = stackLevel.ingress.className ?? classLevel?.ingress.className;
  const tlsSecretName = first("tlsSecretName");
  const ingress: ResolvedIngress = {
    name: first("name") ?? "api-operator-ingress",
    host: first("host") ?? "wso2ei.ingress.wso2.com",
    annotations: {
      ...(files.map((l) => l.ingress.annotations).find(isDefined) ?? {}),
      ...(stackLevel.ingress.annotations ?? {}),
    },
    scheme: tlsSecretName !== undefined && tlsSecretName !== "" ? "https" : "http",
  };
  if (className !== undefined && className !== "") ingress.className = className;
  if (tlsSecretName !== undefined && tlsSecretName !== "") ingress.tlsSecretName = tlsSecretName;
  return ingress;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * Every integration of the stack with its defaults applied, and the shared Ingress. Namespace:
 * the CR's, else `settings.namespace`, else `default`; `pullPolicy` default `Always`;
 * `passthroPort` default 8290; `inboundPorts` sorted. Errors (to `problems`): with autoscaling on,
 * `minReplicas` below 1 or `maxReplicas` below `minReplicas`; a request above its limit; two
 * integrations with one name in one namespace. `advice` holds every warning and note in
 * `problems`. Sorted by namespace, then name.
 */
export function resolveStack(
  crs: IntegrationCR[],
  settings: StackSettings,
  controller: ControllerConfig | undefined,
  problems: Problems,
  /**
   * CRs of `crs` that had errors, read as far as they could be: checked here too, so that
   * every problem is reported at once, and left out of the result. Default: none.
   */
  invalid: ReadonlySet<IntegrationCR> = new Set(),
): ResolvedStack {
  const below = levels(settings, controller, builtinControllerConfig());
  const seen = new Map<string, Source>();
  const integrations: ResolvedIntegration[] = [];
  const inOrder: { integration: ResolvedIntegration; source: Source }[] = [];
  for (const cr of crs) {
    const partial = invalid.has(cr);
    const resolved = resolveIntegration(cr, settings, below, problems, partial);
    // A CR whose name had errors has none to compare.
    if (partial && resolved.name === "") continue;
    const id = `${resolved.namespace}/${resolved.name}`;
    const first = seen.get(id);
    if (first !== undefined) {
      problems.error(
        cr.source,
        "metadata.name",
        `integration ${quote(resolved.name)} in namespace ` +
          `${quote(resolved.namespace)} is also defined in ${where(first)}; names must ` +
          "be unique in a namespace: rename one, or give it another metadata.namespace",
      );
      continue;
    }
    seen.set(id, cr.source);
    inOrder.push({ integration: resolved, source: cr.source });
    if (!partial) integrations.push(resolved);
  }
  integrations.sort(compareByNamespaceAndName);
  const ingress = resolveIngress(below);
  checkRouteCollisions(inOrder, ingress, problems);
  checkIngressAnnotations(ingress, settings.source, undefined, problems);
  const stack: ResolvedStack = { integrations, advice: problems.advice };
  if (ingress !== undefined) stack.ingress = ingress;
  if (settings.createNamespace === true) stack.createNamespace = true;
  if (settings.kubernetes !== undefined) stack.kubernetes = { ...settings.kubernetes };
  return stack;
}
