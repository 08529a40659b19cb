/**
 * The operator's Integration CRD schema (v1alpha2 `openAPIV3Schema`, descriptions left out),
 * embedded so that the program needs nothing outside the project: the source of the known
 * fields at every level of a CR and of the affinity check.
 */
import type { SchemaNode } from "./rules";
import schema from "./integration-crd-schema.json";

/** The CRD's openAPIV3Schema. */
export const INTEGRATION_CRD_SCHEMA = schema as unknown as SchemaNode;

/**
 * The schema node at a path of property names, where `[]` steps into list items:
 * `crdNode("spec", "env", "[]", "valueFrom")`. Throws on a path the CRD does not have (a bug).
 */
export function crdNode(...path: string[]): SchemaNode {
  let node = INTEGRATION_CRD_SCHEMA;
  for (const step of path) {
    const next = step === "[]" ? node.items : node.properties?.[step];
    if (next === undefined) throw new Error(`the Integration CRD has no ${path.join(".")}`);
    node = next;
  }
  return node;
}

/** The property names the CRD allows at a path, in the CRD's order. */
export function crdFields(...path: string[]): string[] {
  return Object.keys(crdNode(...path).properties ?? {});
}
