/**
 * `npm run plan -- --before DIR --after DIR`, `npm run plan -- --stack NAME --base GIT_REF` or
 * `npm run plan -- --live FILE... (--stack NAME | --crs PATH... | --after DIR)`, with
 * `[--format text|markdown|json] [--expect-no-changes]`: what would change between two renders,
 * or between the live objects and the stack, object by object, without a cluster or the Pulumi
 * CLI. Exit codes: 0 done, 1 invalid input, 2 usage, 7 changes with `--expect-no-changes`
 * (Pulumi's code for that flag), 70 a bug.
 */
import { InputError, Problems, type Problem } from "../../components/model/problems";
import { commandArgs } from "../common/args";
import { EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
import { parsePlanArgs, PLAN_USAGE, type PlanArgs, type PlanFormat } from "./args";
import { computePlan, hasChanges, type Plan } from "./compute";
import { computeLivePlan } from "./live";
import { readLiveFiles } from "./liveRead";
import { loadStackAtRevision } from "./gitBase";
import { formatJson } from "./json";
import { formatMarkdown } from "./markdown";
import { readRenderDir } from "./renderDir";
import { formatText } from "./text";
import { loadStackInput } from "../common/stackInput";

/** Exit codes of `plan`: render's, and `changes` for a plan with changes under `--expect-no-changes`. */
export const PLAN_EXIT = { ...EXIT, changes: 7 } as const;

/** Both sides' objects, and the heading a Markdown plan gets. */
interface Sides {
  before: unknown[];
  after: unknown[];
  title: string;
}

/** Runs plan with `argv` (the arguments after the script) and returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  return runCommand("plan", io, () => {
    const args = commandArgs({ name: "plan", parse: parsePlanArgs, usage: PLAN_USAGE }, argv, io);
    if (typeof args === "number") return args;
    let plan: Plan;
    let title: string;
    if (args.mode === "live") {
      ({ plan, title } = planLive(args, io));
    } else {
      const sides = args.mode === "folders" ? readFolders(args, io) : readGit(args, io);
      plan = computePlan(sides.before, sides.after);
      title = sides.title;
    }
    io.stdout(formatPlan(plan, args.format, title));
    if (args.expectNoChanges && hasChanges(plan)) {
      io.stderr("error: the plan has changes, and --expect-no-changes was given\n");
      return PLAN_EXIT.changes;
    }
    return EXIT.ok;
  });
}

/** The plan in `format`; `title` heads the Markdown. */
export function formatPlan(plan: Plan, format: PlanFormat, title: string): string {
  if (format === "json") return formatJson(plan);
  if (format === "markdown") return formatMarkdown(plan, title);
  return formatText(plan);
}

function readFolders(args: PlanArgs & { mode: "folders" }, io: CliIo): Sides {
  const problems = new Problems();
  const before = readRenderDir(args.before, io.cwd, problems);
  const after = readRenderDir(args.after, io.cwd, problems);
  problems.throwIfErrors();
  return { before, after, title: `Plan: \`${args.before}\` → \`${args.after}\`` };
}

/** Runs `load`; an `InputError`'s problems go to `problems` and give undefined. */
function attempt<T>(problems: Problem[], load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/**
 * The stack (or a render folder) against the live objects of `--live`; the problems of both
 * sides are reported together. Warnings and notes about the live objects go to stderr.
 */
function planLive(args: PlanArgs & { mode: "live" }, io: CliIo): { plan: Plan; title: string } {
  const problems: Problem[] = [];
  const read = new Problems();
  const live = readLiveFiles(args.live, io.cwd, read);
  let stack: unknown[] | undefined;
  let name: string;
  if ("after" in args) {
    stack = readRenderDir(args.after, io.cwd, read);
    name = `\`${args.after}\``;
  } else {
    const now = attempt(problems, () => loadStackInput(io.cwd, args.request));
    if (now !== undefined) printProblems(io, now.advice);
    stack = now?.list;
    name = args.request.stack === undefined ? "the CRs" : `stack \`${args.request.stack}\``;
  }
  problems.push(...read.list);
  if (stack === undefined || problems.some((p) => p.severity === "error")) {
    throw new InputError(problems);
  }
  printProblems(io, problems);
  const { plan, warnings, notes } = computeLivePlan(live, stack);
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  for (const note of notes) io.stderr(`note: ${note}\n`);
  const files = args.live.map((f) => `\`${f}\``).join(", ");
  return { plan, title: `Plan for ${name} against the live objects in ${files}` };
}

/** The stack at `--base` and now; the problems of both are reported together. */
function readGit(args: PlanArgs & { mode: "git" }, io: CliIo): Sides {
  const problems: Problem[] = [];
  const before = attempt(problems, () => loadStackAtRevision(io.cwd, args.stack, args.base));
  const now = attempt(problems, () => loadStackInput(io.cwd, { stack: args.stack }));
  if (before === undefined || now === undefined) throw new InputError(problems);
  printProblems(io, now.advice);
  return {
    before,
    after: now.list,
    title: `Plan for stack \`${args.stack}\` against \`${args.base}\``,
  };
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), processIo());
