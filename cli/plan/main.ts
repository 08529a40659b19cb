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
import { cliPath, EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
import { parsePlanArgs, PLAN_FLAG_NAMES, PLAN_USAGE, type PlanArgs, type PlanFormat } from "./args";
import { computePlan, hasChanges, type Plan } from "./compute";
import { computeLivePlan } from "./live";
import { readLiveFiles } from "./liveRead";
import { loadStackAtRevision } from "./gitBase";
import { formatJson } from "./json";
import { formatMarkdown } from "./markdown";
import { readRenderDir } from "./renderDir";
import { formatText } from "./text";
import { COMMAND_LINE, loadStackInput } from "../common/stackInput";

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
    let plan: Plan;
    let title: string;
    let problems: Problem[];
    if (args.mode === "live") {
      ({ plan, title, problems } = planLive(args, io));
    } else {
      const sides = args.mode === "folders" ? readFolders(args, io) : readGit(args, io);
      plan = computePlan(sides.before, sides.after);
      ({ title, problems } = sides);
      printProblems(io, problems);
    }
    io.stdout(formatPlan(plan, args.format, title, problems));
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
 * sides are reported together. Paths are from where the command was started, as render's are.
 * The input's warnings and notes and those about the live objects go to stderr, and are carried
 * by the Markdown and JSON plans (those about the live objects as the command line's).
 */
function planLive(
  args: PlanArgs & { mode: "live" },
  io: CliIo,
): { plan: Plan; title: string; problems: Problem[] } {
  const problems: Problem[] = [];
  const read = new Problems();
  const files = args.live.map((file) => cliPath(io, file));
  const live = readLiveFiles(
    files.map((f) => f.shown),
    io.projectDir,
    read,
  );
  let stack: unknown[] | undefined;
  let name: string;
  if ("after" in args) {
    const after = cliPath(io, args.after);
    stack = readRenderDir(after.shown, io.projectDir, read, after.given);
    name = `\`${after.shown}\``;
  } else {
    const { request } = args;
    const now = attempt(problems, () =>
      loadStackInput(io.projectDir, {
        ...request,
        ...(request.crs === undefined ? {} : { crs: request.crs.map((p) => cliPath(io, p).shown) }),
        ...(request.controllerConfig === undefined
          ? {}
          : { controllerConfig: cliPath(io, request.controllerConfig).shown }),
      }),
    );
    if (now !== undefined) problems.push(...now.advice);
    stack = now?.list;
    name = request.stack === undefined ? "the CRs" : `stack \`${request.stack}\``;
  }
  problems.push(...read.list);
  if (stack === undefined || problems.some((p) => p.severity === "error")) {
    throw new InputError(problems);
  }
  printProblems(io, problems);
  const { plan, warnings, notes } = computeLivePlan(live, stack);
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  for (const note of notes) io.stderr(`note: ${note}\n`);
  const compared: Problem[] = [
    ...warnings.map((message) => ({ severity: "warning" as const, file: COMMAND_LINE, message })),
    ...notes.map((message) => ({ severity: "note" as const, file: COMMAND_LINE, message })),
  ];
  const shown = files.map((f) => `\`${f.shown}\``).join(", ");
  return {
    plan,
    title: `Plan for ${name} against the live objects in ${shown}`,
    problems: [...problems, ...compared],
  };
}

/** The stack at `--base` and now; the problems of both are reported together. */
function readGit(args: PlanArgs & { mode: "git" }, io: CliIo): Sides {
  const problems: Problem[] = [];
  const before = attempt(problems, () => loadStackAtRevision(io.projectDir, args.stack, args.base));
  const now = attempt(problems, () => loadStackInput(io.projectDir, { stack: args.stack }));
  if (before === undefined || now === undefined) throw new InputError(problems);
  return {
    before,
    after: now.list,
    title: `Plan for stack \`${args.stack}\` against \`${args.base}\``,
    problems: now.advice,
  };
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), processIo("plan"));
