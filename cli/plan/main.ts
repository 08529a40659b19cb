/**
 * `npm run plan -- --before DIR --after DIR` or `npm run plan -- --stack NAME --base GIT_REF`,
 * with `[--format text|markdown|json] [--expect-no-changes]`: what would change between two
 * renders, object by object, without a cluster or the Pulumi CLI. Exit codes: 0 done, 1 invalid
 * input, 2 usage, 7 changes with `--expect-no-changes` (Pulumi's code for that flag), 70 a bug.
 */
import { InputError, Problems, type Problem } from "../../components/model/problems";
import { commandArgs } from "../common/args";
import { cliPath, EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
import { parsePlanArgs, PLAN_FLAG_NAMES, PLAN_USAGE, type PlanArgs, type PlanFormat } from "./args";
import { computePlan, hasChanges, type Plan } from "./compute";
import { loadStackAtRevision } from "./gitBase";
import { formatJson } from "./json";
import { formatMarkdown } from "./markdown";
import { readRenderDir } from "./renderDir";
import { formatText } from "./text";
import { loadStackInput } from "../common/stackInput";

/** Exit codes of `plan`: render's, and `changes` for a plan with changes under `--expect-no-changes`. */
export const PLAN_EXIT = { ...EXIT, changes: 7 } as const;

/** Both sides' objects, the heading a Markdown plan gets, and the input's warnings and notes. */
interface Sides {
  before: unknown[];
  after: unknown[];
  title: string;
  /** Printed on stderr, and carried by the Markdown and JSON plans. */
  problems: Problem[];
}

/** Runs plan with `argv` (the arguments after the script) and returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  return runCommand("plan", io, () => {
    const args = commandArgs(
      { name: "plan", parse: parsePlanArgs, usage: PLAN_USAGE, flags: PLAN_FLAG_NAMES },
      argv,
      io,
    );
    if (typeof args === "number") return args;
    const sides = args.mode === "folders" ? readFolders(args, io) : readGit(args, io);
    const plan = computePlan(sides.before, sides.after);
    printProblems(io, sides.problems);
    io.stdout(formatPlan(plan, args.format, sides.title, sides.problems));
    if (args.expectNoChanges && hasChanges(plan)) {
      io.stderr("error: the plan has changes, and --expect-no-changes was given\n");
      return PLAN_EXIT.changes;
    }
    return EXIT.ok;
  });
}

/**
 * The plan in `format`; `title` heads the Markdown. The Markdown and JSON carry `problems`, the
 * input's warnings and notes (default none); text leaves them to stderr.
 */
export function formatPlan(
  plan: Plan,
  format: PlanFormat,
  title: string,
  problems: readonly Problem[] = [],
): string {
  if (format === "json") return formatJson(plan, problems);
  if (format === "markdown") return formatMarkdown(plan, title, undefined, problems);
  return formatText(plan);
}

function readFolders(args: PlanArgs & { mode: "folders" }, io: CliIo): Sides {
  const problems = new Problems();
  const [beforeDir, afterDir] = [cliPath(io, args.before), cliPath(io, args.after)];
  const read = (dir: typeof beforeDir) =>
    readRenderDir(dir.shown, io.projectDir, problems, dir.given);
  const before = read(beforeDir);
  const after = read(afterDir);
  problems.throwIfErrors();
  return {
    before,
    after,
    title: `Plan: \`${beforeDir.shown}\` → \`${afterDir.shown}\``,
    problems: [],
  };
}

/** The stack at `--base` and now; the problems of both are reported together. */
function readGit(args: PlanArgs & { mode: "git" }, io: CliIo): Sides {
  const problems: Problem[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const before = attempt(() => loadStackAtRevision(io.projectDir, args.stack, args.base));
  const now = attempt(() => loadStackInput(io.projectDir, { stack: args.stack }));
  if (before === undefined || now === undefined) throw new InputError(problems);
  return {
    before,
    after: now.list,
    title: `Plan for stack \`${args.stack}\` against \`${args.base}\``,
    problems: now.advice,
  };
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), processIo("plan"));
