/** `npm run bench`'s flags behave as every command's: usage and exit code 2, no stack trace. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { BENCH_USAGE, parseBenchArgs } from "../../bench/run";
import { ROOT } from "../cli/run";

/** Runs bench/run.ts as `npm run bench` does (through tsx), with `args`. */
function bench(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "bench", "run.ts"), ...args],
    { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
  );
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("bench: flags", function () {
  this.timeout(120_000);

  it("prints the usage for --help and measures nothing", () => {
    expect(bench(["--help"])).to.deep.equal({ code: 0, stdout: BENCH_USAGE, stderr: "" });
  });

  it("refuses a bad flag or value with the usage and exit code 2, without a stack trace", () => {
    for (const [args, message] of [
      [["--rund", "3"], "Unknown option '--rund'"],
      [["--onli", "render"], "Unknown option '--onli'; did you mean --only?"],
      [["--rounds", "x"], '--rounds takes a whole number ≥ 1, got "x"'],
      [
        ["--only", "rendr"],
        "--only: unknown section rendr; the sections are render, startup, plan, program, images",
      ],
      [
        ["--rounds", "1", "--rounds", "2"],
        "--rounds is given more than once; give it once (it takes one value)",
      ],
    ] as [string[], string][]) {
      expect(bench(args), args.join(" ")).to.deep.equal({
        code: 2,
        stdout: "",
        stderr: `bench: ${message}\n\n${BENCH_USAGE}`,
      });
    }
    expect(parseBenchArgs(["--rounds", "2", "--only", "render"])).to.deep.equal({
      ok: true,
      args: { rounds: 2, only: ["render"], help: false },
    });
  });
});
