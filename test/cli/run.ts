/** Runs a CLI `main` in-process with captured streams, and makes throwaway projects. */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliIo } from "../../cli/common/io";

/** The repository root: the example project with `stacks/dev`. */
export const ROOT = path.resolve(__dirname, "../..");

/** What a command printed and returned. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where a command runs: the folder it was started in and its environment. */
export interface RunOptions {
  /** The folder the command was started in. Default: the project folder. */
  cwd?: string;
  /** The environment (npm's variables). Default: none. */
  env?: Record<string, string>;
}

/** Calls `main(argv, io)` with `projectDir` as the project folder. */
export function run(
  main: (argv: readonly string[], io: CliIo) => number,
  argv: string[],
  projectDir: string = ROOT,
  options: RunOptions = {},
): Result {
  let stdout = "";
  let stderr = "";
  const code = main(argv, {
    projectDir,
    ...options,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

/** A CR of the operator's shape, with the given extra `spec` lines (indented two spaces). */
export function crYaml(name: string, specLines: string[] = []): string {
  return [
    "apiVersion: wso2.com/v1alpha2",
    "kind: Integration",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    `  image: docker.io/wso2/${name}:1.0.0`,
    ...specLines.map((line) => `  ${line}`),
    "",
  ].join("\n");
}

/** A temporary project folder (`Pulumi.yaml` of `wso2-mi`) holding `files`; remove it after. */
export function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-cli-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: wso2-mi\nruntime: nodejs\n");
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Every file under `dir`, relative, sorted, with `/` separators. */
export function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

/**
 * Builds dist/ (`npm run build`) unless `bin/wso2-mi.js` would run it: when it is missing or
 * older than the sources, the bin runs them through tsx instead, which a test of the compiled
 * bin must not measure.
 */
export function ensureBuilt(): void {
  const probe = spawnSync(process.execPath, [path.join(ROOT, "bin", "wso2-mi.js"), "--help"], {
    encoding: "utf8",
  });
  if (!probe.stderr.includes("running them through tsx")) return;
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
}
