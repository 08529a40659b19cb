/**
 * The Pulumi program under the mock runtime for 1,000 integrations (the work `pulumi preview`
 * asks of our code), beside the naive one-resource-per-`apply` program and the bare floor.
 */
import { interleave, type Job } from "../measure";
import { formatMs, formatNumber, type Row } from "../report";
import type { BenchContext, SectionResult } from "./context";

/** Target: the naive program takes at least this many times our time and memory. */
export const PROGRAM_TARGET = 2;

const COUNT = 1000;

/** Measures the program section with `rounds` interleaved rounds. */
export function measureProgram(ctx: BenchContext, rounds: number): SectionResult {
  const dir = ctx.project(COUNT).dir;
  const jobs: Job[] = [
    { key: "ours", scenario: "program-ours", args: { dir } },
    { key: "naive", scenario: "program-naive", args: { dir } },
    // The floor explains the figures; one run is enough to do so.
    { key: "bare", scenario: "program-bare", args: { dir }, rounds: 1 },
  ];
  const series = interleave(jobs, rounds, ctx.log);
  const { ours, naive, bare } = series;
  const describe = (s: (typeof series)[string]): string =>
    `${formatMs(s.wallMs)} (CPU ${formatMs(s.cpuMs)}), ${formatNumber(s.peakRssMb)} MB peak, ` +
    `${formatNumber(s.objects)} resources`;
  const rows: Row[] = [
    { section: "program", measure: "program under mocks, 1,000: ours", figure: describe(ours) },
    {
      section: "program",
      measure: "naive program (one resource per apply)",
      figure: describe(naive),
    },
    {
      section: "program",
      measure: "floor: the objects registered bare",
      figure: describe(bare),
    },
  ];
  const speed = naive.wallMs / ours.wallMs;
  const cpu = naive.cpuMs / ours.cpuMs;
  rows.push({
    section: "program",
    measure: "program 1,000: time, naive / ours",
    figure: `${formatNumber(speed, 2)}× (CPU ${formatNumber(cpu, 2)}×); naive / floor ${formatNumber(naive.wallMs / bare.wallMs, 2)}×`,
    target: `≥ ${PROGRAM_TARGET}×`,
    met: speed >= PROGRAM_TARGET,
  });
  const memory = naive.peakRssMb / ours.peakRssMb;
  rows.push({
    section: "program",
    measure: "program 1,000: peak memory, naive / ours",
    figure: `${formatNumber(memory, 2)}×; naive / floor ${formatNumber(naive.peakRssMb / bare.peakRssMb, 2)}×`,
    target: `≥ ${PROGRAM_TARGET}×`,
    met: memory >= PROGRAM_TARGET,
  });
  return { rows, series };
}
