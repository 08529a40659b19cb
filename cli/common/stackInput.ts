/**
 * A stack's settings and objects for the offline commands, read exactly as the Pulumi program
 * reads them (a stack file's config through `parseStackSettings`), with flags on top.
 */
import {
  buildStackObjects,
  listObjects,
  type KubeObject,
  type StackObjects,
} from "../../components/builders";
import { InputError, Problems, type Problem } from "../../components/model/problems";
import { loadStackFromSettings } from "../../components/model/loadStack";
import {
  loadStackSettings,
  parseStackSettings,
  readProject,
  type PulumiProject,
} from "../../components/model/settings/stack";
import { DEFAULT_IMAGE_REFRESH } from "../../components/model/settings/imageRefresh";
import type { ResolvedStack, StackSettings } from "../../components/model/types";

/** The stack name used when no `--stack` is given. */
export const FLAGS_ONLY_STACK = "render";

/** Where flag values are said to come from in messages. */
export const COMMAND_LINE = "command line";

/** Which stack to render and what the flags override. */
export interface StackRequest {
  /** Read `stacks/Pulumi.<stack>.yaml`; without it, the settings come from the flags only. */
  stack?: string;
  /** Overrides the stack's `crs`. Required without `stack`. */
  crs?: string[];
  /** Overrides the stack's `controllerConfig`. */
  controllerConfig?: string;
  /** Overrides the stack's `namespace`. */
  namespace?: string;
  /**
   * Resolve every image to its digest, as `--resolve-images` asks, even where the stack's
   * `imageRefresh` is off or there is no stack: its settings (`mode`, ...) or their defaults, with
   * `enabled: true`. CRs that opt out or are pinned by digest keep their image. Default: false.
   */
  refreshImages?: boolean;
}

/** A loaded, valid stack and its objects. */
export interface StackInput {
  /** The project (`Pulumi.yaml`), read once for the whole command. */
  project: PulumiProject;
  settings: StackSettings;
  resolved: ResolvedStack;
  objects: StackObjects;
  /** Every object, in `listObjects` order. */
  list: KubeObject[];
  /** Warnings and notes from the settings and the stack, to print. */
  advice: Problem[];
}

/** The stack file's path relative to the project, as the Pulumi program names it in messages. */
export function stackFile(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/**
 * Loads the requested stack from the project in `baseDir`: settings from the stack file, read
 * as the program reads its config (`loadStackSettings`: the file's config map through
 * `parseStackSettings`) with the flags as one more layer on top, then CRs, defaults and builders.
 * Throws `InputError` with every problem found when any is an error.
 */
export function loadStackInput(baseDir: string, request: StackRequest): StackInput {
  const problems = new Problems();
  const pulumiProject = readProject(baseDir, problems);
  if (pulumiProject === undefined) throw new InputError(problems.list);
  const project = pulumiProject.name;
  const stack = request.stack ?? FLAGS_ONLY_STACK;
  const flags: Record<string, string> = {};
  if (request.crs !== undefined) flags[`${project}:crs`] = JSON.stringify(request.crs);
  if (request.namespace !== undefined) flags[`${project}:namespace`] = request.namespace;
  if (request.controllerConfig !== undefined) {
    flags[`${project}:controllerConfig`] = request.controllerConfig;
  }
  // The flags are one more layer of config, over the stack file's, read in the one parse.
  const overrides = { config: flags, file: COMMAND_LINE };
  const settings =
    request.stack === undefined
      ? parseStackSettings({}, { project, stack, file: COMMAND_LINE, overrides }, problems)
      : loadStackSettings(baseDir, request.stack, problems, pulumiProject, overrides);
  // An unreadable stack file (no field named) leaves nothing sound to go on: stop there.
  if (problems.list.some((p) => p.severity === "error" && p.path === undefined)) {
    throw new InputError(problems.list);
  }

  if (request.refreshImages === true) {
    const refresh = settings.imageRefresh ?? DEFAULT_IMAGE_REFRESH;
    settings.imageRefresh = {
      ...refresh,
      insecureRegistries: [...refresh.insecureRegistries],
      enabled: true,
    };
  }
  // Settings problems travel with the CRs' so that every problem is reported at once.
  const resolved = loadStackFromSettings({ baseDir, settings, problems });
  const objects = buildStackObjects(resolved);
  return {
    project: pulumiProject,
    settings,
    resolved,
    objects,
    list: listObjects(objects),
    advice: resolved.advice,
  };
}
