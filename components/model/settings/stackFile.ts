/**
 * A stack file (`Pulumi.<stack>.yaml`) turned into the config map the Pulumi runtime hands a
 * program (`pulumi.runtime.allConfig()`), so that the offline render reads a stack exactly as
 * `pulumi up` does.
 */
import { CORE_SCHEMA, FAILSAFE_SCHEMA, loadAll } from "js-yaml";
import { type FieldLines, type Problems, type Source, withFieldLines } from "../problems";
import {
  type At,
  childAt,
  childPath,
  describeHidden,
  isMapping,
  quote,
  report,
  reportUnknown,
  warn,
} from "../rules";
import { aliasedLines, parseYamlDocuments, type YamlDocument } from "../input/yaml";
import { withoutByteOrderMarks } from "../input/inputFile";

const ONE_DOCUMENT = "a stack file holds one YAML document; remove the `---` and what follows";

/** The top-level keys of a Pulumi stack file (`Pulumi.<stack>.yaml`). */
export const STACK_FILE_KEYS = [
  "config",
  "environment",
  "secretsprovider",
  "encryptedkey",
  "encryptionsalt",
] as const;

/** What the caller does with a `secure:` value of the project's own namespace. */
export type SecureValueHandler = (name: string, at: At) => void;

/** A YAML mapping of exactly one key, `secure`, holding a string: Pulumi's encrypted value. */
function isSecureValue(value: unknown): boolean {
  return isMapping(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

function hasSecureValue(value: unknown): boolean {
  if (isSecureValue(value)) return true;
  if (Array.isArray(value)) return value.some(hasSecureValue);
  if (isMapping(value)) return Object.values(value).some(hasSecureValue);
  return false;
}

/**
 * JSON as Go's `json.Marshal` writes it, which is how the Pulumi CLI passes object values: map
 * keys sorted, and `<`, `>`, `&`, U+2028, U+2029 escaped.
 */
export function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (isMapping(v)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sorted(v[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(value)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `project:name` for a key as written in a stack file; undefined when it is not a config key. */
export function qualifiedKey(key: string, project: string): string | undefined {
  const parts = key.split(":");
  if (parts.some((p) => p === "")) return undefined;
  if (parts.length === 1) return `${project}:${key}`;
  if (parts.length === 2) return key;
  // The legacy spelling `namespace:config:name`.
  if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
  return undefined;
}

/** The document's `config` mapping, loaded with `schema`; undefined if there is none. */
function configMapping(text: string, schema: typeof CORE_SCHEMA): Record<string, unknown> {
  try {
    // The mapping parseYamlDocuments kept: empty documents around it (`---`, `...`) are skipped.
    const document = loadAll(text, undefined, { schema }).find(isMapping);
    if (isMapping(document) && isMapping(document.config)) return document.config;
  } catch {
    // Syntax errors were reported by parseYamlDocuments; other schemas fall back to typed text.
  }
  return {};
}

/**
 * Warns of the values in the stack file's objects that YAML 1.1 reads otherwise (`010`): the
 * Pulumi CLI (Go's YAML) hands them to the program as YAML 1.1 reads them, so render and
 * `pulumi up` would differ. Named by the config key (`wso2-mi:defaults.minReplicas`); a key's
 * own scalar is handed over as written, alike for both, and not warned of.
 */
function warnYaml11(
  document: YamlDocument,
  keys: Map<string, string>,
  source: Source,
  problems: Problems,
): void {
  for (const [path, message] of document.yaml11 ?? []) {
    for (const [name, inFile] of keys) {
      if (!name.includes(":") || !path.startsWith(inFile) || path === inFile) continue;
      const rest = path.slice(inFile.length);
      if (!rest.startsWith(".") && !rest.startsWith("[")) continue;
      problems.warning(source, `${name}${rest}`, message);
      break;
    }
  }
}

/** A stack file's config map, and where its keys are written. */
export interface StackConfigText {
  /** As {@link stackConfigFromText} returns it. */
  config: Record<string, string>;
  /**
   * The lines in the stack file of the config keys, by the names messages give them
   * (`wso2-mi:defaults.minReplicas`, or the key as written), and of the fields inside them.
   */
  lines: FieldLines;
}

/**
 * The stack's `config:` keys as messages name them (`project:key`, and the key as written), and
 * their paths in the file (`config.key`, `config["project:key"]`); a key written twice keeps the
 * first spelling's.
 */
function configKeyPaths(config: Record<string, unknown>, project: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const key of Object.keys(config)) {
    const inFile = childPath("config", key);
    paths.set(key, inFile);
    const qualified = qualifiedKey(key, project);
    if (qualified !== undefined && !paths.has(qualified)) paths.set(qualified, inFile);
  }
  return paths;
}

/**
 * The stack file's `config:` map, from the file's text, exactly as the Pulumi runtime hands config
 * to a program: keys `namespace:key` (a key without a namespace gets `project`'s), scalar values as
 * written (`5`, `true`, `0x10` stay as those strings; an empty value is ""), objects and lists as
 * JSON strings. A `secure:` value cannot be read offline: it is left out; for keys of `project`,
 * `onSecure` is called so that the caller can say whether it needed the value.
 */
export function stackConfigFromText(
  text: string,
  file: string,
  project: string,
  problems: Problems,
  onSecure: SecureValueHandler,
): Record<string, string> {
  return readStackConfigText(text, file, project, problems, onSecure).config;
}

/**
 * {@link stackConfigFromText}, with the lines of the config keys for later messages; problems
 * found here name those lines too.
 */
export function readStackConfigText(
  given: string,
  file: string,
  project: string,
  problems: Problems,
  onSecure: SecureValueHandler,
): StackConfigText {
  const noLines: StackConfigText = { config: {}, lines: () => undefined };
  const documents = parseYamlDocuments(given, file, problems, ONE_DOCUMENT, false);
  if (documents.length === 0) return noLines;
  if (documents.length > 1) {
    problems.error(documents[1].source, undefined, ONE_DOCUMENT);
    return noLines;
  }
  // The text without the byte-order marks parseYamlDocuments accepted, for the other schemas.
  const marks = withoutByteOrderMarks(given);
  const text = "text" in marks ? marks.text : given;
  const root = documents[0].value;
  const config = isMapping(root) && isMapping(root.config) ? root.config : {};
  // Top-level keys are named as written (`:config`), like config keys; their lines come first.
  const topLevel = isMapping(root) ? Object.keys(root).map((key) => [key, childPath("", key)]) : [];
  const paths = new Map([...(topLevel as [string, string][]), ...configKeyPaths(config, project)]);
  const lines = aliasedLines(documents[0].source, paths);
  const source: Source = withFieldLines({ file }, lines);
  warnYaml11(documents[0], configKeyPaths(config, project), source, problems);
  return {
    config: configFromDocument(root, text, project, { source, path: "", problems }, onSecure),
    lines,
  };
}

/** The config map of the stack file's document `root` (`text` is the file's), reporting at `fileAt`. */
function configFromDocument(
  root: unknown,
  text: string,
  project: string,
  fileAt: At,
  onSecure: SecureValueHandler,
): Record<string, string> {
  if (!isMapping(root)) {
    report(fileAt, `expected a mapping with the key config, got ${describeHidden(root)}`);
    return {};
  }
  for (const key of Object.keys(root)) {
    if (!(STACK_FILE_KEYS as readonly string[]).includes(key)) {
      reportUnknown(key, { ...fileAt, path: key }, STACK_FILE_KEYS);
    }
  }
  if (root.environment !== undefined && root.environment !== null) {
    warnEnvironment(root.environment, { ...fileAt, path: "environment" }, project);
  }
  if (root.config === undefined || root.config === null) return {};
  if (!isMapping(root.config)) {
    report(
      childAt(fileAt, "config"),
      `expected a mapping of keys to values, got ${describeHidden(root.config)}`,
    );
    return {};
  }
  // Go reads scalars as the text written (`0x10` stays "0x10") and objects with typed scalars.
  const typed = configMapping(text, CORE_SCHEMA);
  const written = configMapping(text, FAILSAFE_SCHEMA);
  const out: Record<string, string> = {};
  const firstSpelling = new Map<string, string>();
  for (const key of Object.keys(root.config)) {
    const at: At = { ...fileAt, path: key };
    const qualified = qualifiedKey(key, project);
    if (qualified === undefined) {
      report(
        at,
        `not a configuration key; write <namespace>:<name> such as "${project}:namespace", or a ` +
          `name alone for this project's keys`,
      );
      continue;
    }
    const earlier = firstSpelling.get(qualified);
    if (earlier !== undefined) {
      report(at, `the same key as ${quote(earlier)}; keep only one of them`);
      continue;
    }
    firstSpelling.set(qualified, key);
    const value = typed[key] ?? root.config[key];
    if (hasSecureValue(value)) {
      if (qualified.startsWith(`${project}:`)) {
        onSecure(qualified.slice(project.length + 1), { ...at, path: qualified });
      }
      continue;
    }
    out[qualified] = configValue(value, written[key]);
  }
  return out;
}

/**
 * Warns that the stack imports Pulumi ESC environments: `pulumi up` evaluates them and takes their
 * `pulumiConfig` values as config, which an offline command cannot, so its output may lack them.
 */
function warnEnvironment(value: unknown, at: At, project: string): void {
  const names = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string")
    : isMapping(value) && Array.isArray(value.imports)
      ? value.imports.filter((v): v is string => typeof v === "string")
      : [];
  const which =
    names.length === 0
      ? "Pulumi ESC environments"
      : `the Pulumi ESC environment${names.length === 1 ? "" : "s"} ${names.map((n) => JSON.stringify(n)).join(", ")}`;
  warn(
    at,
    `imports ${which}, which \`pulumi up\` evaluates and offline commands cannot: config ` +
      `${names.length === 1 ? "it sets" : "they set"} (pulumiConfig, such as ${project}:* keys) ` +
      "is missing from this output, which may differ from what `pulumi up` deploys; set those " +
      "keys in the stack file to see them offline",
  );
}

/** A config value as Pulumi hands it over: scalars as `written`, objects and lists as JSON. */
function configValue(value: unknown, written: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value) || isMapping(value)) return goJson(value);
  return typeof written === "string" ? written : JSON.stringify(value);
}
