/**
 * A stack's settings: the project's keys of `stacks/Pulumi.<stack>.yaml`. The Pulumi program gets
 * them from `pulumi.runtime.allConfig()`, the offline render from {@link stackConfigFromFile};
 * both call {@link parseStackSettings}, so they read a stack alike.
 */
import { readdirSync } from "fs";
import * as path from "path";
import { parseImageRefresh } from "./imageRefresh";
import { checkAnnotationMap, checkIngressField } from "./ingress";
import { readInputFile, unreadProblem, unreadSource } from "../input/inputFile";
import { checkProviderConfig, parseKubernetesSettings } from "./kubernetes";
import { PROJECT_FILE, projectConfigValues, readProjectDocument } from "./project";
import { INTEGRATION_CONFIG_KEYS, checkIntegrationSettings } from "./integrationDefaults";
import { type FieldLines, Problems, type Source, withFieldLines } from "../problems";
import {
  type At,
  checkBoolean,
  checkFields,
  checkRequired,
  checkString,
  checkStringList,
  dns1123SubdomainProblem,
  childAt,
  describeValue,
  didYouMean,
  dns1123LabelProblem,
  isMapping,
  itemAt,
  ownValue,
  checkChoice,
  report,
  quote,
  reportUnknown,
  withoutUndefined,
} from "../rules";
import {
  isPlatformKey,
  parseIntegrationOverrides,
  parsePlatformKey,
  PLATFORM_KEYS,
  platformValue,
} from "./platform";
import { parsePatches } from "./patches";
import { readStackConfigText, type StackConfigText } from "./stackFile";
import {
  ROUTINGS,
  type GatewayRef,
  type IngressDefaults,
  type IntegrationDefaults,
  type StackSettings,
} from "../types";

/** The keys this project reads from a stack, without the `<project>:` namespace. */
export const STACK_KEYS = [
  "namespace",
  "crs",
  "controllerConfig",
  "defaults",
  "ingress",
  "imageRefresh",
  "createNamespace",
  "kubernetes",
  "integrations",
  "routing",
  "gateway",
  "patches",
  ...PLATFORM_KEYS,
] as const;

/**
 * Keys that must be secrets (`pulumi config set --secret`): read by the image-refresh provider
 * only, never by the program, and left out offline.
 */
export const SECRET_STACK_KEYS = ["registryCredentials"] as const;

/** Every key of this project, for did-you-mean and for the list in messages. */
const ALL_STACK_KEYS: readonly string[] = [...STACK_KEYS, ...SECRET_STACK_KEYS];

/** The keys of a stack's `ingress` object. */
export const STACK_INGRESS_KEYS = [
  "enabled",
  "name",
  "host",
  "className",
  "tlsSecretName",
  "annotations",
  "transportMode",
] as const;

/** The operator's names of ingress settings, and what a stack's `ingress` calls them. */
const OPERATOR_INGRESS_NAMES: Record<string, string> = {
  autoIngressCreation: "enabled",
  ingressResourceName: "name",
  ingressHostName: "host",
  "ingress.properties": "annotations",
  ingressTransportMode: "transportMode",
};

/** A stack file, as messages name it when it cannot be read. */
const STACK_FILE = "the stack file";

/** The project as `Pulumi.yaml` describes it. */
export interface PulumiProject {
  /** `name`: the namespace of the project's config keys. */
  name: string;
  /** `stackConfigDir`, relative to the project. Default: the project directory, as Pulumi does. */
  stackConfigDir: string;
  /**
   * What the project file's `config:` section adds to a stack's config for keys the stack does
   * not set (`projectConfigValues`). Default: nothing.
   */
  config: Record<string, string>;
}

/**
 * Reads `Pulumi.yaml` in `baseDir` (`readProjectDocument`), reporting a file that is missing or
 * cannot be read, or a missing `name`.
 */
