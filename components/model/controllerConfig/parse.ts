/**
 * The operator's controller config (`integration_controller_conf.yaml`): the ConfigMaps
 * `integration-config` and `integration-ingress-config`, whose `data` values are strings in the
 * operator's format. The built-in defaults are the operator's shipped file, parsed by this parser.
 */
import { readFileSync } from "fs";
import * as path from "path";
import {
  checkIngressField,
  checkObjectName,
  type IngressField,
  parseIngressProperties,
} from "../settings/ingress";
import { INTEGRATION_CONFIG_KEYS, checkIntegrationSettings } from "../settings/integrationDefaults";
import { Problems, type Source, withFieldLines } from "../problems";
import {
  type At,
  checkFields,
  childAt,
  describeValue,
  isMapping,
  oneOf,
  report,
  suggestion,
  reportUnknown,
  withoutUndefined,
} from "../rules";
import type { ControllerConfig, IngressDefaults } from "../types";
import { aliasedLines, parseYamlDocuments } from "../input/yaml";

/** The ConfigMap holding the `integration-config` keys (IntegrationDefaults). */
export const INTEGRATION_CONFIG_MAP = "integration-config";
/** The ConfigMap holding the shared Ingress's settings. */
export const INGRESS_CONFIG_MAP = "integration-ingress-config";
const CONFIG_MAPS = [INTEGRATION_CONFIG_MAP, INGRESS_CONFIG_MAP] as const;

/** The keys of `integration-ingress-config`, and the IngressDefaults field each sets. */
const INGRESS_CONFIG_FIELDS = {
  ingressHostName: "host",
  tlsSecretName: "tlsSecretName",
  ingressTransportMode: "transportMode",
} as const satisfies Record<string, IngressField>;
const INGRESS_PROPERTIES = "ingress.properties";
/** Read by the operator's API-gateway controllers only, never for integrations. */
const INGRESS_RESOURCE_NAME = "ingressResourceName";
const INGRESS_CONFIG_KEYS = [
  INGRESS_PROPERTIES,
  INGRESS_RESOURCE_NAME,
  ...Object.keys(INGRESS_CONFIG_FIELDS),
];

/** Said wherever a controller config sets `ingressResourceName`. */
export const INGRESS_RESOURCE_NAME_NOTE =
  "accepted and not applied: the operator never used ingressResourceName for integrations (only " +
  "its API-gateway controllers read it) and always named their Ingress ei-operator-ingress, " +
  "as this stack does; to give the Ingress another name, set the stack's ingress.name";

/** How the built-in defaults are named in messages. */
export const BUILTIN_CONTROLLER_CONFIG_FILE = "(built-in) integration_controller_conf.yaml";

/** The operator's shipped controller config, copied verbatim next to this module. */
const EMBEDDED_CONTROLLER_CONFIG = path.join(
  __dirname,
  "operator-defaults",
  "integration_controller_conf.yaml",
);

function integrationKeyElsewhere(key: string): string | undefined {
  return key in INGRESS_CONFIG_FIELDS || key === INGRESS_PROPERTIES || key === INGRESS_RESOURCE_NAME
    ? `${JSON.stringify(key)} belongs in the ${INGRESS_CONFIG_MAP} ConfigMap`
    : undefined;
}

function ingressKeyElsewhere(key: string): string | undefined {
  return (INTEGRATION_CONFIG_KEYS as readonly string[]).includes(key)
    ? `${JSON.stringify(key)} belongs in the ${INTEGRATION_CONFIG_MAP} ConfigMap`
    : undefined;
}

/** The `integration-ingress-config` data: only the keys it sets. */
function parseIngressConfig(data: Record<string, unknown>, at: At): Partial<IngressDefaults> {
  const out: Partial<IngressDefaults> = {};
  for (const [key, value] of Object.entries(data)) {
    const here = childAt(at, key);
    if (key === INGRESS_PROPERTIES) {
      const parsed = parseIngressProperties(value, here);
      if (parsed === undefined) continue;
      out.annotations = parsed.annotations;
      out.className = parsed.className;
    } else if (key === INGRESS_RESOURCE_NAME) {
      if (checkObjectName(value, here) !== undefined) {
        here.problems.note(here.source, here.path, INGRESS_RESOURCE_NAME_NOTE);
      }
    } else if (Object.hasOwn(INGRESS_CONFIG_FIELDS, key)) {
      // The operator treats an empty secret name as "no TLS".
      if (key === "tlsSecretName" && typeof value === "string" && value.trim() === "") continue;
      const field = INGRESS_CONFIG_FIELDS[key as keyof typeof INGRESS_CONFIG_FIELDS];
      checkIngressField(field, value, here, out);
    } else {
      const elsewhere = ingressKeyElsewhere(key);
      reportUnknown(key, here, INGRESS_CONFIG_KEYS, elsewhere === undefined ? {} : { elsewhere });
    }
  }
  return withoutUndefined(out);
}

