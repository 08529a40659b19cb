/** `spec.deploySpec`, `spec.autoScale` and `spec.expose` of an Integration CR. */
import { checkAffinityRules } from "./affinity";
import { crdFields, crdNode } from "./crdSchema";
import { present } from "../rules/present";
import {
  type At,
  INT32_MAX,
  checkBoolean,
  checkFields,
  checkInteger,
  checkPort,
  checkProbe,
  checkQuantity,
  checkSchema,
  checkString,
  childAt,
  describeValue,
  dns1123SubdomainProblem,
  itemAt,
  oneOf,
  report,
  suggestion,
} from "../rules";
import {
  type AutoScaleSpec,
  type ConfigMapMount,
  type DeploySpec,
  type ExposeSpec,
  type IAffinity,
  PULL_POLICIES,
  type PullPolicy,
} from "../types";
import { DEFAULT_PASSTHRO_PORT } from "../defaults/operator";

const QUANTITIES = ["requestCPU", "reqMemory", "cpuLimit", "memoryLimit"] as const;

/**
 * A CR's `0` in `minReplicas`, `maxReplicas` or `passthroPort` is "unset" to the operator
 * (`PopulateConfigurations` in `integration_config.go` replaces it with the config's value, or
 * 8290), so it is here: the field is left out with a note naming what applies instead.
 */
function zeroIsUnset(at: At, instead: string): undefined {
  at.problems.note(
    at.source,
    at.path,
    `0 means unset, as the operator reads it (PopulateConfigurations), so ${instead} applies, ` +
      "as it did under the operator; remove the field or set the value you want",
  );
  return undefined;
}

/** An integer field of the CR where 0 means unset ({@link zeroIsUnset}). */
function optionalCount(value: unknown, at: At, min: number, instead: string): number | undefined {
  if (value === 0) return zeroIsUnset(at, instead);
  return checkInteger(value, at, min, INT32_MAX);
}
const PROBES = ["livenessProbe", "readinessProbe"] as const;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

function checkPullPolicy(value: unknown, at: At): PullPolicy | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  if ((PULL_POLICIES as readonly string[]).includes(text)) return text as PullPolicy;
  report(
    at,
    `expected ${oneOf(PULL_POLICIES)}, got ${JSON.stringify(text)}${suggestion(text, PULL_POLICIES)}`,
  );
  return undefined;
}

function checkConfigMapMount(value: unknown, at: At): ConfigMapMount | undefined {
  const fields = checkFields(value, at, crdFields("spec", "deploySpec", "configmapDetails", "[]"));
  if (fields === undefined) return undefined;
  const text = (key: string): string | undefined => {
    if (present(fields[key])) return checkString(fields[key], childAt(at, key));
    report(childAt(at, key), "required field is missing");
    return undefined;
  };
  const name = text("name");
  const mountPath = text("mountPath");
  const fileName = text("fileName");
  const nameProblem = name === undefined ? undefined : dns1123SubdomainProblem(name);
  if (nameProblem !== undefined)
    report(childAt(at, "name"), `not a ConfigMap name: ${nameProblem}`);
  if (mountPath !== undefined && !mountPath.startsWith("/")) {
    report(
      childAt(at, "mountPath"),
      `must be an absolute path (starting with "/"), got ${JSON.stringify(mountPath)}`,
    );
  }
  if (
    fileName !== undefined &&
    (!CONFIGMAP_KEY.test(fileName) || fileName === "." || fileName === "..")
  ) {
    report(
      childAt(at, "fileName"),
      `expected a file name (a ConfigMap key: letters, digits, '-', '_' and '.', no '/'), got ` +
        JSON.stringify(fileName),
    );
    return undefined;
  }
  if (name === undefined || mountPath === undefined || fileName === undefined) return undefined;
  if (nameProblem !== undefined || !mountPath.startsWith("/")) return undefined;
  return { name, mountPath, fileName };
}

function checkConfigMapDetails(value: unknown, at: At): ConfigMapMount[] {
  if (!Array.isArray(value)) {
    report(at, `expected a list of {name, mountPath, fileName}, got ${describeValue(value)}`);
    return [];
  }
  const mounts: ConfigMapMount[] = [];
  const seen = new Map<string, number>();
  value.forEach((item, i) => {
    const here = itemAt(at, i);
    const mount = checkConfigMapMount(item, here);
    if (mount === undefined) return;
    const target = `${mount.mountPath.replace(/\/+$/, "")}/${mount.fileName}`;
    const first = seen.get(target);
    if (first !== undefined) {
      report(
        here,
        `mounts ${target}, as ${itemAt(at, first).path} does; each file can be mounted once`,
      );
      return;
    }
    seen.set(target, i);
    mounts.push(mount);
  });
  return mounts;
}

