/**
 * The whole input path on in-memory text, as `loadStack` runs it on files: stack config through
 * `parseStackSettings` (the program's config map) or a stack file through `loadStackSettings`
 * (what render reads), the controller config through `parseControllerConfig`, each CR file
 * through `parseYamlDocuments` and `validateIntegration`, then `resolveStack`, image digests as
 * the provider pins them, the builders and `renderYaml`, and when asked each Deployment's
 * resource inputs (pulumiInputs.ts); and the invariants every outcome must keep.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { loadAll } from "js-yaml";
import { renderYaml } from "../../../cli/common/manifests";
import { buildStackObjects, listObjects, type KubeObject } from "../../../components/builders";
import { parseControllerConfig } from "../../../components/model/controllerConfig/parse";
import { IMAGE_REFRESH_ANNOTATION } from "../../../components/model/settings/imageRefresh";
import { validateIntegration } from "../../../components/model/integration/validate";
import { type Problem, Problems, formatProblem } from "../../../components/model/problems";
import { PROJECT_FILE } from "../../../components/model/settings/project";
import { resolveStack } from "../../../components/model/defaults/resolve";
import type { ImageDigestValue } from "../../../components/model/types";
import { parentPath } from "../../../components/model/rules";
import { loadStackSettings, parseStackSettings } from "../../../components/model/settings/stack";
import type {
  ControllerConfig,
  IntegrationCR,
  ResolvedStack,
  StackSettings,
} from "../../../components/model/types";
import { parseYamlDocuments } from "../../../components/model/input/yaml";
import { schemaProblems } from "../../support/schema";
import { type DeploymentInputsCase, deploymentInputsCases } from "./pulumiInputs";

/** The project the fuzzed stack config belongs to. */
export const PROJECT = "wso2-mi";
/** The stack file named in messages about the stack config. */
export const STACK_FILE = "stacks/Pulumi.fuzz.yaml";

/** A file's name (as messages name it) and its text. */
export interface TextFile {
  file: string;
  text: string;
}

/** A stack file's text and its project file's (`Pulumi.yaml`, whose `config:` adds defaults). */
export interface StackFile {
  text: string;
  project: string;
}

/** What one case feeds the pipeline. */
export interface PipelineInput {
  /** CR files, in the order the stack names them. */
  crs: TextFile[];
  /** The controller config file; default: none (the built-in defaults). */
  controllerConfig?: TextFile;
  /** The stack's config map, as `pulumi.runtime.allConfig()` gives it. Default: empty. */
  config?: Record<string, string>;
  /**
   * Instead of `config`: the stack file {@link STACK_FILE}, read as `loadStackSettings` reads it.
   * Default: none.
   */
  stackFile?: StackFile;
  /** Values that must show in no problem and no output (registry credentials). Default: none. */
  secrets?: string[];
  /**
   * Values whose names look secret (env values, probe headers): they must show in no problem,
   * though the manifest holds them. Default: none.
   */
  maskedValues?: string[];
  /** Numbers and booleans whose names look secret: no problem at their place may show them. */
  maskedPlaces?: MaskedPlace[];
}

/** A value at a place whose name looks secret: a CR file's document and the field path. */
export interface MaskedPlace {
  file: string;
  /** As problems number documents: only in a file of more than one. */
  document?: number;
  path: string;
  value: string;
}

/** Either the objects and their YAML (no errors), or the problems (at least one an error). */
export interface PipelineOutcome {
  problems: Problem[];
  /** Present only when no problem is an error. */
  objects?: KubeObject[];
  /** `renderYaml(objects)`, when there are objects. */
  yaml?: string;
  /** The integrations whose image was pinned to {@link FUZZ_DIGEST}, as `namespace/name`. */
  refreshed?: string[];
  /** Each Deployment's resource inputs, without and with the digest: with objects, when asked. */
  inputs?: DeploymentInputsCase[];
}

/** The digest every refreshed image resolves to. */
export const FUZZ_DIGEST = `sha256:${"0f".repeat(32)}`;

let projectDir: string | undefined;
let writtenProject: string | undefined;

/** Where the project folder goes: memory when the system has it (a disk write can take ms). */
function scratchDir(): string {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return tmpdir();
  }
}

