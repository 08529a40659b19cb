/**
 * Validates an object against a CustomResourceDefinition's structural OpenAPI schema the way the
 * API server does with strict field validation (`kubectl apply --validate=strict`, the default):
 * types, required fields, enums, patterns, lengths, ranges, int-or-string, list-map keys, and
 * unknown fields (which the server would reject rather than prune). CEL rules
 * (`x-kubernetes-validations`) cannot be evaluated here: each rule a schema holds must be one of
 * {@link CEL_RULES}, evaluated by hand, or the validation fails saying so, so that a CRD that adds
 * a rule is never validated as if it had none.
 */
import * as fs from "node:fs";
import { load } from "js-yaml";
import { isDns1123Label, isDns1123Subdomain } from "../../components/model/rules";

/** The part of an OpenAPI v3 schema structural CRD schemas use. */
export interface Schema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  anyOf?: Schema[];
  allOf?: Schema[];
  oneOf?: Schema[];
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-validations"?: { rule: string; message?: string }[];
}

/** A CRD as read from its YAML: group, kind, and each served version's schema. */
export interface Crd {
  group: string;
  kind: string;
  versions: Map<string, Schema>;
}

/**
 * The CEL rules this validator knows, by their exact text, each as a function of `self` (the
 * object at the schema that holds the rule) returning whether the rule holds.
 */
export const CEL_RULES: Record<string, (self: unknown) => boolean> = {
  // pulumi.com/v1 Stack, PKO v2.9.0: "Stack name must be no more than 42 characters in length."
  "size(self.metadata.name) <= 42": (self) => {
    const name = (self as { metadata?: { name?: unknown } }).metadata?.name;
    return typeof name === "string" && [...name].length <= 42;
  },
};