/** `spec.deploySpec`: replicas, resources, probes, affinity, pull policy, ConfigMap files. */
export function checkDeploySpec(value: unknown, at: At): DeploySpec {
  const fields = checkFields(value, at, crdFields("spec", "deploySpec"));
  if (fields === undefined) return {};
  const spec: DeploySpec = {};
  if (present(fields.minReplicas)) {
    const n = optionalCount(
      fields.minReplicas,
      childAt(at, "minReplicas"),
      1,
      "the minReplicas of the stack's defaults or the controller config",
    );
    if (n !== undefined) spec.minReplicas = n;
  }
  for (const key of QUANTITIES) {
    if (!present(fields[key])) continue;
    const quantity = checkQuantity(fields[key], childAt(at, key));
    if (quantity !== undefined) spec[key] = quantity;
  }
  for (const key of PROBES) {
    if (!present(fields[key])) continue;
    const probe = checkProbe(fields[key], childAt(at, key));
    if (probe !== undefined) spec[key] = probe;
  }
  if (present(fields.affinity)) {
    const affinity = checkSchema(
      fields.affinity,
      crdNode("spec", "deploySpec", "affinity"),
      childAt(at, "affinity"),
    );
    if (affinity !== undefined) {
      checkAffinityRules(affinity as IAffinity, childAt(at, "affinity"));
      spec.affinity = affinity as IAffinity;
    }
  }
  if (present(fields.pullPolicy)) {
    const policy = checkPullPolicy(fields.pullPolicy, childAt(at, "pullPolicy"));
    if (policy !== undefined) spec.pullPolicy = policy;
  }
  if (present(fields.configmapDetails)) {
    spec.configmapDetails = checkConfigMapDetails(
      fields.configmapDetails,
      childAt(at, "configmapDetails"),
    );
  }
  return spec;
}

/** `spec.autoScale`: `enabled` in Go's boolean spellings, `maxReplicas` >= 1 (0: unset). */
export function checkAutoScale(value: unknown, at: At): AutoScaleSpec {
  const fields = checkFields(value, at, crdFields("spec", "autoScale"));
  if (fields === undefined) return {};
  const spec: AutoScaleSpec = {};
  if (present(fields.enabled)) {
    const enabled = checkBoolean(fields.enabled, childAt(at, "enabled"));
    if (enabled !== undefined) spec.enabled = enabled;
  }
  if (present(fields.maxReplicas)) {
    const n = optionalCount(
      fields.maxReplicas,
      childAt(at, "maxReplicas"),
      1,
      "the maxReplicas of the stack's defaults or the controller config",
    );
    if (n !== undefined) spec.maxReplicas = n;
  }
  return spec;
}

/** `spec.expose`: the pass-through port (0: unset) and distinct inbound ports, none equal to it. */
export function checkExpose(value: unknown, at: At): ExposeSpec {
  const fields = checkFields(value, at, crdFields("spec", "expose"));
  if (fields === undefined) return {};
  const spec: ExposeSpec = {};
  const passthroAt = childAt(at, "passthroPort");
  const passthroSet = present(fields.passthroPort) && fields.passthroPort !== 0;
  if (!passthroSet && present(fields.passthroPort)) {
    zeroIsUnset(passthroAt, `the default port ${DEFAULT_PASSTHRO_PORT}`);
  }
  if (passthroSet) {
    const port = checkPort(fields.passthroPort, passthroAt);
    if (port !== undefined) spec.passthroPort = port;
  }
  if (!present(fields.inboundPorts)) return spec;
  const here = childAt(at, "inboundPorts");
  if (!Array.isArray(fields.inboundPorts)) {
    report(here, `expected a list of port numbers, got ${describeValue(fields.inboundPorts)}`);
    return spec;
  }
  const passthro = passthroSet ? fields.passthroPort : DEFAULT_PASSTHRO_PORT;
  const passthroWhere = passthroSet
    ? `${at.path}.passthroPort`
    : `the default ${at.path}.passthroPort`;
  const seen = new Map<number, number>();
  const ports: number[] = [];
  (fields.inboundPorts as unknown[]).forEach((raw, i) => {
    const item = itemAt(here, i);
    const port = checkPort(raw, item);
    if (port === undefined) return;
    const first = seen.get(port);
    if (first !== undefined) {
      report(
        item,
        `${port} is listed twice (also ${itemAt(here, first).path}); list each port once`,
      );
      return;
    }
    seen.set(port, i);
    if (port === passthro) {
      report(
        item,
        `${port} is the pass-through port (${passthroWhere}); an inbound port must differ from it`,
      );
      return;
    }
    ports.push(port);
  });
  spec.inboundPorts = ports;
  return spec;
}
