/**
 * The platform settings of a stack: what a platform team chooses per environment for every
 * integration (pod security, availability, scheduling, files, metrics, patches), set at the stack
 * level (`wso2-mi:<key>`) and overridden per integration in one shape:
 * `wso2-mi:integrations: { "<namespace>/<name>": { <key>: ... } }`, with the same keys.
 */
import type { IToleration } from "kubernetes-models/v1/Toleration";
import { parseOverrideImageRefresh } from "./imageRefresh";
import { checkIntegrationSettings } from "./integrationDefaults";
import {
  type At,
  checkChoice,
  checkFields,
  checkInteger,
  checkRequired,
  checkSchema,
  checkStrictBoolean,
  INT32_MAX,
  itemAt,
  type SchemaNode,
  dns1123SubdomainProblem,
  labelValueProblem,
  qualifiedNameProblem,
  reportsErrors,
  checkString,
  childAt,
  describeValue,
  didYouMean,
  dns1123LabelProblem,
  isMapping,
  quote,
  report,
} from "../rules";
import { checkAffinityRules } from "../integration/affinity";
import { crdNode } from "../integration/crdSchema";
import {
  type AvailabilitySettings,
  type IAffinity,
  type ConfigFileSetting,
  type MetricsSettings,
  type PodSettings,
  type SecretFiles,
  type IntOrPercent,
  POD_SECURITY_LEVELS,
  type IntegrationOverride,
  type PlatformSettings,
  type RunAs,
} from "../types";

/** The platform keys, valid at the stack level and in an integration's override. */
export const PLATFORM_KEYS = [
  "podSecurity",
  "securityContext",
  "availability",
  "pod",
  "secretFiles",
  "configFiles",
  "metrics",
] as const satisfies readonly (keyof PlatformSettings)[];

/** Keys an integration's override takes: `defaults`, `imageRefresh` (its `policy`) and every platform key. */
export const OVERRIDE_KEYS: readonly string[] = ["defaults", "imageRefresh", ...PLATFORM_KEYS];

/** The `integration-config` keys that are stack-wide, and so not in an override's `defaults`. */
const STACK_WIDE_DEFAULTS = ["autoIngressCreation", "reconcileInterval"];

/** How a platform key's value is written: a mapping, a list or a word. */
type Shape = "mapping" | "list" | "word";

const SHAPES: Record<(typeof PLATFORM_KEYS)[number], Shape> = {
  podSecurity: "word",
  securityContext: "mapping",
  availability: "mapping",
  pod: "mapping",
  secretFiles: "list",
  configFiles: "list",
  metrics: "mapping",
};

/** The keys of `pod`. */
export const POD_KEYS = [
  "nodeSelector",
  "tolerations",
  "affinity",
  "priorityClassName",
  "serviceAccountName",
  "labels",
  "annotations",
] as const;

/** The labels of the Deployment's selector, which is immutable: no setting may add to them. */
const SELECTOR_LABEL_KEYS = ["app", "integration_cr"];

/** A Kubernetes `Toleration`, as the API server's OpenAPI states it. */
const TOLERATION: SchemaNode = {
  type: "object",
  properties: {
    key: { type: "string" },
    operator: { type: "string", enum: ["Exists", "Equal"] },
    value: { type: "string" },
    effect: { type: "string", enum: ["NoSchedule", "PreferNoSchedule", "NoExecute"] },
    tolerationSeconds: { type: "integer", format: "int64" },
  },
};

/** The keys of `availability`. */
export const AVAILABILITY_KEYS = [
  "disruptionBudget",
  "topologySpread",
  "startupProbe",
  "rollingUpdate",
  "hpaBehavior",
] as const;

/** The schema of the HPA's `behavior` (autoscaling/v2), as the API server's OpenAPI states it. */
const SCALING_RULES: SchemaNode = {
  type: "object",
  properties: {
    stabilizationWindowSeconds: { type: "integer", format: "int32" },
    selectPolicy: { type: "string", enum: ["Max", "Min", "Disabled"] },
    policies: {
      type: "array",
      items: {
        type: "object",
        required: ["type", "value", "periodSeconds"],
        properties: {
          type: { type: "string", enum: ["Pods", "Percent"] },
          value: { type: "integer", format: "int32" },
          periodSeconds: { type: "integer", format: "int32" },
        },
      },
    },
  },
};
const HPA_BEHAVIOR: SchemaNode = {
  type: "object",
  properties: { scaleUp: SCALING_RULES, scaleDown: SCALING_RULES },
};