/** The ConfigMap's name, after checking that the document is one the operator reads. */
function configMapName(
  fields: Record<string, unknown>,
  at: At,
): (typeof CONFIG_MAPS)[number] | undefined {
  if (fields.kind !== "ConfigMap") {
    report(
      childAt(at, "kind"),
      `expected "ConfigMap", got ${describeValue(fields.kind)}; a controller config holds only ` +
        `the ConfigMaps ${CONFIG_MAPS.map((n) => JSON.stringify(n)).join(" and ")}`,
    );
    return undefined;
  }
  if (fields.apiVersion !== "v1") {
    report(childAt(at, "apiVersion"), `expected "v1", got ${describeValue(fields.apiVersion)}`);
  }
  const metadataAt = childAt(at, "metadata");
  if (!isMapping(fields.metadata)) {
    report(metadataAt, `expected a mapping with the name ${oneOf(CONFIG_MAPS)}`);
    return undefined;
  }
  const name = fields.metadata.name;
  if (name === INTEGRATION_CONFIG_MAP || name === INGRESS_CONFIG_MAP) return name;
  const hint = typeof name === "string" ? suggestion(name, CONFIG_MAPS) : "";
  report(
    childAt(metadataAt, "name"),
    `expected ${oneOf(CONFIG_MAPS)}, got ${describeValue(name)}` +
      (hint === "" ? "; the operator reads no other ConfigMap" : hint),
  );
  return undefined;
}

/**
 * The ConfigMap document's source for its `data` keys, which messages name after the ConfigMap
 * (`integration-config.data.minReplicas`): their lines are those of `data.minReplicas`.
 */
function dataSource(source: Source, name: string): Source {
  return withFieldLines({ ...source }, aliasedLines(source, new Map([[`${name}.data`, "data"]])));
}

/**
 * Parses a controller config file in the operator's format: YAML documents that are the
 * ConfigMaps `integration-config` and `integration-ingress-config` (either may be absent; any
 * other document is an error naming it). Every `data` key the operator knows is checked and typed;
 * unknown keys are errors with a did-you-mean. `reconcileInterval` is accepted with a note.
 * Problems name `file`, the ConfigMap and the key, e.g. `integration-config.data.minReplicas`.
 */
export function parseControllerConfig(
  text: string,
  file: string,
  problems: Problems,
): ControllerConfig {
  const config: ControllerConfig = { source: { file }, integration: {}, ingress: {} };
  const problemsBefore = problems.list.length;
  const documents = parseYamlDocuments(text, file, problems);
  const seen = new Map<string, Source>();
  for (const { source, value } of documents) {
    const at: At = { source, path: "", problems };
    const fields = checkFields(value, at, ["apiVersion", "kind", "metadata", "data"]);
    if (fields === undefined) continue;
    const name = configMapName(fields, at);
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first !== undefined) {
      report(
        childAt(childAt(at, "metadata"), "name"),
        `a second ${name} ConfigMap; the first is ${first.document === undefined ? "above" : `document ${first.document}`}; merge them into one`,
      );
      continue;
    }
    seen.set(name, source);
    const dataAt: At = { source: dataSource(source, name), path: `${name}.data`, problems };
    const data = fields.data ?? {};
    if (!isMapping(data)) {
      report(dataAt, `expected a mapping of keys to strings, got ${describeValue(data)}`);
      continue;
    }
    if (name === INTEGRATION_CONFIG_MAP) {
      config.integration = checkIntegrationSettings(data, dataAt, integrationKeyElsewhere);
    } else {
      config.ingress = parseIngressConfig(data, dataAt);
    }
  }
  const syntaxError = problems.list.slice(problemsBefore).some((p) => p.severity === "error");
  if (documents.length === 0 && !syntaxError) {
    problems.warning(
      { file },
      undefined,
      `no ConfigMap found; expected ${oneOf(CONFIG_MAPS)}; the built-in defaults apply`,
    );
  }
  return config;
}

let builtin: ControllerConfig | undefined;

/**
 * The built-in defaults: the operator's shipped `integration_controller_conf.yaml`, embedded
 * verbatim and parsed with {@link parseControllerConfig} (once; each call returns a copy).
 */
export function builtinControllerConfig(): ControllerConfig {
  if (builtin === undefined) {
    const problems = new Problems();
    const text = readFileSync(EMBEDDED_CONTROLLER_CONFIG, "utf8");
    const parsed = parseControllerConfig(text, BUILTIN_CONTROLLER_CONFIG_FILE, problems);
    if (problems.hasErrors) {
      throw new Error(
        `the embedded ${EMBEDDED_CONTROLLER_CONFIG} does not parse: ` +
          problems.list.map((p) => p.message).join("; "),
      );
    }
    builtin = parsed;
  }
  return structuredClone(builtin);
}
