/**
 * Every command a hostile input can reach, run on one project: `render` (stdout and `--out`),
 * `start`, `import-file` (stdout and `--out`), `plan --live` (against an export with no objects),
 * `reconciler`, `plan --base` (the project committed to git as it is, so both sides read the
 * input) and the Pulumi program under mocks.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { main as importFile } from "../../../cli/import-file/main";
import { main as plan } from "../../../cli/plan/main";
import { main as reconciler } from "../../../cli/reconciler/main";
import { main as render } from "../../../cli/render/main";
import { main as start } from "../../../cli/start/main";
import { run } from "../../cli/run";
import * as pulumi from "@pulumi/pulumi";
import { runStackProgram } from "../../../components/program";
import { captureLog, installMocks } from "../../components/harness";

/** What one command printed and returned. */
export interface CommandRun {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

/** The commands {@link everyCommand} runs, by name. */
export const COMMANDS = [
  "render",
  "render --out",
  "start",
  "import-file",
  "import-file --out",
  "plan --live",
  "reconciler",
  "plan --base",
  "program",
] as const;

/** Commits every file of `dir` to a new git repository there. */
export function commitAll(dir: string): void {
  const git = (...args: string[]): void =>
    void execFileSync(
      "git",
      ["-c", "user.name=Hostile Test", "-c", "user.email=hostile@example.com", ...args],
      { cwd: dir, stdio: "ignore" },
    );
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "hostile input");
}

/** Options of {@link everyCommand}. */
export interface EveryCommandOptions {
  /** The stack. Default `dev`. */
  stack?: string;
  /**
   * The config `pulumi up` hands the program (Pulumi reads the stack file, not the program);
   * undefined leaves the program out, e.g. for a stack file Pulumi itself would refuse.
   */
  programConfig?: Record<string, string>;
  /** Leave `plan --base` out (it needs the project in git; it commits `dir` otherwise). */
  noGit?: boolean;
}

/**
 * Runs every command on the project in `dir`, in {@link COMMANDS} order. The `--out` runs write
 * into new paths under `dir/.hostile-out`.
 */
export async function everyCommand(
  dir: string,
  options: EveryCommandOptions = {},
): Promise<CommandRun[]> {
  const stack = options.stack ?? "dev";
  const outs = path.join(dir, ".hostile-out");
  fs.mkdirSync(outs, { recursive: true });
  const runs: CommandRun[] = [];
  const add = (command: string, result: { code: number; stdout: string; stderr: string }): void =>
    void runs.push({ command, ...result });
  add("render", run(render, ["--stack", stack], dir));
  add("render --out", run(render, ["--stack", stack, "--out", path.join(outs, "render")], dir));
  add("start", run(start, ["--stack", stack], dir));
  add("import-file", run(importFile, ["--stack", stack], dir));
  add(
    "import-file --out",
    run(importFile, ["--stack", stack, "--out", path.join(outs, "import.json")], dir),
  );
  const live = path.join(outs, "live.yaml");
  fs.writeFileSync(live, "apiVersion: v1\nkind: List\nitems: []\n");
  add("plan --live", run(plan, ["--live", live, "--stack", stack], dir));
  add(
    "reconciler",
    run(
      reconciler,
      ["--stack", stack, "--repo", "https://github.com/acme/integrations.git", "--org", "acme"],
      dir,
    ),
  );
  if (options.noGit !== true) {
    commitAll(dir);
    add("plan --base", run(plan, ["--stack", stack, "--base", "HEAD"], dir));
  }
  if (options.programConfig !== undefined) {
    add("program", await programRun(dir, stack, options.programConfig));
  }
  return runs;
}

/**
 * The stack program under mocks with `config`: code 1 when it refuses its input (a
 * `pulumi.RunError`), else 0; "stderr" is what it logged, errors first, then its error.
 */
export async function programRun(
  dir: string,
  stack: string,
  config: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  installMocks("wso2-mi", stack, config);
  const log = captureLog();
  let refused: string | undefined;
  try {
    runStackProgram({ baseDir: dir, log });
  } catch (error) {
    if (!(error instanceof pulumi.RunError)) throw error;
    refused = error.message;
  }
  await new Promise((resolve) => setImmediate(resolve));
  const lines = [
    ...log.errors,
    ...log.warnings,
    ...log.infos,
    ...(refused === undefined ? [] : [refused]),
  ];
  return {
    code: refused === undefined ? 0 : 1,
    stdout: "",
    stderr: lines.map((l) => `${l}\n`).join(""),
  };
}