/** The keys of `securityContext`. */
export const SECURITY_CONTEXT_KEYS = ["runAsUser", "runAsGroup", "fsGroup"] as const;

/** The largest user or group id Kubernetes accepts (int64 in the API; Linux ids are 32-bit). */
const MAX_ID = 2147483647;

/**
 * A platform key's value as Pulumi hands it to a program (objects and lists as JSON, words as
 * they are), typed; undefined (reported) when it is not of the key's shape.
 */
export function platformValue(
  key: (typeof PLATFORM_KEYS)[number],
  value: string,
  at: At,
): { value: unknown } | undefined {
  const shape = SHAPES[key];
  if (shape === "word") return { value };
  const opening = shape === "mapping" ? "{" : "[";
  if (!value.trim().startsWith(opening)) {
    report(
      at,
      `expected ${shape === "mapping" ? "a mapping" : "a list"} (in the stack file, indented ` +
        `under ${at.path}), got ${quote(value)}`,
    );
    return undefined;
  }
  try {
    return { value: JSON.parse(value) as unknown };
  } catch (error) {
    report(at, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Checks one platform key's typed value and stores it in `out`. */
export function parsePlatformKey(
  key: (typeof PLATFORM_KEYS)[number],
  value: unknown,
  at: At,
  out: PlatformSettings,
): void {
  switch (key) {
    case "podSecurity": {
      const level = checkChoice(value, at, POD_SECURITY_LEVELS);
      if (level !== undefined) out.podSecurity = level;
      return;
    }
    case "securityContext": {
      const fields = checkFields(value, at, SECURITY_CONTEXT_KEYS);
      if (fields === undefined) return;
      const runAs: Partial<RunAs> = {};
      for (const field of SECURITY_CONTEXT_KEYS) {
        if (fields[field] === undefined) continue;
        // runAsUser 0 is root, which runAsNonRoot refuses; groups may be 0.
        const id = checkInteger(
          fields[field],
          childAt(at, field),
          field === "runAsUser" ? 1 : 0,
          MAX_ID,
        );
        if (id !== undefined) runAs[field] = id;
      }
      out.securityContext = runAs;
      return;
    }
    case "availability": {
      const availability = parseAvailability(value, at);
      if (availability !== undefined) out.availability = availability;
      return;
    }
    case "pod": {
      const pod = parsePod(value, at);
      if (pod !== undefined) out.pod = pod;
      return;
    }
    case "secretFiles": {
      const list = parseList(value, at, parseSecretFiles);
      if (list !== undefined) out.secretFiles = list;
      return;
    }
    case "metrics": {
      const metrics = parseMetrics(value, at);
      if (metrics !== undefined) out.metrics = metrics;
      return;
    }
    case "configFiles": {
      const list = parseList(value, at, parseConfigFile);
      if (list !== undefined && distinctKeys(list, at)) out.configFiles = list;
      return;
    }
  }
}

/** A Prometheus duration: `30s`, `1m`, `1h30m`. */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

function parseMetrics(value: unknown, at: At): MetricsSettings | undefined {
  const fields = checkFields(value, at, ["enabled", "annotations", "serviceMonitor"]);
  if (fields === undefined) return undefined;
  const out: MetricsSettings = {};
  for (const key of ["enabled", "annotations"] as const) {
    if (fields[key] === undefined) continue;
    const on = checkStrictBoolean(fields[key], childAt(at, key));
    if (on !== undefined) out[key] = on;
  }
  if (fields.serviceMonitor !== undefined) {
    const here = childAt(at, "serviceMonitor");
    const monitor = checkFields(fields.serviceMonitor, here, ["enabled", "interval", "labels"]);
    if (monitor === undefined) return out;
    const parsed: NonNullable<MetricsSettings["serviceMonitor"]> = {};
    if (monitor.enabled !== undefined) {
      const on = checkStrictBoolean(monitor.enabled, childAt(here, "enabled"));
      if (on !== undefined) parsed.enabled = on;
    }
    if (monitor.interval !== undefined) {
      const interval = checkString(monitor.interval, childAt(here, "interval"));
      if (interval !== undefined && DURATION.test(interval)) parsed.interval = interval;
      else if (interval !== undefined) {
        report(
          childAt(here, "interval"),
          `expected a duration such as "30s" or "1m", got ${JSON.stringify(interval)}`,
        );
      }
    }
    if (monitor.labels !== undefined) {
      const labels = checkLabelMap(monitor.labels, childAt(here, "labels"), false);
      if (labels !== undefined) parsed.labels = labels;
    }
    out.serviceMonitor = parsed;
  }
  return out;
}

/** A list whose items `parse` checks; undefined when any item is wrong. */
function parseList<T>(
  value: unknown,
  at: At,
  parse: (item: unknown, at: At) => T | undefined,
): T[] | undefined {
  if (!Array.isArray(value)) {
    report(at, `expected a list, got ${describeValue(value)}`);
    return undefined;
  }
  const out: T[] = [];
  let ok = true;
  value.forEach((item, i) => {
    const parsed = parse(item, itemAt(at, i));
    if (parsed === undefined) ok = false;
    else out.push(parsed);
  });
  return ok ? out : undefined;
}

/** An absolute path in the pod, without `..` or `:` (which Kubernetes refuses in mount paths). */
function checkMountPath(value: unknown, at: At): string | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  if (!text.startsWith("/") || text.split("/").includes("..") || text.includes(":")) {
    report(at, `expected an absolute path in the pod without ".." or ":", got ${quote(text)}`);
    return undefined;
  }
  return text;
}

/** A relative file path below a mount path: no leading `/`, no `..`. */
function checkItemPath(value: unknown, at: At): string | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  if (text === "" || text.startsWith("/") || text.split("/").includes("..")) {
    report(at, `expected a relative path such as "wso2carbon.jks", got ${quote(text)}`);
    return undefined;
  }
  return text;
}

function parseSecretFiles(value: unknown, at: At): SecretFiles | undefined {
  const fields = checkFields(value, at, ["secretName", "mountPath", "items"]);
  if (fields === undefined) return undefined;
  const errors = at.problems.errorCount;
  checkRequired(fields, at, ["secretName", "mountPath"]);
  const secretName =
    fields.secretName === undefined
      ? undefined
      : checkString(fields.secretName, childAt(at, "secretName"));
  if (secretName !== undefined) {
    const problem = dns1123SubdomainProblem(secretName);
    if (problem !== undefined) report(childAt(at, "secretName"), problem);
  }
  const mountPath =
    fields.mountPath === undefined
      ? undefined
      : checkMountPath(fields.mountPath, childAt(at, "mountPath"));
  let items: SecretFiles["items"];
  if (fields.items !== undefined) {
    items = parseList(fields.items, childAt(at, "items"), (item, here) => {
      const entry = checkFields(item, here, ["key", "path"]);
      if (entry === undefined || !checkRequired(entry, here, ["key", "path"])) return undefined;
      const key = checkString(entry.key, childAt(here, "key"));
      const itemPath = checkItemPath(entry.path, childAt(here, "path"));
      return key === undefined || itemPath === undefined ? undefined : { key, path: itemPath };
    });
  }
  if (at.problems.errorCount > errors || secretName === undefined || mountPath === undefined) {
    return undefined;
  }
  return { secretName, mountPath, ...(items !== undefined ? { items } : {}) };
}

function parseConfigFile(value: unknown, at: At): ConfigFileSetting | undefined {
  const fields = checkFields(value, at, ["file", "mountPath"]);
  if (fields === undefined || !checkRequired(fields, at, ["file", "mountPath"])) return undefined;
  const file = checkString(fields.file, childAt(at, "file"));
  if (file !== undefined && file.trim() === "") {
    report(childAt(at, "file"), "expected a file of the repository, relative to the project");
    return undefined;
  }
  if (file !== undefined && !/^[-._a-zA-Z0-9]+$/.test(configFileKey(file))) {
    report(
      childAt(at, "file"),
      `the file's name ${quote(configFileKey(file))} is not a ConfigMap key: use only letters, digits, '-', '_' and '.'`,
    );
    return undefined;
  }
  const mountPath = checkMountPath(fields.mountPath, childAt(at, "mountPath"));
  if (mountPath !== undefined && mountPath.endsWith("/")) {
    report(childAt(at, "mountPath"), "expected the path of the file in the pod, not a folder");
    return undefined;
  }
  return file === undefined || mountPath === undefined ? undefined : { file, mountPath };
}

/** The ConfigMap key of a config file: its name. */
export function configFileKey(file: string): string {
  return file.split(/[\\/]/).at(-1) ?? file;
}

/** Two files of one list with one name would be one ConfigMap key: an error. */
function distinctKeys(list: readonly ConfigFileSetting[], at: At): boolean {
  let ok = true;
  const seen = new Map<string, number>();
  list.forEach((entry, i) => {
    const key = configFileKey(entry.file);
    const first = seen.get(key);
    if (first !== undefined) {
      ok = false;
      report(
        childAt(itemAt(at, i), "file"),
        `has the same name as ${at.path}[${first}].file, ${quote(key)}: each file is a key of one ConfigMap; rename one of them`,
      );
    } else seen.set(key, i);
  });
  return ok;
}

function parsePod(value: unknown, at: At): PodSettings | undefined {
  const fields = checkFields(value, at, POD_KEYS);
  if (fields === undefined) return undefined;
  const out: PodSettings = {};
  for (const [key, item] of Object.entries(fields)) {
    const here = childAt(at, key);
    switch (key) {
      case "nodeSelector":
      case "labels": {
        const labels = checkLabelMap(item, here, key === "labels");
        if (labels !== undefined) out[key] = labels;
        break;
      }
      case "annotations": {
        const annotations = checkAnnotations(item, here);
        if (annotations !== undefined) out.annotations = annotations;
        break;
      }
      case "tolerations": {
        const tolerations = checkSchema(item, { type: "array", items: TOLERATION }, here);
        if (tolerations !== undefined && checkTolerationRules(tolerations as IToleration[], here)) {
          out.tolerations = tolerations as IToleration[];
        }
        break;
      }
      case "affinity": {
        const affinity = checkSchema(item, crdNode("spec", "deploySpec", "affinity"), here);
        if (
          affinity !== undefined &&
          !reportsErrors(here.problems, () => checkAffinityRules(affinity as IAffinity, here))
        ) {
          out.affinity = affinity as IAffinity;
        }
        break;
      }
      case "priorityClassName":
      case "serviceAccountName": {
        const name = checkString(item, here);
        if (name === undefined) break;
        const problem = dns1123SubdomainProblem(name);
        if (problem === undefined) out[key] = name;
        else report(here, problem);
        break;
      }
    }
  }
  return out;
}

/** A map of label keys to label values; with `pod`, the selector's keys are refused. */
function checkLabelMap(value: unknown, at: At, pod: boolean): Record<string, string> | undefined {
  if (!isMapping(value)) {
    report(at, `expected a mapping of labels, got ${describeValue(value)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const [key, item] of Object.entries(value)) {
    const here = childAt(at, key);
    const keyProblem = qualifiedNameProblem(key);
    const text = checkString(item, here);
    if (keyProblem !== undefined) {
      report(here, `not a label key: ${keyProblem}`);
      ok = false;
    } else if (pod && SELECTOR_LABEL_KEYS.includes(key)) {
      report(
        here,
        `is one of the Deployment's selector labels (${SELECTOR_LABEL_KEYS.join(", ")}), which ` +
          "are set from the CR and cannot change; choose another key",
      );
      ok = false;
    } else if (text === undefined) {
      ok = false;
    } else {
      const valueProblem = labelValueProblem(text);
      if (valueProblem !== undefined) {
        report(here, `${quote(text)}: ${valueProblem}`);
        ok = false;
      } else {
        out[key] = text;
      }
    }
  }
  return ok ? out : undefined;
}

