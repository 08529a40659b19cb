/** `spec.env` and `spec.envFrom` of an Integration CR, with the operator docs' spellings converted. */
import { crdFields, crdNode } from "./crdSchema";
import { present } from "../rules/present";
import { envVarNameProblem } from "../rules/kubernetes";
import {
  type At,
  checkFields,
  checkSchema,
  checkString,
  childAt,
  describeValue,
  dns1123SubdomainProblem,
  isMapping,
  itemAt,
  looksSecret,
  plainSecretWarning,
  report,
  secretTypeProblem,
  SHOWN_CHARACTERS,
  warn,
  quote,
} from "../rules";
import type { IEnvFromSource, IEnvVar } from "../types";

type EnvVarSource = NonNullable<IEnvVar["valueFrom"]>;

const VALUE_SOURCES = ["configMapKeyRef", "secretKeyRef", "fieldRef", "resourceFieldRef"] as const;
/** The docs' spelling of `valueFrom.configMapKeyRef`. */
const DOCS_CONFIGMAP_KEY_REF = "configMapRef" as const;
/** The docs' spelling of `envFrom[].secretRef`. */
const DOCS_SECRET_REF = "secretKeyRef";
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

function checkObjectName(value: unknown, at: At, what: string): void {
  if (typeof value !== "string") return;
  const problem = dns1123SubdomainProblem(value);
  if (problem !== undefined) report(at, `not a ${what} name: ${problem}`);
}

/** The reference under `valueFrom.<key>`, checked against the CRD's schema of `schemaKey`. */
function checkValueSource(
  value: unknown,
  at: At,
  schemaKey: (typeof VALUE_SOURCES)[number],
): unknown {
  const checked = checkSchema(value, crdNode("spec", "env", "[]", "valueFrom", schemaKey), at);
  if (!isMapping(checked)) return undefined;
  if (schemaKey === "configMapKeyRef" || schemaKey === "secretKeyRef") {
    const what = schemaKey === "configMapKeyRef" ? "ConfigMap" : "Secret";
    if (!present(checked.name))
      report(childAt(at, "name"), `required field is missing: the ${what}'s name`);
    checkObjectName(checked.name, childAt(at, "name"), what);
    if (typeof checked.key === "string" && !CONFIGMAP_KEY.test(checked.key)) {
      report(
        childAt(at, "key"),
        `expected a ${what} key (letters, digits, '-', '_' and '.'), got ${quote(checked.key)}`,
      );
    }
  }
  return checked;
}

function checkValueFrom(value: unknown, at: At): EnvVarSource | undefined {
  const fields = checkFields(value, at, [...VALUE_SOURCES, DOCS_CONFIGMAP_KEY_REF]);
  if (fields === undefined) return undefined;
  const given = [...VALUE_SOURCES, DOCS_CONFIGMAP_KEY_REF].filter((k) => present(fields[k]));
  if (given.length !== 1) {
    report(
      at,
      given.length === 0
        ? "needs one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef"
        : `has ${given.join(" and ")}; use exactly one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef`,
    );
    return undefined;
  }
  const key = given[0];
  const schemaKey = key === DOCS_CONFIGMAP_KEY_REF ? "configMapKeyRef" : key;
  if (key === DOCS_CONFIGMAP_KEY_REF) {
    warn(
      childAt(at, key),
      `the operator's docs spell this "configMapRef"; Kubernetes calls it "configMapKeyRef", ` +
        "which is what is deployed: rename it",
    );
  }
  // Hidden: a scalar where the reference's mapping belongs may be the secret itself.
  const source = checkValueSource(fields[key], { ...childAt(at, key), hidden: true }, schemaKey);
  if (source === undefined) return undefined;
  const result: EnvVarSource = { [schemaKey]: source };
  return result;
}

/**
 * A secret written into the CR is in plain text in git, in the Deployment and for anyone who can
 * read it in the cluster; the plan and the Pulumi state hide it, the cluster cannot.
 */
function warnPlainSecret(at: At): void {
  warn(
    at,
    plainSecretWarning(
      "keep it in a Secret and write valueFrom.secretKeyRef: {name: <secret>, key: <key>} " +
        "instead of value",
    ),
  );
}

/**
 * How an env value reads in a message: its kind only, since it may be a secret (a name and its
 * value written as one `NAME=value` string is common).
 */
function describeKind(value: unknown): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return `a ${typeof value} (not shown: env values may be secrets)`;
  }
  return describeValue(value);
}

/** The name in `NAME=value` (a `.env` line), when it is a valid name; else undefined. */
function dotEnvName(text: string): string | undefined {
  const name = /^([A-Za-z_][\w.-]*)=/.exec(text)?.[1];
  if (name === undefined || name.length > SHOWN_CHARACTERS) return undefined;
  return envVarNameProblem(name, "") === undefined ? name : undefined;
}

/**
 * An env variable's `name`, checked as every supported Kubernetes version checks it. A name
 * holding `=` is never shown: `NAME=value` written as a name holds its value.
 */
function checkEnvName(value: unknown, at: At): string | undefined {
  if (!present(value)) {
    report(at, "required field is missing");
    return undefined;
  }
  const name = checkString(value, at);
  if (name === undefined) return undefined;
  if (name.includes("=")) {
    const before = dotEnvName(name);
    report(
      at,
      'must not contain "=" (not shown: a name with "=" may hold its value)' +
        (before === undefined ? "" : `; write NAME=value as {name: ${before}, value: "..."}`),
    );
    return undefined;
  }
  const problem = envVarNameProblem(name, "an environment variable name");
  if (problem !== undefined) {
    report(at, name === "" ? problem : `${quote(name)} ${problem}`);
    return undefined;
  }
  return name;
}