export function readProject(baseDir: string, problems: Problems): PulumiProject | undefined {
  const read = readProjectDocument(baseDir, problems);
  if (read === undefined) return undefined;
  const document = read.value;
  const at: At = { source: read.source, path: "", problems };
  if (!isMapping(document) || typeof document.name !== "string" || document.name === "") {
    report(childAt(at, "name"), "the project needs a name, e.g. `name: wso2-mi`");
    return undefined;
  }
  const dir = document.stackConfigDir;
  if (dir !== undefined && typeof dir !== "string") {
    report(childAt(at, "stackConfigDir"), `expected a folder, got ${describeValue(dir)}`);
    return undefined;
  }
  return {
    name: document.name,
    stackConfigDir: dir ?? ".",
    config: projectConfigValues(document.config, document.name),
  };
}

/** The known key closest to `name`, or where a misplaced key belongs. */
function reportUnknownStackKey(name: string, project: string, at: At): void {
  const close = didYouMean(name, ALL_STACK_KEYS);
  if (close !== undefined) {
    report(at, `unknown key; did you mean ${quote(`${project}:${close}`)}?`);
  } else if ((INTEGRATION_CONFIG_KEYS as readonly string[]).includes(name)) {
    report(at, `unknown key; set ${name} under ${project}:defaults`);
  } else if ((STACK_INGRESS_KEYS as readonly string[]).includes(name)) {
    report(at, `unknown key; set ${name} under ${project}:ingress`);
  } else {
    report(
      at,
      `unknown key; the keys of this project are ${ALL_STACK_KEYS.map((k) => `${project}:${k}`).join(", ")}`,
    );
  }
}

/**
 * Reads `file` (a stack file, `Pulumi.<stack>.yaml`; messages name it relative to the working
 * directory when it lies inside it) and returns its `config:` map exactly as the
 * Pulumi runtime hands config to a program (`pulumi.runtime.allConfig()`): keys `namespace:key`
 * (a key without a namespace gets `project`'s), scalar values as strings, objects and lists as JSON
 * strings. `secure:` values cannot be read offline and are left out; one set for a key of this
 * project is an error, since every key it reads shapes what is deployed.
 */
export function stackConfigFromFile(
  file: string,
  project: string,
  problems: Problems,
): Record<string, string> {
  const relative = path.relative(process.cwd(), file);
  const named = path.isAbsolute(file) && !relative.startsWith("..") ? relative : file;
  const read = readInputFile(file);
  if (!("text" in read)) {
    problems.error(unreadSource(named, read), undefined, unreadProblem(read, STACK_FILE));
    return {};
  }
  return stackConfigText(read.text, named, project, problems).config;
}

function stackConfigText(
  text: string,
  file: string,
  project: string,
  problems: Problems,
): StackConfigText {
  const read = readStackConfigText(text, file, project, problems, (name, at) => {
    if ((SECRET_STACK_KEYS as readonly string[]).includes(name)) return;
    if ((STACK_KEYS as readonly string[]).includes(name)) {
      report(
        at,
        "a secret value cannot be read offline, and render needs this setting as plain text; " +
          `set it without --secret: pulumi config set ${at.path} <value>`,
      );
    } else {
      reportUnknownStackKey(name, project, at);
    }
  });
  const source = withFieldLines({ file }, read.lines);
  for (const key of plainSecretKeys(read.config, project, () => false)) {
    delete read.config[key];
    reportPlainCredentials({ source, path: key, problems });
  }
  return read;
}

/** The keys of `config` that must be secrets (`SECRET_STACK_KEYS`) but are not (`isSecret`). */
function plainSecretKeys(
  config: Record<string, string>,
  project: string,
  isSecret: (key: string) => boolean,
): string[] {
  return SECRET_STACK_KEYS.map((name) => `${project}:${name}`).filter(
    (key) => config[key] !== undefined && !isSecret(key),
  );
}