/** A map of annotation keys to string values. */
function checkAnnotations(value: unknown, at: At): Record<string, string> | undefined {
  if (!isMapping(value)) {
    report(at, `expected a mapping of annotations, got ${describeValue(value)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const [key, item] of Object.entries(value)) {
    const here = childAt(at, key);
    const problem = qualifiedNameProblem(key);
    const text = checkString(item, here);
    if (problem !== undefined) {
      report(here, `not an annotation key: ${problem}`);
      ok = false;
    } else if (text === undefined) {
      ok = false;
    } else {
      out[key] = text;
    }
  }
  return ok ? out : undefined;
}

/** The API server's rules for tolerations beyond their schema. */
function checkTolerationRules(tolerations: readonly IToleration[], at: At): boolean {
  let ok = true;
  tolerations.forEach((toleration, i) => {
    const here = itemAt(at, i);
    if (toleration.operator === "Exists" && (toleration.value ?? "") !== "") {
      report(childAt(here, "value"), "must be empty when operator is Exists");
      ok = false;
    }
    if ((toleration.key ?? "") === "" && toleration.operator !== "Exists") {
      report(
        childAt(here, "operator"),
        "must be Exists when key is empty (to tolerate every taint)",
      );
      ok = false;
    }
    if (toleration.key !== undefined && toleration.key !== "") {
      const problem = qualifiedNameProblem(toleration.key);
      if (problem !== undefined) {
        report(childAt(here, "key"), `not a taint key: ${problem}`);
        ok = false;
      }
    }
    if (toleration.tolerationSeconds !== undefined && toleration.effect !== "NoExecute") {
      report(childAt(here, "tolerationSeconds"), "is only allowed with effect NoExecute");
      ok = false;
    }
  });
  return ok;
}

function parseAvailability(value: unknown, at: At): AvailabilitySettings | undefined {
  const fields = checkFields(value, at, AVAILABILITY_KEYS);
  if (fields === undefined) return undefined;
  const out: AvailabilitySettings = {};
  for (const [key, item] of Object.entries(fields)) {
    const here = childAt(at, key);
    switch (key) {
      case "disruptionBudget":
      case "topologySpread": {
        const on = checkStrictBoolean(item, here);
        if (on !== undefined) out[key] = on;
        break;
      }
      case "startupProbe": {
        if (typeof item === "boolean") {
          out.startupProbe = item;
          break;
        }
        const timing = checkFields(item, here, ["failureThreshold", "periodSeconds"]);
        if (timing === undefined) break;
        const probe: { failureThreshold?: number; periodSeconds?: number } = {};
        for (const field of ["failureThreshold", "periodSeconds"] as const) {
          if (timing[field] === undefined) continue;
          const n = checkInteger(timing[field], childAt(here, field), 1, INT32_MAX);
          if (n !== undefined) probe[field] = n;
        }
        out.startupProbe = probe;
        break;
      }
      case "rollingUpdate": {
        const rolling = parseRollingUpdate(item, here);
        if (rolling !== undefined) out.rollingUpdate = rolling;
        break;
      }
      case "hpaBehavior": {
        const behavior = checkSchema(item, HPA_BEHAVIOR, here);
        if (behavior !== undefined && checkBehaviorRanges(behavior, here)) {
          out.hpaBehavior = behavior as AvailabilitySettings["hpaBehavior"];
        }
        break;
      }
    }
  }
  return out;
}

function parseRollingUpdate(value: unknown, at: At): AvailabilitySettings["rollingUpdate"] {
  const fields = checkFields(value, at, ["maxSurge", "maxUnavailable"]);
  if (fields === undefined) return undefined;
  const out: NonNullable<AvailabilitySettings["rollingUpdate"]> = {};
  for (const field of ["maxSurge", "maxUnavailable"] as const) {
    if (fields[field] === undefined) continue;
    const v = checkIntOrPercent(fields[field], childAt(at, field));
    if (v !== undefined) out[field] = v;
  }
  if (isZero(out.maxSurge) && isZero(out.maxUnavailable)) {
    report(
      childAt(at, "maxUnavailable"),
      "may not be 0 when maxSurge is 0: a rollout could then never replace a pod",
    );
    return undefined;
  }
  return out;
}

/** Whether an IntOrPercent is zero (`0` or `"0%"`). */
export function isZero(value: IntOrPercent | undefined): boolean {
  return value === 0 || value === "0%";
}

/** A non-negative integer or a percentage `"<n>%"`. */
function checkIntOrPercent(value: unknown, at: At): IntOrPercent | undefined {
  if (typeof value === "string") {
    if (/^(100|[1-9]?[0-9])%$/.test(value)) return value;
    report(at, `expected a number of pods or a percentage such as "25%", got ${quote(value)}`);
    return undefined;
  }
  return checkInteger(value, at, 0, INT32_MAX);
}

/** The API server's ranges for a behavior's fields, beyond its schema. */
function checkBehaviorRanges(behavior: unknown, at: At): boolean {
  let ok = true;
  const rules = behavior as Record<
    string,
    | { stabilizationWindowSeconds?: number; policies?: { value: number; periodSeconds: number }[] }
    | undefined
  >;
  for (const direction of ["scaleUp", "scaleDown"]) {
    const rule = rules[direction];
    if (rule === undefined) continue;
    const here = childAt(at, direction);
    const window = rule.stabilizationWindowSeconds;
    if (window !== undefined && (window < 0 || window > 3600)) {
      report(
        childAt(here, "stabilizationWindowSeconds"),
        `must be between 0 and 3600, got ${window}`,
      );
      ok = false;
    }
    (rule.policies ?? []).forEach((policy, i) => {
      const item = itemAt(childAt(here, "policies"), i);
      if (policy.value <= 0) {
        report(childAt(item, "value"), `must be greater than 0, got ${policy.value}`);
        ok = false;
      }
      if (policy.periodSeconds < 1 || policy.periodSeconds > 1800) {
        report(
          childAt(item, "periodSeconds"),
          `must be between 1 and 1800, got ${policy.periodSeconds}`,
        );
        ok = false;
      }
    });
  }
  return ok;
}

/** Whether `key` is a platform key. */
export function isPlatformKey(key: string): key is (typeof PLATFORM_KEYS)[number] {
  return (PLATFORM_KEYS as readonly string[]).includes(key);
}

/**
 * `wso2-mi:integrations` (`at` is its key): per integration `<namespace>/<name>`, the keys of the
 * stack level that may differ per integration (`defaults` and the platform keys). Keys that are
 * stack-wide (`namespace`, `ingress`, ...) are errors saying so; an id that is not
 * `<namespace>/<name>` is an error (with the stack's namespace as the suggestion). Whether each
 * id names an integration of the stack is checked once the CRs are read (`resolveStack`).
 */
export function parseIntegrationOverrides(
  fields: Record<string, unknown>,
  at: At,
  context: { project: string; namespace?: string; stackKeys: readonly string[] },
): Record<string, IntegrationOverride> {
  const out: Record<string, IntegrationOverride> = {};
  for (const [id, value] of Object.entries(fields)) {
    const here = childAt(at, id);
    const problem = integrationIdProblem(id, context.namespace);
    if (problem !== undefined) {
      report(here, problem);
      continue;
    }
    if (!isMapping(value)) {
      report(here, `expected a mapping of settings, got ${describeValue(value)}`);
      continue;
    }
    out[id] = parseOverride(value, here, context);
  }
  return out;
}

function integrationIdProblem(id: string, namespace: string | undefined): string | undefined {
  const parts = id.split("/");
  if (parts.length === 2 && parts.every((p) => dns1123LabelProblem(p) === undefined)) {
    return undefined;
  }
  const example = `${namespace ?? "default"}/${parts.at(-1) ?? id}`;
  return (
    `expected an integration as <namespace>/<name>, e.g. ${quote(example)}, ` + `got ${quote(id)}`
  );
}

function parseOverride(
  fields: Record<string, unknown>,
  at: At,
  context: { project: string; stackKeys: readonly string[] },
): IntegrationOverride {
  const out: IntegrationOverride = {};
  for (const [key, value] of Object.entries(fields)) {
    const here = childAt(at, key);
    if (key === "defaults") {
      if (!isMapping(value)) {
        report(here, `expected a mapping, got ${describeValue(value)}`);
        continue;
      }
      out.defaults = parseOverrideDefaults(value, here);
    } else if (key === "imageRefresh") {
      out.imageRefresh = parseOverrideImageRefresh(value, here);
    } else if (isPlatformKey(key)) {
      parsePlatformKey(key, value, here, out);
    } else if (context.stackKeys.includes(key)) {
      report(
        here,
        `is a stack-wide setting and cannot differ per integration; set it as ` +
          `${context.project}:${key} (the keys an integration takes: ${OVERRIDE_KEYS.join(", ")})`,
      );
    } else {
      const close = didYouMean(key, OVERRIDE_KEYS);
      report(
        here,
        close !== undefined
          ? `unknown key; did you mean ${quote(close)}?`
          : `unknown key; the keys an integration takes are ${OVERRIDE_KEYS.join(", ")}`,
      );
    }
  }
  return out;
}

/** An override's `defaults`: the stack's `defaults` keys but the stack-wide ones. */
function parseOverrideDefaults(
  fields: Record<string, unknown>,
  at: At,
): NonNullable<IntegrationOverride["defaults"]> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (STACK_WIDE_DEFAULTS.includes(key)) {
      report(
        childAt(at, key),
        "is stack-wide and cannot differ per integration; set it in the stack's defaults",
      );
    } else {
      kept[key] = value;
    }
  }
  return checkIntegrationSettings(kept, at, () => undefined);
}
