/**
 * Loading a whole stack: the controller config, the CRs, defaults applied. All of it or nothing:
 * any error in any input throws one `InputError` (problems.ts) carrying every problem found.
 */
import * as path from "path";
import { parseControllerConfig } from "./controllerConfig/parse";
import { readInputFile, unreadProblem } from "./input/inputFile";
import { loadIntegrationFiles } from "./integration/loadFiles";
import { Problems } from "./problems";
import { resolveStack } from "./defaults/resolve";
import { readConfigFiles } from "./settings/configFiles";
import { loadStackSettings, parseStackSettings, readProject } from "./settings/stack";
import type { ControllerConfig, ResolvedStack, StackSettings } from "./types";

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
  const quoted = JSON.stringify(file);
  const problem =
    read.reason === "missing"
      ? `no such file: ${quoted} (paths are relative to the project directory)`
      : read.reason === "not-a-file"
        ? `${quoted} is not a file; name the controller config file`
        : unreadProblem(read, quoted);
  const key = settings.project === "" ? "controllerConfig" : `${settings.project}:controllerConfig`;
  problems.error(settings.keySources?.controllerConfig ?? settings.source, key, problem);
  return undefined;
}

/**
 * Reads the stack's controller config (when `settings.controllerConfig` names one), its CRs
 * (`settings.crs`, relative to `baseDir`) and its config files (`configFiles`), and applies
 * defaults. Throws `InputError` (problems.ts) carrying
 * every problem (CRs, controller config, stack, and those already in `inputs.problems`, e.g. from
 * reading the settings) when any is an error; otherwise the result's `advice` holds the warnings
 * and notes.
 */
export function loadStackFromSettings(inputs: {
  baseDir: string;
  settings: StackSettings;
  /** Problems found before, e.g. while reading the settings. Default: none. */
  problems?: Problems;
}): ResolvedStack {
  const { baseDir, settings } = inputs;
  const problems = inputs.problems ?? new Problems();
  const controller = readControllerConfig(baseDir, settings, problems);
  const crs = loadIntegrationFiles(settings.crs, baseDir, problems);
  const files = readConfigFiles(baseDir, settings, problems);
  const resolved = resolveStack(crs, settings, controller, problems, files);
  problems.throwIfErrors();
  return resolved;
}

/** Options of {@link loadStack}. */
export interface LoadStackOptions {
  /** The project folder: `Pulumi.yaml` is there, and the stack's paths are relative to it. */
  baseDir: string;
  /** The stack's name, e.g. `dev` (`pulumi.getStack()`). */
  stack: string;
  /**
   * The stack's config, keyed `<project>:<key>` as `pulumi.runtime.allConfig()` gives it (with
   * `Pulumi.yaml`'s defaults, secrets decrypted and Pulumi ESC values resolved).
   */
  config: Record<string, string>;
  /** The project's name (`pulumi.getProject()`). Default: the `name` in `baseDir`'s `Pulumi.yaml`. */
  project?: string;
  /**
   * Whether Pulumi holds a config key as a secret; a key that must be a secret but is not is then
   * an error. Default: not checked.
   */
  isSecret?: (key: string) => boolean;
  /** The stack file, for messages. Default: `stacks/Pulumi.<stack>.yaml`. */
  file?: string;
}

/**
 * The stack `options.stack` of the project in `options.baseDir`, from its config: settings
 * parsed, the controller config and CR files read, defaults applied. The one entry for a Pulumi
 * program of one's own; pass the result to `IntegrationStack`. Throws `InputError` listing every
 * problem found (its message names each, with file, line and field) when any is an error; the
 * result's `advice` holds the warnings and notes.
 */
export function loadStack(options: LoadStackOptions): ResolvedStack {
  const problems = new Problems();
  const project = options.project ?? readProject(options.baseDir, problems)?.name;
  problems.throwIfErrors();
  const settings = parseStackSettings(
    options.config,
    {
      project: project ?? "",
      stack: options.stack,
      file: options.file ?? `stacks/Pulumi.${options.stack}.yaml`,
      ...(options.isSecret === undefined ? {} : { isSecret: options.isSecret }),
    },
    problems,
  );
  return loadStackFromSettings({ baseDir: options.baseDir, settings, problems });
}

/**
 * {@link loadStackFromSettings} for the stack file `Pulumi.<stack>.yaml` of the project in `baseDir`: what the
 * offline render runs. Throws `InputError` (problems.ts) with every problem, the stack file's included.
 */
export function loadStackByName(baseDir: string, stack: string): ResolvedStack {
  const problems = new Problems();
  const settings = loadStackSettings(baseDir, stack, problems);
  return loadStackFromSettings({ baseDir, settings, problems });
}
