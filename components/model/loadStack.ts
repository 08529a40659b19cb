/**
 * Loading a whole stack: the controller config, the CRs, defaults applied. All of it or nothing:
 * any error in any input throws one `InputError` (problems.ts) carrying every problem found.
 */
import { quote } from "./rules";
import * as path from "path";
import { parseControllerConfig } from "./controllerConfig/parse";
import { readInputFile, unreadProblem, unreadSource } from "./input/inputFile";
import { loadIntegrationFiles } from "./integration/loadFiles";
import type { CheckedIntegration } from "./integration/validate";
import { Problems } from "./problems";
import { resolveStack } from "./defaults/resolve";
import { loadStackSettings, readProject } from "./settings/stack";
import type { ControllerConfig, ResolvedStack, StackSettings } from "./types";

/** The stack key that names the controller config, for messages: `<project>:controllerConfig`. */
function controllerConfigKey(baseDir: string): string {
  const project = readProject(baseDir, new Problems());
  return project === undefined ? "controllerConfig" : `${project.name}:controllerConfig`;
}

/** The stack's controller config file, when it names one; a missing file names the stack key. */
function readControllerConfig(
  baseDir: string,
  settings: StackSettings,
  problems: Problems,
): ControllerConfig | undefined {
  const file = settings.controllerConfig;
  if (file === undefined) return undefined;
  const read = readInputFile(path.resolve(baseDir, file));
  if ("text" in read) return parseControllerConfig(read.text, file, problems);
  if (read.reason === "not-text") {
    // The file itself is at fault, at a line of its own.
    problems.error(
      unreadSource(file, read),
      undefined,
      unreadProblem(read, "the controller config"),
    );
    return undefined;
  }
  const quoted = quote(file);
  const problem =
    read.reason === "missing"
      ? `no such file: ${quoted} (paths are relative to the project directory)`
      : read.reason === "not-a-file"
        ? `${quoted} is not a file; name the controller config file`
        : unreadProblem(read, quoted);
  problems.error(settings.source, controllerConfigKey(baseDir), problem);
  return undefined;
}

/**
 * Reads the stack's controller config (when `settings.controllerConfig` names one) and its CRs
 * (`settings.crs`, relative to `baseDir`), and applies defaults. Throws `InputError` (problems.ts) carrying
 * every problem (CRs, controller config, stack, and those already in `inputs.problems`, e.g. from
 * reading the settings) when any is an error; otherwise the result's `advice` holds the warnings
 * and notes.
 */
export function loadStack(inputs: {
  baseDir: string;
  settings: StackSettings;
  /** Problems found before, e.g. while reading the settings. Default: none. */
  problems?: Problems;
}): ResolvedStack {
  const { baseDir, settings } = inputs;
  const problems = inputs.problems ?? new Problems();
  const controller = readControllerConfig(baseDir, settings, problems);
  // CRs with errors too, so that the checks after defaults report their problems at once.
  const checked: CheckedIntegration[] = [];
  loadIntegrationFiles(settings.crs, baseDir, problems, checked);
  const invalid = new Set(checked.filter((c) => !c.valid).map((c) => c.cr));
  const resolved = resolveStack(
    checked.map((c) => c.cr),
    settings,
    controller,
    problems,
    invalid,
  );
  problems.throwIfErrors();
  return resolved;
}

/**
 * {@link loadStack} for the stack file `Pulumi.<stack>.yaml` of the project in `baseDir`: what the
 * offline render runs. Throws `InputError` (problems.ts) with every problem, the stack file's included.
 */
export function loadStackByName(baseDir: string, stack: string): ResolvedStack {
  const problems = new Problems();
  const settings = loadStackSettings(baseDir, stack, problems);
  return loadStack({ baseDir, settings, problems });
}