/** Reads a CRD file (one document). */
export function loadCrd(file: string): Crd {
  const crd = load(fs.readFileSync(file, "utf8")) as {
    spec: {
      group: string;
      names: { kind: string };
      versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
    };
  };
  const versions = new Map<string, Schema>();
  for (const v of crd.spec.versions) if (v.served) versions.set(v.name, v.schema.openAPIV3Schema);
  return { group: crd.spec.group, kind: crd.spec.names.kind, versions };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `${typeof value} ${JSON.stringify(value)}`;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const INT64 = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** Every problem of `value` against `schema`, as `<path>: <what is wrong>`, into `out`. */
function walk(value: unknown, schema: Schema, path: string, out: string[]): void {
  const at = path === "" ? "(root)" : path;
  for (const { rule } of schema["x-kubernetes-validations"] ?? []) {
    const check = CEL_RULES[rule];
    if (check === undefined) {
      out.push(
        `${at}: the CEL rule ${JSON.stringify(rule)} is not known to test/support/crdSchema.ts`,
      );
    } else if (!check(value)) {
      out.push(`${at}: fails the CEL rule ${JSON.stringify(rule)}`);
    }
  }
  if (value === null) {
    if (schema.nullable !== true) out.push(`${at}: null is not allowed`);
    return;
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => e === value)) {
    out.push(`${at}: ${describe(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema["x-kubernetes-int-or-string"] === true) {
    if (typeof value === "string") {
      checkString(value, schema, at, out);
    } else if (!Number.isInteger(value)) {
      out.push(`${at}: expected an integer or a string, got ${describe(value)}`);
    }
    return;
  }
  if (schema.anyOf !== undefined) {
    const matches = schema.anyOf.some((branch) => {
      const sub: string[] = [];
      walk(value, { ...branch, type: branch.type ?? schema.type }, path, sub);
      return sub.length === 0;
    });
    if (!matches) out.push(`${at}: matches none of the schemas of anyOf`);
  }
  for (const branch of schema.allOf ?? []) walk(value, branch, path, out);
  if (schema.oneOf !== undefined) out.push(`${at}: oneOf is not supported by this validator`);
  switch (schema.type) {
    case undefined:
      if (schema["x-kubernetes-preserve-unknown-fields"] !== true && schema.anyOf === undefined) {
        out.push(`${at}: the schema has no type`);
      }
      return;
    case "object":
      return checkObject(value, schema, path, out);
    case "array":
      return checkArray(value, schema, path, out);
    case "string":
      if (typeof value !== "string") out.push(`${at}: expected a string, got ${describe(value)}`);
      else checkString(value, schema, at, out);
      return;
    case "integer":
    case "number":
      return checkNumber(value, schema, at, out);
    case "boolean":
      if (typeof value !== "boolean") out.push(`${at}: expected a boolean, got ${describe(value)}`);
      return;
  }
}

function checkString(value: string, schema: Schema, at: string, out: string[]): void {
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
    out.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.push(`${at}: longer than ${schema.maxLength} characters`);
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    out.push(`${at}: shorter than ${schema.minLength} characters`);
  }
  if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) {
    out.push(`${at}: ${JSON.stringify(value)} is not a date-time`);
  }
}

function checkNumber(value: unknown, schema: Schema, at: string, out: string[]): void {
  if (typeof value !== "number" || (schema.type === "integer" && !Number.isInteger(value))) {
    out.push(
      `${at}: expected ${schema.type === "integer" ? "an integer" : "a number"}, got ${describe(value)}`,
    );
    return;
  }
  const range = schema.format === "int32" ? INT32 : schema.format === "int64" ? INT64 : undefined;
  if (range !== undefined && (value < range.min || value > range.max)) {
    out.push(`${at}: ${value} is out of the ${schema.format} range`);
  }
  if (schema.minimum !== undefined) {
    const below =
      schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum;
    if (below) out.push(`${at}: ${value} is below the minimum ${schema.minimum}`);
  }
  if (schema.maximum !== undefined) {
    const above =
      schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum;
    if (above) out.push(`${at}: ${value} is above the maximum ${schema.maximum}`);
  }
}

function checkObject(value: unknown, schema: Schema, path: string, out: string[]): void {
  const at = path === "" ? "(root)" : path;
  if (!isObject(value)) {
    out.push(`${at}: expected a mapping, got ${describe(value)}`);
    return;
  }
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) out.push(`${path === "" ? "" : `${path}.`}${key}: required`);
  }
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    out.push(`${at}: more than ${schema.maxProperties} keys`);
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    out.push(`${at}: fewer than ${schema.minProperties} keys`);
  }
  const embedded = schema["x-kubernetes-embedded-resource"] === true;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === "" ? key : `${path}.${key}`;
    const declared = schema.properties?.[key];
    if (path === "" && key === "metadata") {
      continue; // the object's ObjectMeta: see crdProblems
    } else if (declared !== undefined) {
      walk(child, declared, childPath, out);
    } else if (isObject(schema.additionalProperties)) {
      walk(child, schema.additionalProperties, childPath, out);
    } else if (
      schema.additionalProperties === true ||
      schema["x-kubernetes-preserve-unknown-fields"] === true ||
      (embedded && ["apiVersion", "kind", "metadata"].includes(key))
    ) {
      continue;
    } else {
      out.push(`${childPath}: unknown field`);
    }
  }
}

function checkArray(value: unknown, schema: Schema, path: string, out: string[]): void {
  const at = path === "" ? "(root)" : path;
  if (!Array.isArray(value)) {
    out.push(`${at}: expected a list, got ${describe(value)}`);
    return;
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.push(`${at}: more than ${schema.maxItems} items`);
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    out.push(`${at}: fewer than ${schema.minItems} items`);
  }
  value.forEach((item, i) => {
    if (schema.items !== undefined) walk(item, schema.items, `${path}[${i}]`, out);
  });
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "map" || listType === "set") {
    const keys = schema["x-kubernetes-list-map-keys"] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const id =
        listType === "set"
          ? JSON.stringify(item)
          : JSON.stringify(keys.map((k) => (isObject(item) ? item[k] : undefined)));
      if (seen.has(id))
        out.push(`${path}[${i}]: duplicate ${listType === "set" ? "item" : `key ${id}`}`);
      seen.add(id);
    });
  }
}

/**
 * Every problem the API server would report for `object` against `crd`, one line each as
 * `<field path>: <what is wrong>`; empty when it would be accepted. `metadata` is the API server's
 * ObjectMeta (the CRD schema leaves it open): its `name` must be a DNS-1123 subdomain and its
 * `namespace` a label.
 */
export function crdProblems(crd: Crd, object: unknown): string[] {
  if (!isObject(object)) return [`(root): expected a mapping, got ${describe(object)}`];
  const [group, version] = String(object.apiVersion).split("/");
  const schema = crd.versions.get(version ?? "");
  if (group !== crd.group || schema === undefined || object.kind !== crd.kind) {
    const served = [...crd.versions.keys()].map((v) => `${crd.group}/${v}`).join(", ");
    return [
      `(root): ${String(object.apiVersion)} ${String(object.kind)} is not ${crd.kind} of ${served}`,
    ];
  }
  const out: string[] = [];
  walk(object, schema, "", out);
  const { metadata } = object;
  if (!isObject(metadata)) {
    out.push("metadata: required");
    return out;
  }
  const { name, namespace } = metadata;
  if (typeof name !== "string" || !isDns1123Subdomain(name)) {
    out.push(`metadata.name: ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  }
  if (namespace !== undefined && (typeof namespace !== "string" || !isDns1123Label(namespace))) {
    out.push(`metadata.namespace: ${JSON.stringify(namespace)} is not a DNS-1123 label`);
  }
  return out;
}
