/** What the offline commands share: their streams, folders, problem printing and the exit codes. */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  formatProblem,
  InputError,
  sortProblems,
  type Problem,
} from "../../components/model/problems";
import { guardStdout } from "./manifests";

/** Where a command writes, the folders it reads from, and its environment. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The project folder: `Pulumi.yaml`, `stacks/` and every path written in a stack file are found
   * from here.
   */
  projectDir: string;
  /**
   * The folder the command was started in: paths given on the command line (`--out`, `--crs`,
   * ...) are relative to it, as the shell's are. Default: `projectDir`.
   */
  cwd?: string;
  /**
   * The environment: npm's `npm_lifecycle_event` and `npm_config_*` (to tell when npm kept a
   * flag for itself). Default: none.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Exit codes of `render` and `start`. */
export const EXIT = {
  ok: 0,
  /** Invalid input: every problem is on stderr, nothing on stdout, nothing written. */
  invalidInput: 1,
  /** Bad flags: a short usage text is on stderr. */
  usage: 2,
  /** A bug: the stack trace is on stderr. */
  internal: 70,
} as const;

/** Prints problems sorted by file, document and line, one `formatProblem` line each. */
export function printProblems(io: CliIo, problems: readonly Problem[]): void {
  for (const problem of sortProblems(problems)) io.stderr(`${formatProblem(problem)}\n`);
}

/**
 * Runs a command: user mistakes (`InputError`) print their problems and give exit code 1; any
 * other exception is a bug, printed with its stack, exit code 70.
 */
export function runCommand(name: string, io: CliIo, command: () => number): number {
  try {
    return command();
  } catch (error) {
    return commandFailure(name, io, error);
  }
}

/** {@link runCommand} for a command that waits (registries, git). */
export async function runCommandAsync(
  name: string,
  io: CliIo,
  command: () => Promise<number>,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    return commandFailure(name, io, error);
  }
}

function commandFailure(name: string, io: CliIo, error: unknown): number {
  if (error instanceof InputError) {
    printProblems(io, error.problems);
    return EXIT.invalidInput;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`${name}: internal error, please report it:\n${detail}\n`);
  return EXIT.internal;
}

/** A path given on the command line, resolved against the folder the command was started in. */
export interface CliPath {
  /** As typed: what a hint that suggests the same command again repeats. */
  given: string;
  /** Resolved against {@link CliIo.cwd}. */
  absolute: string;
  /**
   * How messages and the model name it: relative to the project folder when inside it (as every
   * path in a stack file is, so that the model reads it from there), else absolute.
   */
  shown: string;
}

/**
 * `given`, a path typed on the command line, resolved against the folder the command was started
 * in ({@link CliIo.cwd}, default the project folder), as the shell resolves it.
 */
export function cliPath(io: CliIo, given: string): CliPath {
  const absolute = path.resolve(io.cwd ?? io.projectDir, given);
  const relative = path.relative(io.projectDir, absolute);
  const inside = relative === "" || !(relative.startsWith("..") || path.isAbsolute(relative));
  const shown = inside ? (relative === "" ? "." : relative.split(path.sep).join("/")) : absolute;
  return { given, absolute, shown };
}

/**
 * The project folder of a command started in `from`: the nearest folder at or above it that holds
 * `Pulumi.yaml`, as git finds its repository; else `fallback` (the package's own folder, where
 * this code is).
 */
export function findProjectDir(from: string, fallback: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) return fallback;
  }
}

/** This package's folder: the nearest folder above this file that holds `Pulumi.yaml`. */
function packageDir(): string {
  return findProjectDir(__dirname, process.cwd());
}

/**
 * The process's streams, folders and environment, for `command`. Under `npm run <command>` (and
 * `npm start`) npm starts the command in the package's folder and says where it was started in
 * `INIT_CWD`; run directly (`node bin/wso2-mi.js`), the command was started in `process.cwd()`.
 */
export function processIo(command: string): CliIo {
  const env = process.env;
  const byNpm = env.npm_lifecycle_event === command && env.INIT_CWD !== undefined;
  const cwd = byNpm ? (env.INIT_CWD ?? process.cwd()) : process.cwd();
  guardStdout();
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    projectDir: findProjectDir(cwd, packageDir()),
    cwd,
    env,
  };
}