/** A project folder holding `file`'s project and stack files (one folder, rewritten per case). */
function writeProject(file: StackFile): string {
  if (projectDir === undefined) {
    const dir = mkdtempSync(path.join(scratchDir(), "wso2-mi-fuzz-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, path.dirname(STACK_FILE)));
    projectDir = dir;
  }
  if (file.project !== writtenProject) {
    writeFileSync(path.join(projectDir, PROJECT_FILE), file.project);
    writtenProject = file.project;
  }
  writeFileSync(path.join(projectDir, STACK_FILE), file.text);
  return projectDir;
}

function readSettings(input: PipelineInput, problems: Problems): StackSettings {
  if (input.stackFile !== undefined) {
    return loadStackSettings(writeProject(input.stackFile), "fuzz", problems);
  }
  return parseStackSettings(
    input.config ?? {},
    { project: PROJECT, stack: "fuzz", file: STACK_FILE },
    problems,
  );
}

/** `image` pinned to {@link FUZZ_DIGEST}: its tag, if any, replaced by the digest. */
function pinned(image: string): string {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return `${colon > slash ? image.slice(0, colon) : image}@${FUZZ_DIGEST}`;
}

/** What the provider resolves `image` to. */
function digestOf(image: string): ImageDigestValue {
  return { digest: FUZZ_DIGEST, pinned: pinned(image) };
}

/** Every refreshed image of `stack` resolved as the provider would (to {@link FUZZ_DIGEST}). */
function digestsOf(stack: ResolvedStack): Map<string, ImageDigestValue> {
  return new Map(
    stack.integrations
      .filter((i) => i.imageRefresh !== undefined)
      .map((i) => [`${i.namespace}/${i.name}`, digestOf(i.image)]),
  );
}

/**
 * Runs the input path, and with `inputs` each Deployment's resource inputs too (Outputs, which
 * compare unequal run to run); an exception escapes (that is what the properties look for).
 */
export function runPipeline(input: PipelineInput, inputs = false): PipelineOutcome {
  const problems = new Problems();
  const settings = readSettings(input, problems);
  let controller: ControllerConfig | undefined;
  if (input.controllerConfig !== undefined) {
    const { text, file } = input.controllerConfig;
    controller = parseControllerConfig(text, file, problems);
  }
  const crs: IntegrationCR[] = [];
  const optedOut = new Set<unknown>();
  for (const { text, file } of input.crs) {
    for (const document of parseYamlDocuments(text, file, problems)) {
      const errorsBefore = errorCount(problems);
      const cr = validateIntegration(document.value, document.source, problems);
      // A CR left out without an error would be an integration silently not deployed.
      if ((cr === undefined) !== errorCount(problems) > errorsBefore) {
        throw new Error(
          `validateIntegration returned ${cr === undefined ? "nothing" : "a CR"} after ` +
            `${errorCount(problems) - errorsBefore} new errors, for ${JSON.stringify(document.source)}`,
        );
      }
      if (cr === undefined) continue;
      crs.push(cr);
      if (cr.metadata.annotations?.[IMAGE_REFRESH_ANNOTATION] === "false") optedOut.add(cr.source);
    }
  }
  const resolved = resolveStack(crs, settings, controller, problems);
  if (problems.hasErrors) return { problems: problems.list };
  const refreshed = resolved.integrations.filter((i) => i.imageRefresh !== undefined);
  const ignored = refreshed.find((i) => optedOut.has(i.source));
  if (ignored !== undefined) {
    throw new Error(`${ignored.name}: refreshes its image although its CR opts out`);
  }
  const built = buildStackObjects(resolved, digestsOf(resolved));
  const objects = listObjects(built);
  const outcome: PipelineOutcome = {
    problems: problems.list,
    objects,
    yaml: renderYaml(objects),
    refreshed: refreshed.map((i) => `${i.namespace}/${i.name}`),
  };
  if (inputs) outcome.inputs = deploymentInputsCases(resolved, built, digestOf);
  return outcome;
}

function errorCount(problems: Problems): number {
  return problems.list.filter((p) => p.severity === "error").length;
}

/** What must never reach a terminal from user input: controls, line separators, bidi overrides. */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A field path as problems give it: `spec.env[2].name`, `labels["a/b"]`, `wso2-mi:defaults.x`. */
const FIELD_PATH =
  /^(?:[^.[\]"\s]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*$/;

/**
 * Problems that concern a whole file or document rather than one field: the only errors that may
 * come without a path.
 */
const WHOLE_DOCUMENT_ERRORS = [
  /^YAML syntax: /,
  /^dots alone on a line are the documentation's placeholder /,
  /^expected a mapping \(an Integration resource\), got /,
  /^expected a mapping, got /,
  /^expected a mapping with the key config, got /,
  /^a stack file holds one YAML document; /,
];

/** What follows a stack key in a problem's path: `.field`, `[2]`, `["a b"]`, repeated. */
const STACK_FIELD_SUFFIX = /^(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*$/;

/** `namespace:name` for a config key as a stack or project file writes it (see stackConfigFile.ts). */
function qualified(written: string): string {
  const parts = written.split(":");
  if (parts.length === 1) return `${PROJECT}:${written}`;
  if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
  return written;
}

/**
 * The keys of a YAML file's `config:` mappings, as written and qualified, and its top-level keys
 * (an unknown one, `confg:`, is a problem of its own); none if unreadable.
 */
function configKeys(text: string): string[] {
  let documents: unknown[];
  try {
    documents = loadAll(text);
  } catch {
    return [];
  }
  return documents.flatMap((document) => {
    if (document === null || typeof document !== "object" || Array.isArray(document)) return [];
    const config = (document as { config?: unknown }).config;
    const top = Object.keys(document);
    if (config === null || typeof config !== "object") return top;
    return [...top, ...Object.keys(config).flatMap((k) => [k, qualified(k)])];
  });
}

/**
 * The stack keys a problem about the stack may name: those of the config map, or those of the
 * stack file and of its project file's `config:` (and `config` itself).
 */
function stackKeys(input: PipelineInput): string[] {
  if (input.stackFile === undefined) return Object.keys(input.config ?? {});
  return ["config", ...configKeys(input.stackFile.text), ...configKeys(input.stackFile.project)];
}

/** `text` as problems show it: unprintable characters as `\uXXXX` escapes. */
function shownAs(text: string): string {
  return text.replace(
    new RegExp(UNPRINTABLE.source, "g"),
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Whether `path` is one of `keys` (as shown) followed by a field path inside it. */
function isStackKeyPath(path: string, keys: readonly string[]): boolean {
  return keys.some((key) => {
    const k = shownAs(key);
    return path.startsWith(k) && STACK_FIELD_SUFFIX.test(path.slice(k.length));
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `problem` is about `place`: the value or the list item that holds it. */
function at(problem: Problem, place: MaskedPlace): boolean {
  if (problem.file !== place.file || problem.document !== place.document) return false;
  return problem.path === place.path || problem.path === parentPath(place.path);
}

/**
 * Every way `outcome` breaks the contract for `input`: each problem names a file of the input
 * (and a line inside it, when it names one), a well-formed field path for every error that is
 * not about a whole document, and one printable line of message; without errors, every object
 * passes the API server's checks and the YAML reads back as the objects.
 */
export function violations(input: PipelineInput, outcome: PipelineOutcome): string[] {
  const out: string[] = [];
  const files: TextFile[] = [...input.crs];
  if (input.controllerConfig !== undefined) files.push(input.controllerConfig);
  if (input.stackFile !== undefined) {
    files.push({ file: STACK_FILE, text: input.stackFile.text });
    files.push({ file: PROJECT_FILE, text: input.stackFile.project });
  }
  // The config map comes from Pulumi, not from a file's text: its problems name no line.
  const lineCounts = new Map<string, number>([[STACK_FILE, 0]]);
  for (const f of files) lineCounts.set(f.file, f.text.split(/\r\n|\r|\n/).length);
  let keys: string[] | undefined;
  for (const problem of outcome.problems) {
    const shown = formatProblem(problem);
    const lines = lineCounts.get(problem.file);
    if (lines === undefined) out.push(`names a file not in the input: ${shown}`);
    else if (problem.line !== undefined) {
      if (!Number.isInteger(problem.line) || problem.line < 1 || problem.line > lines) {
        out.push(`line ${problem.line} is not in the file's ${lines} lines: ${shown}`);
      }
    }
    if (
      problem.document !== undefined &&
      !(Number.isInteger(problem.document) && problem.document >= 1)
    ) {
      out.push(`bad document number: ${shown}`);
    }
    // A stack setting's problem names its config key as written, then the field inside it; a
    // problem with the YAML itself (an alias) names the place in the document.
    const wellFormed =
      problem.file === STACK_FILE && !problem.message.startsWith("YAML ")
        ? (path: string) => isStackKeyPath(path, (keys ??= stackKeys(input)))
        : (path: string) => FIELD_PATH.test(path);
    if (problem.path !== undefined && !wellFormed(problem.path)) {
      out.push(`malformed field path: ${shown}`);
    }
    if (
      problem.severity === "error" &&
      problem.path === undefined &&
      !WHOLE_DOCUMENT_ERRORS.some((r) => r.test(problem.message))
    ) {
      out.push(`an error without a field path: ${shown}`);
    }
    if (problem.message === "" || UNPRINTABLE.test(shown)) {
      out.push(`message is empty or shows an unprintable character: ${JSON.stringify(shown)}`);
    }
    if (problem.message.includes("[object Object]")) out.push(`message shows an object: ${shown}`);
    for (const secret of input.secrets ?? []) {
      if (shown.includes(secret)) out.push(`shows the secret ${secret}: ${shown}`);
    }
    for (const value of input.maskedValues ?? []) {
      if (shown.includes(value)) out.push(`shows ${value}, whose name looks secret: ${shown}`);
    }
    for (const place of input.maskedPlaces ?? []) {
      if (
        at(problem, place) &&
        new RegExp(`\\b${escapeRegExp(place.value)}\\b`).test(problem.message)
      ) {
        out.push(`shows ${place.value}, whose name looks secret: ${shown}`);
      }
    }
  }
  for (const secret of input.secrets ?? []) {
    if (outcome.yaml?.includes(secret) === true) out.push(`the output shows the secret ${secret}`);
  }
  const hasErrors = outcome.problems.some((p) => p.severity === "error");
  if (hasErrors !== (outcome.objects === undefined)) {
    out.push(hasErrors ? "objects built despite errors" : "no objects and no error");
  }
  if (outcome.objects !== undefined) {
    for (const object of outcome.objects) {
      for (const problem of schemaProblems(object)) {
        out.push(`${object.kind} ${object.metadata?.name}: ${problem}`);
      }
    }
    const readBack = loadAll(outcome.yaml ?? "");
    if (!isDeepStrictEqual(readBack, JSON.parse(JSON.stringify(outcome.objects)))) {
      out.push("the YAML does not read back as the objects");
    }
  }
  return out;
}