function reportPlainCredentials(at: At): void {
  report(
    at,
    "holds credentials in plain text; store them encrypted instead: " +
      `pulumi config set --secret ${at.path} '<JSON>'`,
  );
}

/**
 * `project`'s config defaults without the keys that must be secrets, each reported: the project
 * file is committed in plain text, and its defaults cannot be encrypted.
 */
function projectConfigWithoutSecrets(
  project: PulumiProject,
  problems: Problems,
): Record<string, string> {
  const config = { ...project.config };
  for (const name of SECRET_STACK_KEYS) {
    const key = `${project.name}:${name}`;
    if (config[key] === undefined) continue;
    delete config[key];
    problems.error(
      { file: PROJECT_FILE },
      key,
      "holds credentials in plain text in the project file; remove it there and store them " +
        `encrypted in each stack instead: pulumi config set --secret ${key} '<JSON>'`,
    );
  }
  return config;
}

/** A config value that holds an object (a YAML mapping in the stack file, JSON in Pulumi's hands). */
function parseObject(value: string, at: At): Record<string, unknown> | undefined {
  if (!value.trim().startsWith("{")) {
    report(
      at,
      `expected a mapping (in the stack file, indented keys under ${at.path}), got ` +
        `${quote(value)}`,
    );
    return undefined;
  }
  const json = parseJson(value, at);
  if (json === undefined) return undefined;
  const parsed = json.value;
  if (!isMapping(parsed)) {
    report(at, `expected a mapping, got ${describeValue(parsed)}`);
    return undefined;
  }
  return parsed;
}

/** A config value as Pulumi hands objects and lists over: JSON; undefined (reported) when it is not. */
function parseJson(value: string, at: At): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(value) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(at, `not valid JSON: ${reason}`);
    return undefined;
  }
}

/** `crs`: one path, or a JSON list of paths. */
function parseCrs(value: string, at: At): string[] | undefined {
  if (!value.trim().startsWith("[")) {
    if (value.trim() === "") {
      report(at, "expected a CR file or folder, or a list of them, got an empty value");
      return undefined;
    }
    return [value];
  }
  const json = parseJson(value, at);
  if (json === undefined) return undefined;
  const parsed = json.value;
  const paths = checkStringList(parsed, at);
  if (paths === undefined) return undefined;
  if (paths.length === 0) {
    report(at, "expected at least one CR file or folder");
    return undefined;
  }
  let ok = true;
  paths.forEach((p, i) => {
    if (p.trim() === "") {
      report(itemAt(at, i), 'expected a CR file or folder, got ""');
      ok = false;
    }
  });
  return ok ? paths : undefined;
}

/** A stack's `ingress` object. An empty `tlsSecretName` or `className` means "none". */
function parseStackIngress(value: Record<string, unknown>, at: At): Partial<IngressDefaults> {
  const out: Partial<IngressDefaults> = {};
  let classFromAnnotation: { className: string; at: At } | undefined;
  for (const [key, v] of Object.entries(value)) {
    const here = childAt(at, key);
    switch (key) {
      case "enabled":
        out.enabled = checkBoolean(v, here);
        break;
      case "annotations": {
        const checked = checkAnnotationMap(v, here);
        out.annotations = checked?.annotations;
        if (checked?.className !== undefined) {
          classFromAnnotation = { className: checked.className, at: here };
        }
        break;
      }
      case "tlsSecretName":
      case "className":
        if (v === "") out[key] = "";
        else checkIngressField(key, v, here, out);
        break;
      case "name":
      case "host":
      case "transportMode":
        checkIngressField(key, v, here, out);
        break;
      default: {
        const ours = ownValue(OPERATOR_INGRESS_NAMES, key);
        reportUnknown(
          key,
          here,
          STACK_INGRESS_KEYS,
          ours === undefined ? {} : { elsewhere: `a stack's ingress calls it ${quote(ours)}` },
        );
      }
    }
  }
  if (classFromAnnotation !== undefined) {
    if (out.className === undefined) out.className = classFromAnnotation.className;
    else if (out.className !== classFromAnnotation.className) {
      report(
        classFromAnnotation.at,
        `kubernetes.io/ingress.class is ${quote(classFromAnnotation.className)} but ` +
          `className is ${quote(out.className)}; keep only className`,
      );
    }
  }
  return withoutUndefined(out);
}

