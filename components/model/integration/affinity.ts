/**
 * The API server's checks of `spec.deploySpec.affinity` that no schema states: what each selector
 * operator needs in `values`, the field selectors it allows, weights of 1-100, topology keys,
 * label keys and values, namespace names. Run on an affinity that already fits the CRD's schema
 * (`checkSchema`), so that each mistake is an error here rather than at `pulumi up`.
 */
import type { IAffinity } from "../types";
import {
  type At,
  childAt,
  dns1123LabelProblem,
  itemAt,
  labelValueProblem,
  qualifiedNameProblem,
  report,
  quote,
} from "../rules";

type NodeAffinity = NonNullable<IAffinity["nodeAffinity"]>;
type NodeSelectorTerm = NonNullable<
  NodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"]
>["nodeSelectorTerms"][number];
type PodAffinity = NonNullable<IAffinity["podAffinity"]>;
type PodAffinityTerm = NonNullable<
  PodAffinity["requiredDuringSchedulingIgnoredDuringExecution"]
>[number];
type LabelSelector = NonNullable<PodAffinityTerm["labelSelector"]>;

/** A selector requirement: a key, an operator, and the values it compares with. */
interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

/** What `values` must hold for `operator`, as the API server requires; undefined when it does. */
function valuesProblem(operator: string, values: readonly string[]): string | undefined {
  switch (operator) {
    case "In":
    case "NotIn":
      return values.length === 0 ? `${operator} needs at least one value` : undefined;
    case "Exists":
    case "DoesNotExist":
      return values.length > 0 ? `${operator} takes no values; remove them` : undefined;
    case "Gt":
    case "Lt":
      return values.length !== 1 || !/^-?\d+$/.test(values[0])
        ? `${operator} needs exactly one value, an integer such as "4"`
        : undefined;
    default:
      return undefined;
  }
}

function checkKey(key: string, at: At): void {
  const problem = qualifiedNameProblem(key);
  if (problem !== undefined) report(at, `not a label key: ${problem}`);
}

function checkRequirements(requirements: readonly Requirement[] | undefined, at: At): void {
  requirements?.forEach((requirement, i) => {
    const here = itemAt(at, i);
    checkKey(requirement.key, childAt(here, "key"));
    const problem = valuesProblem(requirement.operator, requirement.values ?? []);
    if (problem !== undefined) report(childAt(here, "values"), problem);
  });
}

/** `matchFields`: Kubernetes selects nodes by `metadata.name` only, with In or NotIn and one name. */
function checkFieldRequirements(requirements: readonly Requirement[] | undefined, at: At): void {
  requirements?.forEach((requirement, i) => {
    const here = itemAt(at, i);
    if (requirement.key !== "metadata.name") {
      report(
        childAt(here, "key"),
        `nodes can be selected by "metadata.name" only, not by ${quote(requirement.key)}`,
      );
    }
    if (requirement.operator !== "In" && requirement.operator !== "NotIn") {
      report(
        childAt(here, "operator"),
        `a field selector takes "In" or "NotIn", not ${quote(requirement.operator)}`,
      );
    } else if ((requirement.values ?? []).length !== 1) {
      report(
        childAt(here, "values"),
        `${requirement.operator} on a field needs exactly one value, a node name`,
      );
    }
  });
}

function checkNodeSelectorTerm(term: NodeSelectorTerm, at: At): void {
  checkRequirements(term.matchExpressions, childAt(at, "matchExpressions"));
  checkFieldRequirements(term.matchFields, childAt(at, "matchFields"));
}

function checkWeight(weight: number, at: At): void {
  if (weight < 1 || weight > 100) report(at, `must be between 1 and 100, got ${weight}`);
}

function checkLabelSelector(selector: LabelSelector | undefined, at: At): void {
  if (selector === undefined) return;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const here = childAt(childAt(at, "matchLabels"), key);
    checkKey(key, here);
    const problem = labelValueProblem(value);
    if (problem !== undefined) report(here, `${quote(value)}: ${problem}`);
  }
  checkRequirements(selector.matchExpressions, childAt(at, "matchExpressions"));
}

function checkPodAffinityTerm(term: PodAffinityTerm, at: At): void {
  const here = childAt(at, "topologyKey");
  if (term.topologyKey === "") report(here, "must not be empty; e.g. kubernetes.io/hostname");
  else checkKey(term.topologyKey, here);
  checkLabelSelector(term.labelSelector, childAt(at, "labelSelector"));
  checkLabelSelector(term.namespaceSelector, childAt(at, "namespaceSelector"));
  term.namespaces?.forEach((namespace, i) => {
    const problem = dns1123LabelProblem(namespace);
    if (problem !== undefined) report(itemAt(childAt(at, "namespaces"), i), problem);
  });
}

function checkPodAffinity(affinity: PodAffinity | undefined, at: At): void {
  if (affinity === undefined) return;
  const required = childAt(at, "requiredDuringSchedulingIgnoredDuringExecution");
  affinity.requiredDuringSchedulingIgnoredDuringExecution?.forEach((term, i) =>
    checkPodAffinityTerm(term, itemAt(required, i)),
  );
  const preferred = childAt(at, "preferredDuringSchedulingIgnoredDuringExecution");
  affinity.preferredDuringSchedulingIgnoredDuringExecution?.forEach((weighted, i) => {
    checkWeight(weighted.weight, childAt(itemAt(preferred, i), "weight"));
    checkPodAffinityTerm(
      weighted.podAffinityTerm,
      childAt(itemAt(preferred, i), "podAffinityTerm"),
    );
  });
}

/**
 * Reports every rule of `affinity` (at `at`) the API server enforces beyond its schema: for
 * selector requirements, `In`/`NotIn` need values, `Exists`/`DoesNotExist` take none, `Gt`/`Lt`
 * take one integer; field selectors are `metadata.name` with `In`/`NotIn` and one value; weights
 * are 1-100; topology keys, label keys and values and namespaces are valid names.
 */
export function checkAffinityRules(affinity: IAffinity, at: At): void {
  const node = affinity.nodeAffinity;
  if (node !== undefined) {
    const nodeAt = childAt(at, "nodeAffinity");
    const required = childAt(
      childAt(nodeAt, "requiredDuringSchedulingIgnoredDuringExecution"),
      "nodeSelectorTerms",
    );
    node.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.forEach((term, i) =>
      checkNodeSelectorTerm(term, itemAt(required, i)),
    );
    const preferred = childAt(nodeAt, "preferredDuringSchedulingIgnoredDuringExecution");
    node.preferredDuringSchedulingIgnoredDuringExecution?.forEach((weighted, i) => {
      checkWeight(weighted.weight, childAt(itemAt(preferred, i), "weight"));
      checkNodeSelectorTerm(weighted.preference, childAt(itemAt(preferred, i), "preference"));
    });
  }
  checkPodAffinity(affinity.podAffinity, childAt(at, "podAffinity"));
  checkPodAffinity(affinity.podAntiAffinity, childAt(at, "podAntiAffinity"));
}
