/**
 * Reading live objects exported with `kubectl get ... -o yaml` (a `v1 List`, or multi-document
 * YAML) for `plan --live`, and normalizing them: what the API server and controllers own is
 * dropped, and older API versions are read as the version the stack deploys.
 */
import * as path from "node:path";
import { readInputFile, unreadProblem } from "../../components/model/input/inputFile";
import { parseYamlDocuments } from "../../components/model/input/yaml";
import type { Problems, Source } from "../../components/model/problems";
import { isMapping } from "../../components/model/rules";
import { identityKey } from "./compute";
import { apiGroup } from "./replace";
import { isValueMapping, type Mapping, type Value } from "./values";

/** The command that exports what a stack deploys in one namespace, as `plan --live` reads it. */
export function exportCommand(namespace: string): string {
  return (
    "kubectl get deployments.apps,services,horizontalpodautoscalers.v2.autoscaling," +
    `ingresses.networking.k8s.io,configmaps -n ${namespace} -o yaml`
  );
}

/** One live object, normalized, and where it was read. */
export interface LiveObject {
  /** The object as the stack's version of it would read: see {@link normalizeLive}. */
  object: Mapping;
  /** The `apiVersion` it was exported as, when that is another version of the same object. */
  exportedAs?: string;
  /** The Integration CRs that still own it (`metadata.ownerReferences`), dropped from `object`. */
  ownedBy: string[];
  /** `FILE` or `FILE (document N)`, with `items[i]` inside a List. */
  where: string;
}

/** The versions an older export may use, read as the one the stack deploys. */
const CANONICAL_VERSION: Record<string, Record<string, string>> = {
  Deployment: {
    "extensions/v1beta1": "apps/v1",
    "apps/v1beta1": "apps/v1",
    "apps/v1beta2": "apps/v1",
  },
  Ingress: {
    "extensions/v1beta1": "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1": "networking.k8s.io/v1",
  },
  HorizontalPodAutoscaler: { "autoscaling/v2beta2": "autoscaling/v2" },
};

/** HPA versions whose export loses the metrics (held in annotations) or writes them otherwise. */
const UNREADABLE_HPA = new Set(["autoscaling/v1", "autoscaling/v2beta1"]);

/**
 * The objects of every `--live` file (relative to `cwd`), each read through the bounded reader
 * and YAML parser every input goes through. A document is one object or a List of them
 * (`kind: List` or `<Kind>List`, with `items`). Problems (unreadable file, bad YAML, an item
 * without identity, an HPA exported as `autoscaling/v1` or `v2beta1`, one object twice) go to
 * `problems`, naming the file and item.
 */
export function readLiveFiles(
  files: readonly string[],
  cwd: string,
  problems: Problems,
): LiveObject[] {
  const out: LiveObject[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const read = readInputFile(path.resolve(cwd, file));
    if (!("text" in read)) {
      problems.error({ file }, undefined, unreadProblem(read, "the live objects file"));
      continue;
    }
    for (const { source, value } of parseYamlDocuments(read.text, file, problems)) {
      const items = listItems(value);
      items.forEach((item, i) => {
        const at = items.length === 1 && !isList(value) ? "" : `items[${i}]`;
        const live = liveObject(item, source, at, problems);
        if (live === undefined) return;
        const { apiVersion, kind, metadata } = live.object as {
          apiVersion: string;
          kind: string;
          metadata: Mapping;
        };
        const key = identityKey({
          group: apiGroup(apiVersion),
          kind,
          namespace: typeof metadata.namespace === "string" ? metadata.namespace : null,
          name: metadata.name as string,
        });
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          problems.error(
            source,
            at === "" ? undefined : at,
            `${kind} ${describe(metadata)} is also in ${earlier}; give each object once`,
          );
          return;
        }
        seen.set(key, live.where);
        out.push(live);
      });
    }
  }
  return out;
}

function isList(value: unknown): boolean {
  return (
    isMapping(value) &&
    typeof value.kind === "string" &&
    value.kind.endsWith("List") &&
    Array.isArray(value.items)
  );
}

function listItems(value: unknown): unknown[] {
  return isList(value) ? ((value as { items: unknown[] }).items ?? []) : [value];
}

/** A value in a message: a string as it is, anything else as JSON. */
export function textOf(value: Value | undefined): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

function describe(metadata: Mapping): string {
  return typeof metadata.namespace === "string"
    ? `${metadata.namespace}/${textOf(metadata.name)}`
    : textOf(metadata.name);
}

function whereOf(source: Source, at: string): string {
  const doc = source.document === undefined ? "" : ` (document ${source.document})`;
  return `${source.file}${doc}${at === "" ? "" : ` ${at}`}`;
}

