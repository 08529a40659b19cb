/** What the offline commands share: their streams, problem printing and the exit codes. */
import {
  formatProblem,
  InputError,
  sortProblems,
  type Problem,
} from "../../components/model/problems";
import { guardStdout } from "./manifests";

/** Where a command writes, and the folder it runs in (the project folder). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The project folder: `Pulumi.yaml`, `stacks/` and relative paths are found from here. */
  cwd: string;
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
    if (error instanceof InputError) {
      printProblems(io, error.problems);
      return EXIT.invalidInput;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`${name}: internal error, please report it:\n${detail}\n`);
    return EXIT.internal;
  }
}

/** The process's streams and working folder. */
export function processIo(): CliIo {
  guardStdout();
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
  };
}