function integrationKeyElsewhere(project: string): (key: string) => string | undefined {
  return (key) => {
    const ours =
      ownValue(OPERATOR_INGRESS_NAMES, key) ?? (key === "tlsSecretName" ? key : undefined);
    return ours === undefined ? undefined : `set it as ${quote(ours)} under ${project}:ingress`;
  };
}

/** Which stack {@link parseStackSettings} reads, and how its messages name places. */
export interface StackSettingsOptions {
  /** The project's name: the namespace of its config keys. */
  project: string;
  /** The stack's name, e.g. `dev`. */
  stack: string;
  /** The stack file, for messages. */
  file: string;
  /**
   * The lines of the config keys in `file`, when its text was read (`project:key` and the fields
   * inside); without them, messages name no line (the program gets config, not the file).
   */
  lines?: FieldLines;
  /**
   * Whether Pulumi holds a config key as a secret. When given (under `pulumi up`, where the stack
   * file is not read), a key that must be a secret but is not is an error. Default: not checked.
   */
  isSecret?: (key: string) => boolean;
  /**
   * Config keys set elsewhere (render's flags), over `config`; their problems name `file`, and
   * the settings remember it in `keySources`. Default: none.
   */
  overrides?: { config: Record<string, string>; file: string };
}

/**
 * The stack's settings from its config map (`pulumi.runtime.allConfig()` or
 * {@link stackConfigFromFile}). Our keys are `<project>:namespace` (a DNS-1123 label),
 * `<project>:crs` (a path or a JSON list of paths; default `["stacks/<stack>"]`),
 * `<project>:controllerConfig` (a path), `<project>:defaults` (an object of `integration-config`
 * keys, as the operator's strings or typed) and `<project>:ingress` (an object: `enabled`, `name`,
 * `host`, `className`, `tlsSecretName`, `annotations`, `transportMode`), `<project>:imageRefresh`
 * (an object, see `parseImageRefresh`; default off) and the secret
 * `<project>:registryCredentials` (checked, never kept), `<project>:createNamespace` (a boolean,
 * default false) and `<project>:kubernetes` (an object, see `parseKubernetesSettings`). Unknown
 * keys of the project are errors naming `opts.file`; keys of other namespaces are ignored, except
 * `kubernetes:` keys that an explicit provider would not read.
 */
