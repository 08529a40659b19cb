/**
 * Defaults, applied key by key, highest first: the CR field, the stack settings (`defaults`,
 * `ingress`), the controller config file, the built-in (the operator's shipped file).
 */
import { builtinControllerConfig } from "../controllerConfig/parse";
import { resolveImageRefresh } from "../settings/imageRefresh";
import {
  integrationPlatform,
  resolveAvailability,
  resolveFiles,
  resolvePod,
  resolvePodSecurity,
} from "./platform";
import type { Problems, Source } from "../problems";
import { childPath, didYouMean, quantityValue, withoutUndefined } from "../rules";
import type {
  ControllerConfig,
  IntegrationCR,
  IntegrationDefaults,
  IngressDefaults,
  ResolvedIngress,
  ResolvedIntegration,
  ResolvedStack,
  StackSettings,
} from "../types";
import { compareByNamespaceAndName } from "../rules/order";
import {
  DEFAULT_INGRESS_NAME,
  DEFAULT_NAMESPACE,
  DEFAULT_PASSTHRO_PORT,
  DEFAULT_PULL_POLICY,
} from "./operator";

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
    `${names.request} ${JSON.stringify(request.value)} (${request.from}) is above ` +
      `${names.limit} ${JSON.stringify(limit.value)} (${limit.from}); a request cannot exceed its ` +
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

/** The key of the stack's per-integration overrides, as messages name it. */
export function overridesKey(settings: StackSettings): string {
  return `${settings.project ?? "wso2-mi"}:integrations`;
}

/**
 * The levels below the CR for integration `id`: its override's `defaults` (in the stack's
 * `integrations`) above the stack's levels.
 */
function levelsFor(id: string, settings: StackSettings, below: Level[]): Level[] {
  const override = settings.integrations?.[id]?.defaults;
  if (override === undefined) return below;
  const key = childPath(overridesKey(settings), id);
  return [
    {
      integration: override,
      ingress: {},
      describe: (field) => `${key}.defaults.${field} in ${settings.source.file}`,
    },
    ...below,
  ];
}

/**
 * Reports each id of the stack's `integrations` that names no integration of the stack, with
 * the closest id that does.
 */
function checkOverrideIds(
  settings: StackSettings,
  ids: readonly string[],
  problems: Problems,
): void {
  for (const id of Object.keys(settings.integrations ?? {}).sort()) {
    if (ids.includes(id)) continue;
    const name = id.split("/")[1];
    const close = didYouMean(id, ids) ?? ids.find((other) => other.split("/")[1] === name);
    problems.error(
      settings.source,
      childPath(overridesKey(settings), id),
      close !== undefined
        ? `no integration ${JSON.stringify(id)} in this stack; did you mean ${JSON.stringify(close)}?`
        : `no integration ${JSON.stringify(id)} in this stack; its integrations are ` +
            (ids.length === 0 ? "none" : ids.join(", ")),
    );
  }
}

