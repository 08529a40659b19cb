/**
 * The operator's Integration CRD schema (v1alpha2 `openAPIV3Schema`, descriptions left out),
 * embedded so that the program needs nothing outside the project: the source of the known
 * fields at every level of a CR and of the affinity check.
 */
import { LABEL_SELECTOR_OPERATORS, type SchemaNode } from "../rules";
import schema from "./integration-crd-schema.json";

/** The operators the API server accepts in a node selector requirement (`nodeAffinity`). */
export const NODE_SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

/**
 * Adds to `node` (in place) the values Kubernetes allows where the operator's CRD says only
 * "string": the `operator` of every `matchExpressions` and `matchFields` item, which the API
 * server would otherwise be the first to reject.
 */
function addKubernetesEnums(node: SchemaNode, underNodeAffinity = false): SchemaNode {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const inNodeAffinity = underNodeAffinity || key === "nodeAffinity";
    const operator = child.items?.properties?.operator;
    if ((key === "matchExpressions" || key === "matchFields") && operator !== undefined) {
      operator.enum = inNodeAffinity ? NODE_SELECTOR_OPERATORS : LABEL_SELECTOR_OPERATORS;
    }
    addKubernetesEnums(child, inNodeAffinity);
  }
  if (node.items !== undefined) addKubernetesEnums(node.items, underNodeAffinity);
  return node;
}

/** The CRD's openAPIV3Schema, as the operator ships it. */
export const INTEGRATION_CRD_SCHEMA = schema as unknown as SchemaNode;

/** What CRs are checked against: the CRD, with the values Kubernetes allows in selectors. */
const CHECKED_SCHEMA = addKubernetesEnums(structuredClone(INTEGRATION_CRD_SCHEMA));

/**
 * The schema node at a path of property names, where `[]` steps into list items:
 * `crdNode("spec", "env", "[]", "valueFrom")`. Throws on a path the CRD does not have (a bug).
 */
export function crdNode(...path: string[]): SchemaNode {
  let node = CHECKED_SCHEMA;
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