export function parseStackSettings(
  config: Record<string, string>,
  opts: StackSettingsOptions,
  problems: Problems,
): StackSettings {
  const source: Source = { file: opts.file };
  if (opts.lines !== undefined) withFieldLines(source, opts.lines);
  const settings: StackSettings = {
    source,
    project: opts.project,
    stack: opts.stack,
    crs: [`stacks/${opts.stack}`],
    defaults: {},
    ingress: {},
  };
  if (opts.isSecret !== undefined) {
    for (const key of plainSecretKeys(config, opts.project, opts.isSecret)) {
      reportPlainCredentials({ source, path: key, problems });
    }
  }
  const prefix = `${opts.project}:`;
  const overrides = opts.overrides?.config ?? {};
  const overridden: Source = { file: opts.overrides?.file ?? opts.file };
  const layered = { ...config, ...overrides };
  for (const key of Object.keys(layered).sort()) {
    const from = key in overrides ? overridden : source;
    if (!key.startsWith(prefix)) {
      checkOtherNamespace(key, opts.project, { source: from, path: key, problems });
      continue;
    }
    const name = key.slice(prefix.length);
    const value = layered[key];
    if (from === overridden) settings.keySources = { ...settings.keySources, [name]: overridden };
    const at: At = { source: from, path: key, problems };
    switch (name) {
      case "namespace": {
        const problem = dns1123LabelProblem(value);
        if (problem === undefined) settings.namespace = value;
        else report(at, `expected a namespace name: ${problem}`);
        break;
      }
      case "crs":
        settings.crs = parseCrs(value, at) ?? settings.crs;
        break;
      case "controllerConfig":
        if (value.trim() !== "") settings.controllerConfig = value;
        else report(at, "expected the path of a controller config file, got an empty value");
        break;
      case "defaults": {
        const fields = parseObject(value, at);
        if (fields !== undefined) {
          settings.defaults = checkIntegrationSettings(
            fields,
            at,
            integrationKeyElsewhere(opts.project),
          );
        }
        break;
      }
      case "ingress": {
        const fields = parseObject(value, at);
        if (fields !== undefined) settings.ingress = parseStackIngress(fields, at);
        break;
      }
      case "imageRefresh": {
        const fields = parseObject(value, at);
        if (fields !== undefined) settings.imageRefresh = parseImageRefresh(fields, at);
        break;
      }
      case "registryCredentials":
        checkRegistryCredentials(value, at);
        break;
      case "createNamespace": {
        const create = checkBoolean(value, at);
        if (create !== undefined) settings.createNamespace = create;
        break;
      }
      case "kubernetes": {
        const fields = parseObject(value, at);
        if (fields !== undefined) settings.kubernetes = parseKubernetesSettings(fields, at);
        break;
      }
      case "routing": {
        const routing = checkChoice(value, at, ROUTINGS);
        if (routing !== undefined) settings.routing = routing;
        break;
      }
      case "gateway": {
        const fields = parseObject(value, at);
        if (fields !== undefined) settings.gateway = parseGateway(fields, at);
        break;
      }
      case "patches": {
        if (!value.trim().startsWith("[")) {
          report(
            at,
            `expected a list (in the stack file, items under ${at.path}), got ${JSON.stringify(value)}`,
          );
          break;
        }
        const json = parseJson(value, at);
        if (json !== undefined) settings.patches = parsePatches(json.value, at);
        break;
      }
      case "integrations": {
        const fields = parseObject(value, at);
        if (fields !== undefined) {
          settings.integrations = parseIntegrationOverrides(fields, at, {
            project: opts.project,
            namespace: config[`${prefix}namespace`],
            stackKeys: STACK_KEYS,
          });
        }
        break;
      }
      default:
        if (isPlatformKey(name)) {
          const typed = platformValue(name, value, at);
          if (typed !== undefined) {
            settings.platform ??= {};
            parsePlatformKey(name, typed.value, at, settings.platform);
          }
        } else {
          reportUnknownStackKey(name, opts.project, at);
        }
    }
  }
  checkIngressAgreement(settings, opts.project, problems);
  checkRouting(settings, opts.project, problems);
  checkProviderConfig(config, settings.kubernetes, opts.project, source, problems);
  return settings;
}

/**
 * Pulumi packages whose config keys a stack may hold (`kubernetes:context`): never taken for a
 * misspelt project name, however close.
 */
const KNOWN_PACKAGES = [
  "kubernetes",
  "pulumi",
  "aws",
  "awsx",
  "azure",
  "azure-native",
  "gcp",
  "google-native",
  "docker",
  "random",
  "tls",
  "command",
  "std",
  "eks",
  "vault",
  "cloudflare",
  "datadog",
];

/**
 * A key of another namespace whose namespace is the project's name misspelt (`wso-mi:namespace`
 * for `wso2-mi`): an error, since Pulumi would hand it to no one and the setting would be lost.
 * Other namespaces (`kubernetes:`) are left to their packages.
 */
