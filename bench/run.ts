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
import { commandArgs, parseFlags, type ParsedArgs } from "../cli/common/args";
import { processIo } from "../cli/common/io";
import { describeMachine, formatTable, writeResults, type BenchResults, type Row } from "./report";
import { BenchContext, type SectionResult } from "./sections/context";

/** The sections, in the order they run and print. */
const SECTIONS = ["render", "startup", "plan", "program", "images"] as const;
type Section = (typeof SECTIONS)[number];

/** Rounds per measurement by default; the program section runs fewer, each run takes ~10 s. */
const DEFAULT_ROUNDS = 5;
const PROGRAM_ROUNDS = 3;

/** Loads and runs one section. */
async function runSection(section: Section, ctx: BenchContext): Promise<SectionResult> {
  switch (section) {
    case "render":
      return (await import("./sections/render")).measureRender(ctx);
    case "startup":
      return (await import("./sections/startup")).measureStartup(ctx);
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

/** Usage text of `npm run bench`. */
export const BENCH_USAGE = `usage: npm run bench -- [--rounds N] [--only SECTION,...]

Measures render (and its start-up), plan, the Pulumi program and image resolution beside what a
user would pick instead, prints every figure beside its target, and with every section writes
bench/results.json and bench/RESULTS.md. Takes minutes; never part of npm test.
  --rounds N          interleaved rounds per measurement (default ${DEFAULT_ROUNDS})
  --only SECTIONS     a comma-separated part of: ${SECTIONS.join(", ")}
  --help              this text
`;

/** What `bench` was asked to do. */
interface BenchArgs {
  rounds: number;
  only: Section[];
  help: boolean;
}

/** Parses `bench`'s flags; a usage error names what is wrong. */
export function parseBenchArgs(argv: readonly string[]): ParsedArgs<BenchArgs> {
  const result = parseFlags(argv, BENCH_FLAGS);
  if (!result.ok) return result;
  const { values } = result.parsed;
  const rounds = Number(values.rounds ?? DEFAULT_ROUNDS);
  if (!Number.isInteger(rounds) || rounds < 1) {
    return {
      ok: false,
      message: `--rounds takes a whole number ≥ 1, got ${JSON.stringify(values.rounds)}`,
    };
  }
  const only = (values.only?.split(",") ?? [...SECTIONS]) as Section[];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `--only: unknown section ${unknown.join(", ")}; the sections are ${SECTIONS.join(", ")}`,
    };
  }
  return { ok: true, args: { rounds, only, help: values.help ?? false } };
}

const BENCH_FLAGS = {
  options: {
    rounds: { type: "string" },
    only: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: false,
} as const;

async function main(): Promise<void> {
  const io = processIo("bench");
  const args = commandArgs(
    {
      name: "bench",
      parse: parseBenchArgs,
      usage: BENCH_USAGE,
      flags: Object.keys(BENCH_FLAGS.options),
    },
    process.argv.slice(2),
    io,
  );
  if (typeof args === "number") {
    process.exitCode = args;
    return;
  }
  const { rounds, only } = args;
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

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
