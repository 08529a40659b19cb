/**
 * The bench's output: a table of figures beside their targets on stdout, `bench/results.json`
 * (every run) and the generated part of `bench/RESULTS.md` (between its markers).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";

/** One line of the table. */
export interface Row {
  /** The section it belongs to: render, program, plan, images. */
  section: string;
  /** What is measured, e.g. "render 1,000: peak memory". */
  measure: string;
  /** The measured figure, or "not measured yet: <why>". */
  figure: string;
  /** The target, when the figure has one. */
  target?: string;
  /** Whether the target holds; undefined for information rows and figures not measured. */
  met?: boolean;
}

/** Where and how the figures were taken. */
export interface Machine {
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  /** 1-minute load average when the bench started and when it ended. */
  loadBefore: number;
  loadAfter: number;
}

/** Everything one bench run measured. */
export interface BenchResults {
  measuredAt: string;
  durationS: number;
  rounds: number;
  machine: Machine;
  rows: Row[];
  /** Raw runs and medians per section. */
  series: Record<string, unknown>;
}

const BEGIN = "<!-- bench:begin (written by npm run bench) -->";
const END = "<!-- bench:end -->";

/** The current machine, with the load average as it is now as `loadBefore`. */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadBefore: os.loadavg()[0],
    loadAfter: os.loadavg()[0],
  };
}

/** `1234.5` as `1,235`. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Milliseconds, as `850 ms` or `12.3 s`. */
export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${formatNumber(ms / 1000, 1)} s` : `${formatNumber(ms)} ms`;
}

function status(row: Row): string {
  if (row.met === undefined) return row.target === undefined ? "" : "—";
  return row.met ? "met" : "MISSED";
}

/** The rows as a plain-text table for the terminal. */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.measure, r.figure, r.target ?? "", status(r)]);
  const header = ["measure", "figure", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** The rows as a Markdown table. */
export function formatMarkdownTable(rows: readonly Row[]): string {
  const escape = (v: string): string => v.replace(/\|/g, "\\|");
  const lines = ["| measure | figure | target | |", "| --- | --- | --- | --- |"];
  for (const r of rows) {
    lines.push(
      `| ${escape(r.measure)} | ${escape(r.figure)} | ${escape(r.target ?? "")} | ${status(r)} |`,
    );
  }
  return lines.join("\n");
}

/** The generated part of RESULTS.md. */
function generatedSection(results: BenchResults): string {
  const m = results.machine;
  return [
    BEGIN,
    "",
    `Measured ${results.measuredAt} by \`npm run bench\` in ${formatNumber(results.durationS)} s: ` +
      `Node ${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB; 1-minute load average ` +
      `${formatNumber(m.loadBefore, 1)} at the start and ${formatNumber(m.loadAfter, 1)} at the end; ` +
      `medians of ${results.rounds} interleaved rounds. Every run is in \`bench/results.json\`.`,
    "",
    formatMarkdownTable(results.rows),
    "",
    END,
  ].join("\n");
}

/** `text` as Prettier formats `file` with the project's settings, so that `npm run lint` passes. */
async function formatted(file: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

/**
 * Writes `results.json` and replaces the generated part of `RESULTS.md` in `dir`, keeping the
 * hand-written notes around it (the file is created with the generated part alone if missing).
 */
export async function writeResults(dir: string, results: BenchResults): Promise<void> {
  const json = path.join(dir, "results.json");
  fs.writeFileSync(json, await formatted(json, JSON.stringify(results)));
  const file = path.join(dir, "RESULTS.md");
  const section = generatedSection(results);
  const text = fs.existsSync(file)
    ? fs.readFileSync(file, "utf8")
    : `# Benchmark results\n\n${BEGIN}\n${END}\n`;
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const updated =
    begin === -1 || end === -1
      ? `${text.trimEnd()}\n\n${section}\n`
      : `${text.slice(0, begin)}${section}${text.slice(end + END.length)}`;
  fs.writeFileSync(file, await formatted(file, updated));
}