function checkOtherNamespace(key: string, project: string, at: At): void {
  const namespace = key.split(":")[0];
  if (project === "" || KNOWN_PACKAGES.includes(namespace)) return;
  if (didYouMean(namespace, [project]) === undefined) return;
  const name = key.slice(namespace.length + 1);
  report(
    at,
    `unknown namespace ${JSON.stringify(namespace)}, which no package reads; did you mean ` +
      `${JSON.stringify(`${project}:${name}`)}?`,
  );
}

/**
 * `registryCredentials`: a JSON mapping of registry host (as a Docker config's `auths` names it)
 * to `{ "username": ..., "password": ... }`. Only its shape is checked, and messages never
 * show the value: the provider reads it, the program does not keep it.
 */
function checkRegistryCredentials(value: string, at: At): void {
  const shape =
    'expected a JSON mapping of registry host to {"username": "...", "password": "..."} ' +
    "(the value is a secret and is not shown)";
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    report(at, `${shape}; it is not valid JSON`);
    return;
  }
  if (!isMapping(parsed)) {
    report(at, shape);
    return;
  }
  for (const [host, entry] of Object.entries(parsed)) {
    const fine =
      isMapping(entry) &&
      typeof entry.username === "string" &&
      typeof entry.password === "string" &&
      Object.keys(entry).every((k) => k === "username" || k === "password");
    if (!fine) report(childAt(at, host), shape);
  }
}

/** `defaults.autoIngressCreation` and `ingress.enabled` say the same thing; they must agree. */
function checkIngressAgreement(settings: StackSettings, project: string, problems: Problems): void {
  const auto: IntegrationDefaults["autoIngressCreation"] | undefined =
    settings.defaults.autoIngressCreation;
  const enabled = settings.ingress.enabled;
  if (auto === undefined || enabled === undefined || auto === enabled) return;
  problems.error(
    settings.source,
    `${project}:ingress.enabled`,
    `is ${enabled} but ${project}:defaults.autoIngressCreation is ${auto}; set only one of them`,
  );
}

/** A stack's `gateway`: `name` and `namespace` required, `sectionName` optional. */
function parseGateway(fields: Record<string, unknown>, at: At): GatewayRef | undefined {
  const checked = checkFields(fields, at, ["name", "namespace", "sectionName"]);
  if (checked === undefined || !checkRequired(checked, at, ["name", "namespace"])) return undefined;
  const errors = at.problems.errorCount;
  const name = checkString(checked.name, childAt(at, "name"));
  if (name !== undefined && dns1123SubdomainProblem(name) !== undefined) {
    report(childAt(at, "name"), dns1123SubdomainProblem(name) ?? "");
  }
  const namespace = checkString(checked.namespace, childAt(at, "namespace"));
  if (namespace !== undefined && dns1123LabelProblem(namespace) !== undefined) {
    report(childAt(at, "namespace"), dns1123LabelProblem(namespace) ?? "");
  }
  let sectionName: string | undefined;
  if (checked.sectionName !== undefined) {
    sectionName = checkString(checked.sectionName, childAt(at, "sectionName"));
    if (sectionName !== undefined && dns1123SubdomainProblem(sectionName) !== undefined) {
      report(childAt(at, "sectionName"), dns1123SubdomainProblem(sectionName) ?? "");
    }
  }
  if (at.problems.errorCount > errors || name === undefined || namespace === undefined) {
    return undefined;
  }
  return { name, namespace, ...(sectionName !== undefined ? { sectionName } : {}) };
}

/**
 * `routing` against the stack's other settings: `gateway` and `both` need a `gateway`; a
 * `gateway` with `ingress` or `none` does nothing (a warning); the stack's `ingress.enabled` or
 * `defaults.autoIngressCreation` must agree with whether `routing` serves through an Ingress.
 */
