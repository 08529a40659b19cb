/**
 * A generic walk of an OpenAPI v3 schema (the subset CRDs use), for nested Kubernetes structures
 * such as affinity and HPA metrics: unknown fields, types, required fields, int32 bounds.
 */
import { type At, childAt, ownValue, describeAt, isMapping, itemAt, quote, report } from "./at";
import { checkFields, checkRequired, checkStrictBoolean, checkString } from "./fields";
import { INT32_MAX, checkInteger } from "./numbers";
import { checkQuantity } from "./quantity";
import { oneOf, suggestion } from "./suggest";

/** The part of an OpenAPI v3 schema this walk understands. */
export interface SchemaNode {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  /** The schema of every value of a map (`matchLabels`). */
  additionalProperties?: SchemaNode;
  /** `int32`, `int64`, or `quantity` (checked with `checkQuantity`). */
  format?: string;
  /** Accepted values of a string. */
  enum?: string[];
  "x-kubernetes-int-or-string"?: boolean;
  anyOf?: SchemaNode[];
  pattern?: string;
}

/**
 * The value checked against `schema`, copied; null fields are left out, as Kubernetes does.
 * Undefined when the walk reported an error.
 */
export function checkSchema(value: unknown, schema: SchemaNode, at: At): unknown {
  const walk = (v: unknown, s: SchemaNode, here: At): unknown => {
    if (s["x-kubernetes-int-or-string"] === true) {
      if (s.format === "quantity" || s.pattern !== undefined) return checkQuantity(v, here);
      if (typeof v === "string") return v;
      return checkInteger(v, here, -INT32_MAX - 1, INT32_MAX);
    }
    if (s.format === "quantity") return checkQuantity(v, here);
    switch (s.type) {
      case "string": {
        const text = checkString(v, here);
        if (text !== undefined && s.enum !== undefined && !s.enum.includes(text)) {
          report(
            here,
            here.hidden === true
              ? `expected ${oneOf(s.enum)}, got ${describeAt(text, here)}`
              : `expected ${oneOf(s.enum)}, got ${quote(text)}${suggestion(text, s.enum)}`,
          );
          return undefined;
        }
        return text;
      }
      case "integer":
        return s.format === "int32"
          ? checkInteger(v, here, -INT32_MAX - 1, INT32_MAX)
          : checkInteger(v, here, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      case "number":
        if (typeof v === "number" && Number.isFinite(v)) return v;
        report(here, `expected a number, got ${describeAt(v, here)}`);
        return undefined;
      case "boolean":
        return checkStrictBoolean(v, here);
      case "array": {
        if (!Array.isArray(v)) {
          report(here, `expected a list, got ${describeAt(v, here)}`);
          return undefined;
        }
        const items = s.items;
        return (v as unknown[]).map((item, i) =>
          items === undefined ? item : walk(item, items, itemAt(here, i)),
        );
      }
      default:
        return object(v, s, here);
    }
  };

  const object = (v: unknown, s: SchemaNode, here: At): unknown => {
    const properties = s.properties;
    const values = s.additionalProperties;
    if (properties === undefined) {
      if (!isMapping(v)) {
        report(here, `expected a mapping, got ${describeAt(v, here)}`);
        return undefined;
      }
      if (values === undefined) return { ...v };
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v))
        out[key] = walk(item, values, childAt(here, key));
      return out;
    }
    const fields = checkFields(v, here, Object.keys(properties));
    if (fields === undefined) return undefined;
    checkRequired(fields, here, s.required ?? []);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(fields)) {
      const child = ownValue(properties, key);
      if (child === undefined || item === null || item === undefined) continue;
      out[key] = walk(item, child, childAt(here, key));
    }
    return out;
  };

  const errorsBefore = at.problems.errorCount;
  const result = walk(value, schema, at);
  return at.problems.errorCount === errorsBefore ? result : undefined;
}
