/**
 * `npm run bench [-- --rounds N] [--only render,program,plan,images]`: measures render, plan, the
 * Pulumi program and image resolution side by side with what a user would pick instead, prints a
 * table of every figure beside its target, and writes `bench/results.json` and the generated part
 * of `bench/RESULTS.md`. Every measurement runs in its own process; sides are interleaved and the
 * medians taken. Never part of `npm test`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { describeMachine, formatTable, writeResults, type BenchResults, type Row } from "./report";
import { BenchContext, type SectionResult } from "./sections/context";

/** The sections, in the order they run and print. */
const SECTIONS = ["render", "plan", "program", "images"] as const;
type Section = (typeof SECTIONS)[number];

/** Rounds per measurement by default; the program section runs fewer, each run takes ~10 s. */
const DEFAULT_ROUNDS = 5;
const PROGRAM_ROUNDS = 3;

/** Loads and runs one section. */
async function runSection(section: Section, ctx: BenchContext): Promise<SectionResult> {
  switch (section) {
    case "render":
      return (await import("./sections/render")).measureRender(ctx);
    case "plan":
      return (await import("./sections/plan")).measurePlan(ctx);
    case "program":
      return (await import("./sections/program")).measureProgram(
        ctx,
        Math.min(ctx.rounds, PROGRAM_ROUNDS),
      );
    case "images":
      return (await import("./sections/images")).measureImages(ctx);
  }
}

function parseFlags(argv: string[]): { rounds: number; only: Section[] } {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: "string" }, only: { type: "string" } },
    strict: true,
  });
  const rounds = Number(values.rounds ?? DEFAULT_ROUNDS);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds takes a whole number ≥ 1");
  const only = (values.only?.split(",") ?? [...SECTIONS]) as Section[];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(
      `--only: unknown section ${unknown.join(", ")}; sections: ${SECTIONS.join(", ")}`,
    );
  return { rounds, only };
}

async function main(): Promise<void> {
  const { rounds, only } = parseFlags(process.argv.slice(2));
  const started = performance.now();
  const machine = describeMachine();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mi-bench-"));
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  const ctx = new BenchContext(rounds, work, log);
  const rows: Row[] = [];
  const series: Record<string, unknown> = {};
  try {
    for (const section of SECTIONS.filter((s) => only.includes(s))) {
      log(`${section}:`);
      const result = await runSection(section, ctx);
      rows.push(...result.rows);
      series[section] = result.series;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  machine.loadAfter = os.loadavg()[0];
  const results: BenchResults = {
    measuredAt: new Date().toISOString(),
    durationS: (performance.now() - started) / 1000,
    rounds,
    machine,
    rows,
    series,
  };
  process.stdout.write(`${formatTable(rows)}\n`);
  if (only.length === SECTIONS.length) {
    await writeResults(__dirname, results);
    log(`wrote bench/results.json and bench/RESULTS.md in ${results.durationS.toFixed(0)} s`);
  } else {
    log("--only: bench/results.json and bench/RESULTS.md are left as they were");
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
