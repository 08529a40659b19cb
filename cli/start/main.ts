/**
 * `npm start [-- --stack NAME]`: renders the example stack (`dev`, or `--stack NAME`) offline and
 * summarises what `pulumi up` deploys, with render's warnings and notes (images it does not
 * resolve among them) on stderr. Exit codes as render's: 0 ok, 1 invalid input, 2 usage, 70 a bug.
 */
import { commandArgs } from "../common/args";
import { parseStartArgs, START_FLAG_NAMES, START_USAGE } from "./args";
import { EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
import { imageNotes } from "../common/images";
import { loadStackInput, stackFile } from "../common/stackInput";
import { stackSummary } from "../common/summary";

/** Runs start with `argv` and returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  return runCommand("start", io, () => {
    const args = commandArgs(
      { name: "start", parse: parseStartArgs, usage: START_USAGE, flags: START_FLAG_NAMES },
      argv,
      io,
    );
    if (typeof args === "number") return args;
    const { stack } = args;
    const input = loadStackInput(io.projectDir, { stack });
    const pin = `\`npm run render -- --stack ${stack} --resolve-images\` pins them`;
    printProblems(io, [...input.advice, ...imageNotes(input, false, pin)]);
    io.stdout(stackSummary(stack, stackFile(stack), input));
    return EXIT.ok;
  });
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), processIo("start"));
