/**
 * `npm run render -- [--stack NAME] [--crs PATH...] [--controller-config FILE] [--namespace NS]
 * [--out DIR]`: the Kubernetes objects the Pulumi program would create, without a cluster or the
 * Pulumi CLI. Exit codes: 0 ok (warnings on stderr), 1 invalid input, 2 usage, 70 a bug.
 */
import * as path from "node:path";
import { parseRenderArgs, RENDER_USAGE } from "./args";
import { EXIT, printProblems, processIo, runCommand, type CliIo } from "./io";
import { outDirProblem, OUT_MARKER, renderYaml, writeOutDir } from "./manifests";
import { loadStackInput } from "./stackInput";

/** Runs render with `argv` (the arguments after the script) and returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  return runCommand("render", io, () => {
    const parsed = parseRenderArgs(argv);
    if (!parsed.ok) {
      io.stderr(`render: ${parsed.message}\n\n${RENDER_USAGE}`);
      return EXIT.usage;
    }
    const { args } = parsed;
    if (args.help) {
      io.stdout(RENDER_USAGE);
      return EXIT.ok;
    }
    const outDir = args.out === undefined ? undefined : path.resolve(io.cwd, args.out);
    if (outDir !== undefined) {
      const problem = outDirProblem(outDir);
      if (problem !== undefined) {
        io.stderr(`error: ${args.out}: ${problem}\n`);
        return EXIT.invalidInput;
      }
    }
    const input = loadStackInput(io.cwd, args);
    printProblems(io, input.advice);
    if (outDir === undefined) {
      io.stdout(renderYaml(input.list));
    } else {
      const files = writeOutDir(input.list, outDir);
      io.stdout(`wrote ${files.length} files and ${OUT_MARKER} to ${args.out}\n`);
    }
    return EXIT.ok;
  });
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), processIo());
