/** `metadata` of an Integration CR. */
import type { IntegrationCR } from "../types";
import { present } from "../rules/present";
import {
  type At,
  checkFields,
  checkString,
  childAt,
  describeValue,
  dns1123LabelProblem,
  isMapping,
  labelValueProblem,
  qualifiedNameProblem,
  report,
  quote,
} from "../rules";

/** The longest integration name: `<name>-service` must fit in a 63-character Service name. */
export const MAX_INTEGRATION_NAME = 55;

/** ObjectMeta fields Kubernetes sets or that do not apply here: accepted and ignored. */
const IGNORED_METADATA = [
  "uid",
  "creationTimestamp",
  "resourceVersion",
  "generation",
  "selfLink",
  "managedFields",
  "ownerReferences",
  "finalizers",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "generateName",
  "clusterName",
];
const METADATA_FIELDS = ["name", "namespace", "labels", "annotations", ...IGNORED_METADATA];

function checkName(value: unknown, at: At): string | undefined {
  const name = checkString(value, at);
  if (name === undefined) return undefined;
  if (name.length > MAX_INTEGRATION_NAME) {
    report(
      at,
      `${quote(name)} is ${name.length} characters long; at most ${MAX_INTEGRATION_NAME} ` +
        `are allowed, so that "<name>-service" fits Kubernetes' 63-character limit`,
    );
    return undefined;
  }
  const problem = dns1123LabelProblem(name);
  if (problem !== undefined) {
    report(at, problem);
    return undefined;
  }
  if (!/^[a-z]/.test(name)) {
    report(
      at,
      `${quote(name)} must start with a letter: the Service "${name}-service" must be ` +
        "a DNS-1035 label",
    );
    return undefined;
  }
  return name;
}

function checkStringMap(
  value: unknown,
  at: At,
  valueProblem: (v: string) => string | undefined,
): Record<string, string> | undefined {
  if (!isMapping(value)) {
    report(at, `expected a mapping of strings, got ${describeValue(value)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    const here = childAt(at, key);
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined) report(here, `invalid key: ${keyProblem}`);
    const text = checkString(raw, here);
    if (text === undefined) continue;
    const problem = valueProblem(text);
    if (problem !== undefined) report(here, problem);
    else out[key] = text;
  }
  return out;
}

/** `metadata`: a name (required), a namespace, labels and annotations; server-set fields are ignored. */
export function checkMetadata(value: unknown, at: At): IntegrationCR["metadata"] | undefined {
  if (!present(value)) {
    report(at, "required field is missing; give at least metadata.name");
    return undefined;
  }
  const fields = checkFields(value, at, METADATA_FIELDS);
  if (fields === undefined) return undefined;
  const metadata: Partial<IntegrationCR["metadata"]> = {};
  if (!present(fields.name)) report(childAt(at, "name"), "required field is missing");
  else metadata.name = checkName(fields.name, childAt(at, "name"));
  if (present(fields.namespace)) {
    const here = childAt(at, "namespace");
    const namespace = checkString(fields.namespace, here);
    const problem = namespace === undefined ? undefined : dns1123LabelProblem(namespace);
    if (problem !== undefined) report(here, problem);
    else if (namespace !== undefined) metadata.namespace = namespace;
  }
  const labels = present(fields.labels)
    ? checkStringMap(fields.labels, childAt(at, "labels"), labelValueProblem)
    : undefined;
  if (labels !== undefined) metadata.labels = labels;
  const annotations = present(fields.annotations)
    ? checkStringMap(fields.annotations, childAt(at, "annotations"), () => undefined)
    : undefined;
  if (annotations !== undefined) metadata.annotations = annotations;
  return metadata.name === undefined ? undefined : (metadata as IntegrationCR["metadata"]);
}