function checkRouting(settings: StackSettings, project: string, problems: Problems): void {
  const routing = settings.routing;
  const needsGateway = routing === "gateway" || routing === "both";
  if (needsGateway && settings.gateway === undefined) {
    problems.error(
      settings.source,
      `${project}:routing`,
      `${routing} attaches an HTTPRoute per integration to a Gateway: set ${project}:gateway ` +
        "with its name and namespace (and sectionName for one listener)",
    );
  } else if (!needsGateway && settings.gateway !== undefined) {
    problems.warning(
      settings.source,
      `${project}:gateway`,
      `has no effect while ${project}:routing is ${routing ?? "ingress (the default)"}; set routing to gateway or both`,
    );
  }
  if (routing === undefined) return;
  const ingress = routing === "ingress" || routing === "both";
  const said: [string, boolean | undefined][] = [
    [`${project}:ingress.enabled`, settings.ingress.enabled],
    [`${project}:defaults.autoIngressCreation`, settings.defaults.autoIngressCreation],
  ];
  for (const [key, value] of said) {
    if (value === undefined || value === ingress) continue;
    problems.error(
      settings.source,
      key,
      `is ${value} but ${project}:routing is ${routing}, which ${ingress ? "serves through" : "creates no"} ` +
        `Ingress; set only routing (ingress, gateway, both or none)`,
    );
  }
}

/** The stacks that have a file in `dir` (relative to `baseDir`), sorted. */
function existingStacks(baseDir: string, dir: string): string[] {
  try {
    return readdirSync(path.join(baseDir, dir))
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  } catch {
    return [];
  }
}

/** Settings when the stack cannot be read, so that other problems can still be found. */
function fallbackSettings(file: string, project: string, stack: string): StackSettings {
  return { source: { file }, project, stack, crs: [`stacks/${stack}`], defaults: {}, ingress: {} };
}

/**
 * The settings of `stack`, from `Pulumi.<stack>.yaml` in the project's `stackConfigDir`
 * (`stacks/`), with the project's name and `config:` defaults from `Pulumi.yaml` in `baseDir`
 * (applied, as Pulumi does, to the keys the stack file does not set). A missing stack file is an
 * error listing the stacks that exist. Problems go to `problems`; the settings returned then hold
 * the defaults for what could not be read. `known` is the project when the caller has read it
 * already (`readProject`); default: read here.
 */
export function loadStackSettings(
  baseDir: string,
  stack: string,
  problems: Problems,
  known?: PulumiProject,
  overrides?: StackSettingsOptions["overrides"],
): StackSettings {
  const project = known ?? readProject(baseDir, problems);
  const dir = project?.stackConfigDir ?? "stacks";
  const stackName = stack.split("/").at(-1) ?? stack;
  const file = path.posix.join(dir.split(path.sep).join("/"), `Pulumi.${stackName}.yaml`);
  if (project === undefined) return fallbackSettings(file, "", stackName);
  const read = readInputFile(path.join(baseDir, file));
  if (!("text" in read) && read.reason !== "missing") {
    problems.error(unreadSource(file, read), undefined, unreadProblem(read, STACK_FILE));
    return fallbackSettings(file, project.name, stackName);
  }
  if (!("text" in read)) {
    // Never the stack asked for (its file may be a link to nothing): no suggestion of the input.
    const stacks = existingStacks(baseDir, dir).filter((s) => s !== stackName);
    const close = didYouMean(stackName, stacks);
    const hint = close === undefined ? "" : `did you mean ${quote(close)}? `;
    problems.error(
      { file },
      undefined,
      stacks.length === 0
        ? `no such stack file, and no stack files in ${dir}/; create one with \`pulumi stack init ${stackName}\``
        : `no such stack file; ${hint}the stacks are ${stacks.join(", ")}`,
    );
    return fallbackSettings(file, project.name, stackName);
  }
  const { config, lines } = stackConfigText(read.text, file, project.name, problems);
  // As the Pulumi CLI does: the project file's defaults for the keys the stack does not set.
  return parseStackSettings(
    { ...projectConfigWithoutSecrets(project, problems), ...config },
    { project: project.name, stack: stackName, file, lines, ...(overrides ? { overrides } : {}) },
    problems,
  );
}
