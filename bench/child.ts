/**
 * One measurement in a fresh process: `node --import tsx bench/child.ts <scenario> <json args>`.
 * Loads the scenario's module, runs it once, and prints one JSON line: {@link ChildReport}.
 * The parent (run.ts) starts one process per measurement so that each peak memory is its own.
 */
import { identityDigest } from "./count";
import { SCENARIOS, type ScenarioName } from "./scenarios";

/** What a child prints on its last stdout line. */
export interface ChildReport {
  /** Milliseconds to load the scenario's modules (the tool's start-up). */
  loadMs: number;
  /** Milliseconds of the work itself, from reading the input to the finished output. */
  wallMs: number;
  /** CPU milliseconds (user + system) of the work: less disturbed than wall by a busy machine. */
  cpuMs: number;
  /** Kubernetes objects (or other units) produced. */
  objects: number;
  /** The process's peak resident set size, MB (`process.resourceUsage().maxRSS`). */
  peakRssMb: number;
  /** Anything else the scenario reports. */
  detail?: Record<string, number | string>;
}

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const load = SCENARIOS[name as ScenarioName];
  if (load === undefined) throw new Error(`unknown scenario ${name}`);
  const args = JSON.parse(json ?? "{}") as Record<string, string>;
  const t0 = performance.now();
  const scenario = await load();
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const result = await scenario.run(args);
  const t2 = performance.now();
  const used = process.cpuUsage(cpu);
  const report: ChildReport = {
    loadMs: t1 - t0,
    wallMs: t2 - t1,
    cpuMs: (used.user + used.system) / 1000,
    objects: result.objects,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(result.detail === undefined ? {} : { detail: result.detail }),
  };
  if (result.yaml !== undefined) {
    report.detail = { ...report.detail, identities: identityDigest(result.yaml) };
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