function checkEnvVar(value: unknown, at: At): IEnvVar | undefined {
  if (!isMapping(value)) {
    const named = typeof value === "string" ? dotEnvName(value) : undefined;
    report(
      at,
      `expected {name, value} or {name, valueFrom}, got ${describeKind(value)}` +
        (named === undefined ? "" : `; write NAME=value as {name: ${named}, value: "..."}`),
    );
    return undefined;
  }
  const fields = checkFields(value, { ...at, hidden: true }, crdFields("spec", "env", "[]"));
  if (fields === undefined) return undefined;
  const name = checkEnvName(fields.name, childAt(at, "name"));
  const variable: Partial<IEnvVar> = { name };
  const secret = name !== undefined && looksSecret(name);
  if (present(fields.value)) {
    const raw = fields.value;
    const here: At = { ...childAt(at, "value"), hidden: true };
    if (typeof raw === "number" || typeof raw === "boolean") {
      report(
        here,
        secret
          ? secretTypeProblem(raw)
          : `expected a string, got a ${typeof raw} (not shown: env values may be secrets); ` +
              "quote it",
      );
    } else {
      variable.value = checkString(raw, here);
      if (secret && variable.value !== undefined && variable.value !== "") warnPlainSecret(here);
    }
  }
  if (present(fields.valueFrom)) {
    if (present(fields.value)) {
      report(at, "has both value and valueFrom; keep one of them");
    } else {
      // What stands where a secretKeyRef mapping belongs may be the secret itself.
      const here: At = { ...childAt(at, "valueFrom"), hidden: true };
      variable.valueFrom = checkValueFrom(fields.valueFrom, here);
    }
  }
  return variable as IEnvVar;
}

/** `spec.env`: named variables with a string `value` or one `valueFrom` source; duplicates are a warning. */
export function checkEnv(value: unknown, at: At): IEnvVar[] {
  if (!Array.isArray(value)) {
    report(at, `expected a list of {name, value} or {name, valueFrom}, got ${describeKind(value)}`);
    return [];
  }
  const seen = new Map<string, number>();
  const out: IEnvVar[] = [];
  (value as unknown[]).forEach((item, i) => {
    const here = itemAt(at, i);
    const variable = checkEnvVar(item, here);
    if (variable === undefined) return;
    // A name that failed its check was reported; it is no name to compare.
    if (variable.name === undefined) return;
    const first = seen.get(variable.name);
    if (first !== undefined) {
      warn(
        childAt(here, "name"),
        `${quote(variable.name)} is also set by ${itemAt(at, first).path}; the last one wins`,
      );
    } else {
      seen.set(variable.name, i);
    }
    out.push(variable);
  });
  return out;
}

function checkEnvFromSource(value: unknown, at: At): IEnvFromSource | undefined {
  const known = [...crdFields("spec", "envFrom", "[]"), DOCS_SECRET_REF];
  // What stands where a secretRef mapping belongs may be a secret: shown by its kind only.
  const fields = checkFields(value, { ...at, hidden: true }, known);
  if (fields === undefined) return undefined;
  const given = ["configMapRef", "secretRef", DOCS_SECRET_REF].filter((k) => present(fields[k]));
  if (given.length !== 1) {
    report(
      at,
      given.length === 0
        ? "needs one of configMapRef or secretRef"
        : `has ${given.join(" and ")}; use exactly one of configMapRef or secretRef`,
    );
  }
  const source: IEnvFromSource = {};
  if (present(fields.prefix)) {
    source.prefix = checkString(fields.prefix, childAt(at, "prefix"));
    // The prefix starts every variable's name, and Kubernetes checks it as one.
    const problem =
      source.prefix === undefined || source.prefix === ""
        ? undefined
        : envVarNameProblem(source.prefix, "an envFrom prefix");
    if (problem !== undefined) {
      report(childAt(at, "prefix"), `${quote(source.prefix ?? "")} ${problem}`);
    }
  }
  for (const key of given) {
    const target = key === DOCS_SECRET_REF ? "secretRef" : key;
    const here = childAt(at, key);
    if (key === DOCS_SECRET_REF) {
      warn(
        here,
        `the operator's docs spell this "secretKeyRef"; Kubernetes calls it "secretRef", ` +
          "which is what is deployed: rename it",
      );
    }
    const ref = checkSchema(fields[key], crdNode("spec", "envFrom", "[]", target), {
      ...here,
      hidden: true,
    });
    if (!isMapping(ref)) continue;
    const what = target === "secretRef" ? "Secret" : "ConfigMap";
    if (!present(ref.name))
      report(childAt(here, "name"), `required field is missing: the ${what}'s name`);
    checkObjectName(ref.name, childAt(here, "name"), what);
    if (target === "secretRef") source.secretRef = ref;
    else source.configMapRef = ref;
  }
  return source;
}

/** `spec.envFrom`: each entry exactly one of configMapRef or secretRef, with a name. */
export function checkEnvFrom(value: unknown, at: At): IEnvFromSource[] {
  if (!Array.isArray(value)) {
    report(at, `expected a list of {configMapRef} or {secretRef}, got ${describeValue(value)}`);
    return [];
  }
  const out: IEnvFromSource[] = [];
  (value as unknown[]).forEach((item, i) => {
    const source = checkEnvFromSource(item, itemAt(at, i));
    if (source !== undefined) out.push(source);
  });
  return out;
}
