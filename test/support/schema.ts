/**
 * Validates built objects the way the API server would, without a cluster: the OpenAPI schema
 * (through kubernetes-models), unknown fields (which kubernetes-models does not reject), and the
 * API server's own checks that OpenAPI cannot express (name formats, label values, port ranges).
 */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { IService } from "kubernetes-models/v1/Service";
import type { KubeObject } from "../../components/builders";

/**
 * Every problem the API server would report for `obj`, one line each as `<field path>: <what is
 * wrong>`; empty when it would be accepted.
 */
export function schemaProblems(obj: KubeObject): string[] {
  const problems = openApiProblems(obj);
  const check = new Checks();
  switch (obj.kind) {
    case "Deployment":
      checkDeployment(obj, check);
      break;
    case "Service":
      checkService(obj, check);
      break;
    case "HorizontalPodAutoscaler":
      checkHpa(obj, check);
      break;
    case "Ingress":
      checkIngress(obj, check);
      break;
    case "ConfigMap":
      check.metadata(obj, "subdomain");
      for (const key of Object.keys(obj.data ?? {})) {
        if (!/^[-._a-zA-Z0-9]+$/.test(key))
          check.fail(`data[${JSON.stringify(key)}]`, "is not a valid ConfigMap key");
      }
      break;
    case "PodDisruptionBudget":
      check.metadata(obj, "subdomain");
      check.labels("spec.selector.matchLabels", obj.spec?.selector?.matchLabels);
      if ((obj.spec?.maxUnavailable === undefined) === (obj.spec?.minAvailable === undefined))
        check.fail("spec", "exactly one of minAvailable and maxUnavailable is required");
      break;
  }
  return [...problems, ...check.problems];
}

// ---- OpenAPI schema and unknown fields ---------------------------------------------------------

type Validate = (data: object) => void;

/** kubernetes-models' compiled validators, run on any object (the classes' own `validate`). */
const VALIDATORS: Record<KubeObject["kind"], Validate> = {
  Deployment: (data) => Deployment.prototype.validate.call(data),
  Service: (data) => Service.prototype.validate.call(data),
  HorizontalPodAutoscaler: (data) => HorizontalPodAutoscaler.prototype.validate.call(data),
  Ingress: (data) => Ingress.prototype.validate.call(data),
  Namespace: (data) => Namespace.prototype.validate.call(data),
  PodDisruptionBudget: (data) => PodDisruptionBudget.prototype.validate.call(data),
  ConfigMap: (data) => ConfigMap.prototype.validate.call(data),
};

interface AjvError {
  instancePath: string;
  message?: string;
}

/**
 * Runs the kind's schema validator on a recording proxy of the object. The compiled validator
 * reads every property its schema declares and enumerates the keys of free-form maps, so a key
 * it never read is one the schema does not know: the API server drops or rejects it.
 */