/** One integration with every default applied. */
function resolveIntegration(
  cr: IntegrationCR,
  settings: StackSettings,
  stackLevels: Level[],
  problems: Problems,
  files: ReadonlyMap<string, string>,
): ResolvedIntegration {
  const { spec } = cr;
  const namespace = cr.metadata.namespace ?? settings.namespace ?? DEFAULT_NAMESPACE;
  const below = levelsFor(`${namespace}/${cr.metadata.name}`, settings, stackLevels);
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
    namespace,
    image: spec.image,
    pullPolicy: deploy.pullPolicy ?? DEFAULT_PULL_POLICY,
    minReplicas: minReplicas.value,
    resources: {
      requests: withoutUndefined({ cpu: requestCPU?.value, memory: reqMemory?.value }),
      limits: withoutUndefined({ cpu: cpuLimit?.value, memory: memoryLimit?.value }),
    },
    passthroPort: spec.expose.passthroPort ?? DEFAULT_PASSTHRO_PORT,
    // In the CR's order, as the operator lists them: container and Service ports in another
    // order would change an adopted Deployment's pod template and roll its pods.
    inboundPorts: [...(spec.expose.inboundPorts ?? [])],
    env: structuredClone(spec.env),
    envFrom: structuredClone(spec.envFrom),
    configMaps: structuredClone(deploy.configmapDetails ?? []),
    podAnnotations: {},
  };
  const autoscaling = resolveAutoscaling(cr, minReplicas, below, problems);
  if (autoscaling !== undefined) resolved.autoscaling = autoscaling;
  if (spec.imagePullSecret !== undefined) resolved.imagePullSecret = spec.imagePullSecret;
  if (livenessProbe !== undefined) resolved.livenessProbe = structuredClone(livenessProbe.value);
  if (readinessProbe !== undefined) resolved.readinessProbe = structuredClone(readinessProbe.value);
  if (deploy.affinity !== undefined) resolved.affinity = structuredClone(deploy.affinity);
  resolveIntegrationImageRefresh(cr, settings, resolved, problems);
  const platform = integrationPlatform(`${namespace}/${resolved.name}`, settings);
  resolvePodSecurity(platform, settings, resolved, problems);
  resolveAvailability(platform, settings, resolved, problems);
  resolvePod(platform, resolved);
  resolveFiles(platform, settings, resolved, files, problems);
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
    name: stackLevel.ingress.name ?? DEFAULT_INGRESS_NAME,
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
 * `passthroPort` default 8290; `inboundPorts` in the CR's order. Errors (to `problems`): with autoscaling on,
 * `minReplicas` below 1 or `maxReplicas` below `minReplicas`; a request above its limit; two
 * integrations with one name in one namespace. `advice` holds every warning and note in
 * `problems`. Sorted by namespace, then name.
 */
export function resolveStack(
  crs: IntegrationCR[],
  settings: StackSettings,
  controller: ControllerConfig | undefined,
  problems: Problems,
  files: ReadonlyMap<string, string> = new Map(),
): ResolvedStack {
  const below = levels(settings, controller, builtinControllerConfig());
  const seen = new Map<string, Source>();
  const integrations: ResolvedIntegration[] = [];
  for (const cr of crs) {
    const resolved = resolveIntegration(cr, settings, below, problems, files);
    const id = `${resolved.namespace}/${resolved.name}`;
    const first = seen.get(id);
    if (first !== undefined) {
      problems.error(
        cr.source,
        "metadata.name",
        `integration ${JSON.stringify(resolved.name)} in namespace ` +
          `${JSON.stringify(resolved.namespace)} is also defined in ${where(first)}; names must ` +
          "be unique in a namespace: rename one, or give it another metadata.namespace",
      );
      continue;
    }
    seen.set(id, cr.source);
    integrations.push(resolved);
  }
  integrations.sort(compareByNamespaceAndName);
  checkOverrideIds(
    settings,
    integrations.map((i) => `${i.namespace}/${i.name}`),
    problems,
  );
  const stack: ResolvedStack = { integrations, advice: problems.advice };
  const ingress = resolveIngress(below);
  if (ingress !== undefined) stack.ingress = ingress;
  if (settings.createNamespace === true) stack.createNamespace = true;
  if (settings.kubernetes !== undefined) stack.kubernetes = { ...settings.kubernetes };
  checkHandover(settings, integrations, problems);
  const interval = pick("reconcileInterval", undefined, "", below);
  if (interval !== undefined) {
    stack.reconcileInterval = { seconds: interval.value, from: interval.from };
  }
  return stack;
}

/** Each integration `kubernetes.replicasHandover` names must be one of the stack's. */
function checkHandover(
  settings: StackSettings,
  integrations: readonly ResolvedIntegration[],
  problems: Problems,
): void {
  const known = integrations.map((i) => `${i.namespace}/${i.name}`);
  const field = `${settings.project}:kubernetes.replicasHandover`;
  (settings.kubernetes?.replicasHandover ?? []).forEach((key) => {
    if (known.includes(key)) return;
    const close = didYouMean(key, known);
    problems.error(
      settings.source,
      field,
      `no integration ${JSON.stringify(key)} in this stack` +
        (close === undefined ? "" : `; did you mean ${JSON.stringify(close)}?`),
    );
  });
}