/** One exported object, checked and normalized; undefined (with a problem) when unusable. */
function liveObject(
  raw: unknown,
  source: Source,
  at: string,
  problems: Problems,
): LiveObject | undefined {
  const field = (name: string): string => (at === "" ? name : `${at}.${name}`);
  if (!isMapping(raw)) {
    problems.error(source, at === "" ? undefined : at, "expected a Kubernetes object");
    return undefined;
  }
  const { apiVersion, kind, metadata } = raw;
  if (typeof apiVersion !== "string" || apiVersion === "") {
    problems.error(source, field("apiVersion"), "expected a non-empty string");
    return undefined;
  }
  if (typeof kind !== "string" || kind === "") {
    problems.error(source, field("kind"), "expected a non-empty string");
    return undefined;
  }
  if (!isMapping(metadata) || typeof metadata.name !== "string" || metadata.name === "") {
    problems.error(source, field("metadata.name"), "expected a non-empty string");
    return undefined;
  }
  if (kind === "HorizontalPodAutoscaler" && UNREADABLE_HPA.has(apiVersion)) {
    const ns = typeof metadata.namespace === "string" ? metadata.namespace : "NAMESPACE";
    problems.error(
      source,
      field("apiVersion"),
      `the HPA ${metadata.name} was exported as ${apiVersion}, which ` +
        (apiVersion === "autoscaling/v1"
          ? "keeps its metrics only in annotations"
          : "writes its metrics in another shape") +
        `; export the HPAs as autoscaling/v2: ${exportCommand(ns)}`,
    );
    return undefined;
  }
  const plain = JSON.parse(JSON.stringify(raw)) as Mapping;
  return { ...normalizeLive(plain), where: whereOf(source, at) };
}

/** Group of the CRD whose `Integration` objects own the operator's objects. */
const INTEGRATION_GROUPS = new Set(["wso2.com", "integration.wso2.com"]);

/**
 * `object` without what the API server and controllers own: `status`; `metadata.uid`,
 * `resourceVersion`, `generation`, `creationTimestamp`, `managedFields`, `selfLink`; owner
 * references to Integration CRs (returned in `ownedBy`); the annotations
 * `kubectl.kubernetes.io/last-applied-configuration` and `deployment.kubernetes.io/revision`; a
 * pod template's `creationTimestamp`; a Service's `clusterIP(s)`, `ipFamilies` and
 * `ipFamilyPolicy`. An older version of a Deployment, Ingress (`extensions/v1beta1`,
 * `networking.k8s.io/v1beta1`, backends rewritten to v1's shape) or HPA (`autoscaling/v2beta2`)
 * is read as the version the stack deploys, the old one in `exportedAs`.
 */
export function normalizeLive(object: Mapping): Omit<LiveObject, "where"> {
  const out = structuredClone(object);
  const kind = out.kind as string;
  delete out.status;
  const ownedBy: string[] = [];
  const metadata = isValueMapping(out.metadata) ? out.metadata : {};
  for (const key of [
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
  ]) {
    delete metadata[key];
  }
  const owners = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  const byIntegration = owners.filter(
    (o) =>
      isValueMapping(o) &&
      o.kind === "Integration" &&
      typeof o.apiVersion === "string" &&
      INTEGRATION_GROUPS.has(apiGroup(o.apiVersion)),
  );
  if (owners.length > 0 && byIntegration.length === owners.length) {
    for (const o of byIntegration) ownedBy.push(textOf((o as Mapping).name));
    delete metadata.ownerReferences;
  }
  if (isValueMapping(metadata.annotations)) {
    delete metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"];
    delete metadata.annotations["deployment.kubernetes.io/revision"];
    if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  }
  const spec = isValueMapping(out.spec) ? out.spec : undefined;
  if (kind === "Deployment" && isValueMapping(spec?.template)) {
    const template = spec.template;
    if (isValueMapping(template.metadata)) delete template.metadata.creationTimestamp;
  }
  if (kind === "Service" && spec !== undefined) {
    for (const key of ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"]) delete spec[key];
  }
  const exportedAs = out.apiVersion as string;
  const canonical = CANONICAL_VERSION[kind]?.[exportedAs];
  if (canonical === undefined) return { object: out, ownedBy };
  out.apiVersion = canonical;
  if (kind === "Ingress" && spec !== undefined) ingressToV1(spec);
  return { object: out, ownedBy, exportedAs };
}

/** A v1beta1 Ingress spec in v1's shape: `backend` is `defaultBackend`, backends name a service. */
function ingressToV1(spec: Mapping): void {
  if (spec.backend !== undefined) {
    spec.defaultBackend = backendToV1(spec.backend);
    delete spec.backend;
  }
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    const http = isValueMapping(rule) && isValueMapping(rule.http) ? rule.http : undefined;
    for (const p of Array.isArray(http?.paths) ? http.paths : []) {
      if (isValueMapping(p) && p.backend !== undefined) p.backend = backendToV1(p.backend);
    }
  }
}

function backendToV1(backend: Value): Value {
  if (!isValueMapping(backend) || typeof backend.serviceName !== "string") return backend;
  const port = backend.servicePort;
  return {
    service: {
      name: backend.serviceName,
      port: typeof port === "number" ? { number: port } : { name: port ?? null },
    },
  };
}
