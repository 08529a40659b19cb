/**
 * Running measurements: one fresh child process per measurement, rounds interleaved (each round
 * runs every job once, in a rotated order) so that a busy machine disturbs all sides alike, and
 * medians over the rounds.
 */
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import type { ChildReport } from "./child";
import type { ScenarioName } from "./scenarios";

/** One measurement to repeat: a scenario and its arguments. */
export interface Job {
  /** Names the job's series in the results. */
  key: string;
  scenario: ScenarioName;
  args: Record<string, string>;
  /** Runs only in the first this many rounds. Default: every round. */
  rounds?: number;
}

/** A job's runs and their medians. */
export interface Series {
  runs: ChildReport[];
  wallMs: number;
  cpuMs: number;
  loadMs: number;
  peakRssMb: number;
  objects: number;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function childArgs(scenario: ScenarioName, args: Record<string, string>): string[] {
  return ["--import", "tsx", path.join(__dirname, "child.ts"), scenario, JSON.stringify(args)];
}

function childReport(
  scenario: ScenarioName,
  status: number | null,
  why: string,
  stdout: string,
  stderr: string,
): ChildReport {
  if (status !== 0) throw new Error(`bench child ${scenario} failed (${why}):\n${stderr}`);
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as ChildReport;
}

/** Runs `scenario` once in a new Node process (with tsx) and returns its report. */
export function runChild(scenario: ScenarioName, args: Record<string, string>): ChildReport {
  const result = spawnSync(process.execPath, childArgs(scenario, args), {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  const why = result.error?.message ?? `exit ${result.status ?? result.signal}`;
  return childReport(scenario, result.status, why, result.stdout ?? "", result.stderr ?? "");
}

/**
 * {@link runChild} without blocking this process's event loop: for children that talk to a
 * server running here (the registry harness's token server).
 */
export function runChildAsync(
  scenario: ScenarioName,
  args: Record<string, string>,
): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, childArgs(scenario, args), { timeout: 300_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      try {
        resolve(childReport(scenario, code, `exit ${code ?? signal}`, stdout, stderr));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** The medians of a job's runs; every run must have produced the same number of objects. */
export function summarize(runs: ChildReport[]): Series {
  const objects = new Set(runs.map((r) => r.objects));
  if (objects.size !== 1)
    throw new Error(`runs disagree on the objects: ${[...objects].join(", ")}`);
  return {
    runs,
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    loadMs: median(runs.map((r) => r.loadMs)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
    objects: runs[0].objects,
  };
}

/**
 * Runs every job `rounds` times, interleaved: round `r` starts at job `r` (mod the count), so no
 * job always runs first or after the same neighbour. `progress` hears of each run.
 */
export function interleave(
  jobs: readonly Job[],
  rounds: number,
  progress: (message: string) => void = () => undefined,
): Record<string, Series> {
  const runs = new Map<string, ChildReport[]>(jobs.map((job) => [job.key, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[(round + k) % jobs.length];
      if (round >= (job.rounds ?? rounds)) continue;
      const report = runChild(job.scenario, job.args);
      runs.get(job.key)?.push(report);
      progress(
        `  round ${round + 1}/${rounds} ${job.key}: ${report.wallMs.toFixed(0)} ms, ` +
          `${report.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
  const out: Record<string, Series> = {};
  for (const [key, list] of runs) out[key] = summarize(list);
  return out;
}