function openApiProblems(obj: KubeObject): string[] {
  const data = structuredClone(obj) as object;
  const reads = new WeakMap<object, Set<string>>();
  const enumerated = new WeakSet<object>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    const cached = proxies.get(value);
    if (cached) return cached;
    const record = (target: object, key: string | symbol): void => {
      if (typeof key !== "string") return;
      const set = reads.get(target) ?? new Set<string>();
      set.add(key);
      reads.set(target, set);
    };
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        record(target, key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        record(target, key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  const problems: string[] = [];
  try {
    VALIDATORS[obj.kind](wrap(data) as object);
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (Array.isArray(errors)) {
      for (const e of errors)
        problems.push(`${pointerToPath(e.instancePath)}: ${e.message ?? "is invalid"}`);
    } else {
      problems.push(`${obj.kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    const known = reads.get(node);
    const checked = known !== undefined && !enumerated.has(node);
    for (const [key, value] of Object.entries(node)) {
      const childPath = joinField(path, key);
      if (checked && !known.has(key)) problems.push(`${childPath}: unknown field`);
      else walk(value, childPath);
    }
  };
  walk(data, "");
  return problems;
}

function pointerToPath(pointer: string): string {
  if (pointer === "") return "(object)";
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : joinField(path, segment)),
      "",
    );
}

function joinField(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

// ---- the API server's own checks ----------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && value.split(".").every((label) => DNS1123_LABEL.test(label));
}

/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of at most 63. */
function isQualifiedName(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || isDns1123Subdomain(parts[0]);
  return prefixOk && name.length <= 63 && QUALIFIED_NAME.test(name);
}

class Checks {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  name(path: string, value: string | undefined, rule: "subdomain" | "label" | "dns1035"): void {
    if (value === undefined || value === "") return this.fail(path, "is required");
    if (rule === "subdomain" && !isDns1123Subdomain(value))
      this.fail(
        path,
        `"${value}" must be a DNS-1123 subdomain (lower-case alphanumerics, '-', '.'; at most 253)`,
      );
    if (rule === "label" && !isDns1123Label(value))
      this.fail(
        path,
        `"${value}" must be a DNS-1123 label (lower-case alphanumerics and '-'; at most 63)`,
      );
    if (rule === "dns1035" && !isDns1035Label(value))
      this.fail(path, `"${value}" must be a DNS-1035 label (starts with a letter; at most 63)`);
  }

  labels(path: string, labels: Record<string, string> | undefined): void {
    for (const [key, value] of Object.entries(labels ?? {})) {
      if (!isQualifiedName(key))
        this.fail(joinField(path, key), "label key must be a qualified name");
      if (value.length > 63)
        this.fail(
          joinField(path, key),
          `label value must be at most 63 characters, not ${value.length}`,
        );
      else if (!LABEL_VALUE.test(value))
        this.fail(joinField(path, key), `label value "${value}" is not valid`);
    }
  }

  annotations(path: string, annotations: Record<string, string> | undefined): void {
    for (const key of Object.keys(annotations ?? {})) {
      if (!isQualifiedName(key))
        this.fail(joinField(path, key), "annotation key must be a qualified name");
    }
  }

  port(path: string, port: unknown): void {
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535)
      this.fail(path, `port must be an integer in 1-65535, not ${JSON.stringify(port)}`);
  }

  metadata(obj: KubeObject, nameRule: "subdomain" | "dns1035"): void {
    this.name("metadata.name", obj.metadata?.name, nameRule);
    const namespace = obj.metadata?.namespace;
    if (namespace !== undefined) this.name("metadata.namespace", namespace, "label");
    this.labels("metadata.labels", obj.metadata?.labels);
    this.annotations("metadata.annotations", obj.metadata?.annotations);
  }
}

function checkDeployment(obj: IDeployment, check: Checks): void {
  check.metadata(obj, "subdomain");
  const spec = obj.spec;
  if (!spec) return check.fail("spec", "is required");
  if (spec.replicas !== undefined && spec.replicas < 0)
    check.fail("spec.replicas", "must be at least 0");
  const matchLabels = spec.selector.matchLabels ?? {};
  const podLabels = spec.template.metadata?.labels ?? {};
  check.labels("spec.selector.matchLabels", matchLabels);
  check.labels("spec.template.metadata.labels", podLabels);
  check.annotations("spec.template.metadata.annotations", spec.template.metadata?.annotations);
  for (const [key, value] of Object.entries(matchLabels)) {
    if (podLabels[key] !== value)
      check.fail(
        "spec.template.metadata.labels",
        `\`selector\` does not match template \`labels\` (${key})`,
      );
  }
  const rolling = spec.strategy?.rollingUpdate;
  if (rolling && rolling.maxUnavailable === 0 && rolling.maxSurge === 0)
    check.fail("spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when `maxSurge` is 0");
  const pod = spec.template.spec;
  if (!pod) return check.fail("spec.template.spec", "is required");
  const volumes = new Set<string>();
  (pod.volumes ?? []).forEach((volume, i) => {
    check.name(`spec.template.spec.volumes[${i}].name`, volume.name, "label");
    if (volumes.has(volume.name))
      check.fail(`spec.template.spec.volumes[${i}].name`, `duplicate volume "${volume.name}"`);
    volumes.add(volume.name);
  });
  pod.containers.forEach((container, c) => {
    const at = `spec.template.spec.containers[${c}]`;
    check.name(`${at}.name`, container.name, "label");
    (container.ports ?? []).forEach((port, p) =>
      check.port(`${at}.ports[${p}].containerPort`, port.containerPort),
    );
    (container.volumeMounts ?? []).forEach((mount, m) => {
      if (!volumes.has(mount.name))
        check.fail(`${at}.volumeMounts[${m}].name`, `volume "${mount.name}" not found`);
    });
  });
}

function checkService(obj: IService, check: Checks): void {
  check.metadata(obj, "dns1035");
  const ports = obj.spec?.ports ?? [];
  if (ports.length === 0) check.fail("spec.ports", "is required");
  check.labels("spec.selector", obj.spec?.selector);
  const names = new Set<string>();
  const numbers = new Set<string>();
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    if (port.name === undefined) {
      if (ports.length > 1)
        check.fail(`${at}.name`, "is required when there is more than one port");
    } else {
      check.name(`${at}.name`, port.name, "label");
      if (names.has(port.name)) check.fail(`${at}.name`, `duplicate port name "${port.name}"`);
      names.add(port.name);
    }
    check.port(`${at}.port`, port.port);
    if (typeof port.targetPort === "number") check.port(`${at}.targetPort`, port.targetPort);
    const key = `${port.port}/${port.protocol ?? "TCP"}`;
    if (numbers.has(key)) check.fail(`${at}.port`, `duplicate port ${key}`);
    numbers.add(key);
  });
}

function checkHpa(obj: IHorizontalPodAutoscaler, check: Checks): void {
  check.metadata(obj, "subdomain");
  const spec = obj.spec;
  if (!spec) return check.fail("spec", "is required");
  check.name("spec.scaleTargetRef.name", spec.scaleTargetRef.name, "subdomain");
  const min = spec.minReplicas ?? 1;
  if (min < 1) check.fail("spec.minReplicas", "must be at least 1");
  if (spec.maxReplicas < min)
    check.fail("spec.maxReplicas", `must be at least minReplicas (${min})`);
}

function checkIngress(obj: IIngress, check: Checks): void {
  check.metadata(obj, "subdomain");
  (obj.spec?.tls ?? []).forEach((tls, t) =>
    (tls.hosts ?? []).forEach((host, h) =>
      check.name(`spec.tls[${t}].hosts[${h}]`, host.replace(/^\*\./, ""), "subdomain"),
    ),
  );
  (obj.spec?.rules ?? []).forEach((rule, r) => {
    if (rule.host !== undefined)
      check.name(`spec.rules[${r}].host`, rule.host.replace(/^\*\./, ""), "subdomain");
    (rule.http?.paths ?? []).forEach((path, p) => {
      const at = `spec.rules[${r}].http.paths[${p}]`;
      if (!(path.path ?? "").startsWith("/")) check.fail(`${at}.path`, "must be an absolute path");
      const service = path.backend.service;
      if (!service) return check.fail(`${at}.backend.service`, "is required");
      check.name(`${at}.backend.service.name`, service.name, "dns1035");
      if (service.port?.number !== undefined)
        check.port(`${at}.backend.service.port.number`, service.port.number);
      else if (service.port?.name === undefined)
        check.fail(`${at}.backend.service.port`, "needs a name or a number");
    });
  });
}
