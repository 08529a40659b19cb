/** autoscaling/v2 HPA metrics (`hpaMetrics` in the controller config). */
import type { IMetricSpec } from "../types";
import {
  type At,
  childAt,
  ownValue,
  describeValue,
  isMapping,
  itemAt,
  report,
  reportsErrors,
} from "./at";
import { type SchemaNode, checkSchema } from "./schema";

/** The operators the API server accepts in a label selector requirement. */
export const LABEL_SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

const string: SchemaNode = { type: "string" };
const quantity: SchemaNode = { "x-kubernetes-int-or-string": true, format: "quantity" };

const labelSelector: SchemaNode = {
  type: "object",
  properties: {
    matchLabels: { type: "object", additionalProperties: string },
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        required: ["key", "operator"],
        properties: {
          key: string,
          operator: { type: "string", enum: LABEL_SELECTOR_OPERATORS },
          values: { type: "array", items: string },
        },
      },
    },
  },
};

const target: SchemaNode = {
  type: "object",
  required: ["type"],
  properties: {
    type: { type: "string", enum: ["Utilization", "Value", "AverageValue"] },
    value: quantity,
    averageValue: quantity,
    averageUtilization: { type: "integer", format: "int32" },
  },
};

const metric: SchemaNode = {
  type: "object",
  required: ["name"],
  properties: { name: string, selector: labelSelector },
};

/** The members of MetricSpec, by the `type` that selects each. */
const SOURCES: Record<string, { member: string; schema: SchemaNode }> = {
  Resource: {
    member: "resource",
    schema: { type: "object", required: ["name", "target"], properties: { name: string, target } },
  },
  ContainerResource: {
    member: "containerResource",
    schema: {
      type: "object",
      required: ["name", "container", "target"],
      properties: { name: string, container: string, target },
    },
  },
  Pods: {
    member: "pods",
    schema: { type: "object", required: ["metric", "target"], properties: { metric, target } },
  },
  Object: {
    member: "object",
    schema: {
      type: "object",
      required: ["describedObject", "metric", "target"],
      properties: {
        describedObject: {
          type: "object",
          required: ["kind", "name"],
          properties: { apiVersion: string, kind: string, name: string },
        },
        metric,
        target,
      },
    },
  },
  External: {
    member: "external",
    schema: { type: "object", required: ["metric", "target"], properties: { metric, target } },
  },
};

/** The autoscaling/v2 MetricSpec schema, for the generic walk. */
export const METRIC_SPEC_SCHEMA: SchemaNode = {
  type: "object",
  required: ["type"],
  properties: {
    type: { type: "string", enum: Object.keys(SOURCES) },
    ...Object.fromEntries(Object.values(SOURCES).map((s) => [s.member, s.schema])),
  },
};

/** Which field each target type needs. */
const TARGET_VALUE: Record<string, string> = {
  Utilization: "averageUtilization",
  Value: "value",
  AverageValue: "averageValue",
};

function checkMetric(value: unknown, at: At): IMetricSpec | undefined {
  const checked = checkSchema(value, METRIC_SPEC_SCHEMA, at);
  if (!isMapping(checked)) return undefined;
  const type = String(checked.type);
  const source = ownValue(SOURCES, type);
  if (source === undefined) return undefined; // the schema's enum reported it
  const failed = reportsErrors(at.problems, () => {
    for (const [other, { member }] of Object.entries(SOURCES)) {
      if (other !== type && checked[member] !== undefined) {
        report(childAt(at, member), `belongs to type ${other}; this metric's type is ${type}`);
      }
    }
    const member = checked[source.member];
    if (!isMapping(member)) {
      report(childAt(at, source.member), `required for type ${type}`);
      return;
    }
    const targetAt = childAt(childAt(at, source.member), "target");
    const t = member.target;
    if (!isMapping(t)) return;
    const needed = ownValue(TARGET_VALUE, String(t.type));
    if (needed === undefined) return;
    if (t[needed] === undefined) {
      report(childAt(targetAt, needed), `required for target type ${String(t.type)}`);
    }
    if (t.type === "Utilization" && !["Resource", "ContainerResource"].includes(type)) {
      report(
        childAt(targetAt, "type"),
        `Utilization applies only to Resource and ContainerResource metrics; use "Value" or "AverageValue"`,
      );
    }
    if (typeof t.averageUtilization === "number" && t.averageUtilization < 1) {
      report(
        childAt(targetAt, "averageUtilization"),
        `must be at least 1, got ${t.averageUtilization}`,
      );
    }
  });
  return failed ? undefined : (checked as unknown as IMetricSpec);
}

/**
 * autoscaling/v2 HPA metrics, a list of MetricSpec: each item's `type` one of Resource, Pods,
 * Object, External, ContainerResource, with that type's member (and no other), known fields only.
 */
export function checkMetrics(value: unknown, at: At): IMetricSpec[] | undefined {
  if (!Array.isArray(value)) {
    report(at, `expected a list of autoscaling/v2 metrics, got ${describeValue(value)}`);
    return undefined;
  }
  const metrics = value.map((item, i) => checkMetric(item, itemAt(at, i)));
  return metrics.every((m) => m !== undefined) ? metrics : undefined;
}
