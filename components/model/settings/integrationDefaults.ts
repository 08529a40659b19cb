/**
 * The keys of the operator's `integration-config` ConfigMap, checked alike wherever they are set:
 * in a controller config file (the operator's strings) and in a stack's `defaults` (the operator's
 * strings, or typed values: numbers, booleans, objects and lists).
 */
import { load, YAMLException } from "js-yaml";
import {
  type At,
  INT32_MAX,
  checkBoolean,
  checkInteger,
  checkMetrics,
  checkProbe,
  checkQuantity,
  childAt,
  describeValue,
  report,
  reportUnknown,
  withoutUndefined,
} from "../rules";
import type { IntegrationDefaults } from "../types";
import { YAML_SCHEMA } from "../input/yaml";
import { aliasProblem } from "../input/yamlLimits";

/** Every key of `integration-config`, in the operator's order. */
export const INTEGRATION_CONFIG_KEYS = [
  "reconcileInterval",
  "autoIngressCreation",
  "enableAutoScale",
  "minReplicas",
  "maxReplicas",
  "requestCPU",
  "reqMemory",
  "cpuLimit",
  "memoryLimit",
  "hpaMetrics",
  "livenessProbe",
  "readinessProbe",
] as const satisfies readonly (keyof IntegrationDefaults)[];

/** What becomes of the operator's reconcile loop; said wherever `reconcileInterval` is set. */
export const RECONCILE_INTERVAL_NOTE =
  "read only by `npm run reconciler`: the resync frequency (at least 60 s) of the Pulumi " +
  "Kubernetes Operator Stack that re-applies this stack from git; render and `pulumi up` run " +
  "no loop";

/** The operator reads integers with Go's `strconv.Atoi`: optional sign, decimal digits. */
const GO_INTEGER = /^[+-]?[0-9]+$/;

/** An integer written as the operator's string (`"3"`) or as a YAML/JSON number. */
function checkConfigInteger(value: unknown, at: At, min: number): number | undefined {
  if (typeof value === "string") {
    if (!GO_INTEGER.test(value)) {
      report(at, `expected an integer such as "3", got ${describeValue(value)}`);
      return undefined;
    }
    return checkInteger(Number(value), at, min, INT32_MAX);
  }
  return checkInteger(value, at, min, INT32_MAX);
}

/**
 * The value of a key that holds YAML (`hpaMetrics`, probes): a string is parsed as YAML, as the
 * operator does; anything else is taken as already parsed. Undefined after a syntax error.
 */
function embeddedYaml(value: unknown, at: At): { value: unknown } | undefined {
  if (typeof value !== "string") return { value };
  let parsed: unknown;
  try {
    parsed = load(value, { schema: YAML_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // js-yaml's one error without a place: more than one document.
    const mark = error.mark as YAMLException["mark"] | undefined;
    report(
      at,
      mark === undefined
        ? "the embedded YAML holds more than one document; remove the `---` and what follows"
        : `the embedded YAML is malformed: ${error.reason} (line ${mark.line + 1} of the value)`,
    );
    return undefined;
  }
  const refused = aliasProblem([parsed]);
  if (refused === undefined) return { value: parsed };
  const where = refused.path === "" ? "" : ` (at ${refused.path} in the value)`;
  report(at, `the embedded YAML is refused${where}: ${refused.message}`);
  return undefined;
}

/** An empty value means "not set" for the optional keys, as in the operator's Go code. */
function isBlank(value: unknown): boolean {
  return value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * Checks one `integration-config` key's value and stores it, typed, in `out`. Values may be the
 * operator's strings or typed. `reconcileInterval` is kept, with a note saying who reads it.
 */
function checkKey(
  key: (typeof INTEGRATION_CONFIG_KEYS)[number],
  value: unknown,
  at: At,
  out: Partial<IntegrationDefaults>,
): void {
  switch (key) {
    case "reconcileInterval": {
      const seconds = checkConfigInteger(value, at, 1);
      if (seconds !== undefined) {
        out.reconcileInterval = seconds;
        at.problems.note(at.source, at.path, RECONCILE_INTERVAL_NOTE);
      }
      return;
    }
    case "minReplicas":
      out.minReplicas = checkConfigInteger(value, at, 0);
      return;
    case "maxReplicas":
      // "0" is 0 here, as the operator reads the file (only a CR's 0 means unset); with
      // autoscaling on it is below minReplicas, an error then.
      out.maxReplicas = checkConfigInteger(value, at, 0);
      return;
    case "enableAutoScale":
    case "autoIngressCreation":
      out[key] = checkBoolean(value, at);
      return;
    case "requestCPU":
    case "reqMemory":
    case "cpuLimit":
    case "memoryLimit":
      if (!isBlank(value)) out[key] = checkQuantity(value, at);
      return;
    case "hpaMetrics": {
      if (isBlank(value)) return;
      const parsed = embeddedYaml(value, at);
      if (parsed !== undefined) out.hpaMetrics = checkMetrics(parsed.value, at);
      return;
    }
    case "livenessProbe":
    case "readinessProbe": {
      if (isBlank(value)) return;
      const parsed = embeddedYaml(value, at);
      if (parsed !== undefined) out[key] = checkProbe(parsed.value, at);
      return;
    }
  }
}

/** Where an `integration-config` key found where it does not belong should go instead. */
export type MisplacedKeyHint = (key: string) => string | undefined;

/**
 * The `integration-config` keys set in `data` (a mapping), checked and typed; every problem is
 * reported under `at` (e.g. `integration-config.data`, or `wso2-mi:defaults`). Unknown keys are
 * errors with a did-you-mean, or with `misplaced(key)` when it names a better place.
 */
export function checkIntegrationSettings(
  data: Record<string, unknown>,
  at: At,
  misplaced: MisplacedKeyHint,
): Partial<IntegrationDefaults> {
  const out: Partial<IntegrationDefaults> = {};
  for (const [key, value] of Object.entries(data)) {
    const here = childAt(at, key);
    const known = (INTEGRATION_CONFIG_KEYS as readonly string[]).includes(key);
    if (!known) {
      const elsewhere = misplaced(key);
      reportUnknown(
        key,
        here,
        INTEGRATION_CONFIG_KEYS,
        elsewhere === undefined ? {} : { elsewhere },
      );
      continue;
    }
    checkKey(key as (typeof INTEGRATION_CONFIG_KEYS)[number], value, here, out);
  }
  return withoutUndefined(out);
}
