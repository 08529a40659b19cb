/** Hostile files for the hostile-input tests: alias bombs, sparse giants and pipes with a writer. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** A "billion laughs": `levels` anchors, each a list of nine aliases of the one before. */
export function billionLaughs(levels: number, key = "a"): string {
  const lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= levels; i++) {
    lines.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(", ")}]`);
  }
  lines.push(`${key}: *l${levels}`);
  return lines.join("\n") + "\n";
}

/** A file of `bytes` bytes that takes no disk space (a hole), at `file` in `dir`. */
export function sparseFile(dir: string, file: string, bytes = 6 * 1024 * 1024): void {
  const target = path.join(dir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, "");
  fs.truncateSync(target, bytes);
}

/**
 * A named pipe at `file` in `dir` with a writer behind it that sends 6 MiB of `x` and closes, so
 * that code which opens the pipe reads something and ends instead of blocking the test run for
 * good. Kill the returned writer after the test (it waits for a reader until then).
 */
export function fedPipe(dir: string, file: string): ChildProcess {
  const target = path.join(dir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  execFileSync("mkfifo", [target]);
  const writer = spawn(
    process.execPath,
    ["-e", 'require("fs").writeFileSync(process.argv[1], "x".repeat(6291456))', target],
    { stdio: "ignore" },
  );
  writer.on("error", () => undefined);
  return writer;
}
