/**
 * The whole input path on in-memory text, as `loadStack` runs it on files: stack config through
 * `parseStackSettings`, the controller config through `parseControllerConfig`, each CR file through
 * `parseYamlDocuments` and `validateIntegration`, then `resolveStack`, the builders and
 * `renderYaml`; and the invariants every outcome must keep.
 */
import { isDeepStrictEqual } from "node:util";
import { loadAll } from "js-yaml";
import { renderYaml } from "../../cli/manifests";
import { buildStackObjects, listObjects, type KubeObject } from "../../components/build";
import { parseControllerConfig } from "../../components/spec/controllerConfig";
import { validateIntegration } from "../../components/spec/integration";
import { type Problem, Problems, formatProblem } from "../../components/spec/problems";
import { resolveStack } from "../../components/spec/resolve";
import { parseStackSettings } from "../../components/spec/stackSettings";
import type { ControllerConfig, IntegrationCR } from "../../components/spec/types";
import { parseYamlDocuments } from "../../components/spec/yaml";
import { schemaProblems } from "../support/schema";

/** The project the fuzzed stack config belongs to. */
export const PROJECT = "wso2-mi";
/** The stack file named in messages about the stack config. */
export const STACK_FILE = "stacks/Pulumi.fuzz.yaml";

/** A file's name (as messages name it) and its text. */
export interface TextFile {
  file: string;
  text: string;
}

/** What one case feeds the pipeline. */
export interface PipelineInput {
  /** CR files, in the order the stack names them. */
  crs: TextFile[];
  /** The controller config file; default: none (the built-in defaults). */
  controllerConfig?: TextFile;
  /** The stack's config map, as `pulumi.runtime.allConfig()` gives it. Default: empty. */
  config?: Record<string, string>;
}

/** Either the objects and their YAML (no errors), or the problems (at least one an error). */
export interface PipelineOutcome {
  problems: Problem[];
  /** Present only when no problem is an error. */
  objects?: KubeObject[];
  /** `renderYaml(objects)`, when there are objects. */
  yaml?: string;
}

/** Runs the input path; an exception escapes (that is what the properties look for). */
export function runPipeline(input: PipelineInput): PipelineOutcome {
  const problems = new Problems();
  const settings = parseStackSettings(
    input.config ?? {},
    { project: PROJECT, stack: "fuzz", file: STACK_FILE },
    problems,
  );
  let controller: ControllerConfig | undefined;
  if (input.controllerConfig !== undefined) {
    const { text, file } = input.controllerConfig;
    controller = parseControllerConfig(text, file, problems);
  }
  const crs: IntegrationCR[] = [];
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
      if (cr !== undefined) crs.push(cr);
    }
  }
  const resolved = resolveStack(crs, settings, controller, problems);
  if (problems.hasErrors) return { problems: problems.list };
  const objects = listObjects(buildStackObjects(resolved));
  return { problems: problems.list, objects, yaml: renderYaml(objects) };
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
  /^expected a mapping \(an Integration resource\), got /,
  /^expected a mapping, got /,
];

/**
 * Every way `outcome` breaks the contract for `input`: each problem names a file of the input
 * (and a line inside it, when it names one), a well-formed field path for every error that is
 * not about a whole document, and one printable line of message; without errors, every object
 * passes the API server's checks and the YAML reads back as the objects.
 */
export function violations(input: PipelineInput, outcome: PipelineOutcome): string[] {
  const out: string[] = [];
  // The stack config comes from Pulumi, not from a file's text: its lines are not checked.
  const lineCounts = new Map<string, number>([[STACK_FILE, Number.POSITIVE_INFINITY]]);
  for (const f of [...input.crs, ...(input.controllerConfig ? [input.controllerConfig] : [])]) {
    lineCounts.set(f.file, f.text.split(/\r\n|\r|\n/).length);
  }
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
    // A stack setting's problem names its config key as written, then the field inside it.
    const wellFormed =
      problem.file === STACK_FILE
        ? (path: string) => path.startsWith(`${PROJECT}:`)
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
