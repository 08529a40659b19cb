/**
 * Render of 100, 1,000 and 5,000 generated integrations, and the same 1,000 by the cdk8s-plus
 * peer, interleaved: wall, objects per second, peak memory, growth, and the ratio to cdk8s-plus.
 */
import { interleave, type Job } from "../measure";
import { formatMs, formatNumber, type Row } from "../report";
import type { BenchContext, SectionResult } from "./context";

const SIZES = [100, 1000, 5000] as const;

/** Target: render 1,000 in at most this share of cdk8s-plus's time. */
export const RENDER_RATIO_TARGET = 0.5;
/** Target: render 1,000 under this peak resident memory, MB. */
export const RENDER_MEMORY_TARGET_MB = 200;
/** Target: per-integration cost grows at most this much from one size to the next (10x costs ≤ 11x). */
export const GROWTH_TARGET = 1.1;

/** Measures the render section. */
export function measureRender(ctx: BenchContext): SectionResult {
  const jobs: Job[] = SIZES.map((count) => ({
    key: `ours-${count}`,
    scenario: "render-ours",
    args: { dir: ctx.project(count).dir },
  }));
  jobs.splice(2, 0, {
    key: "cdk8s-1000",
    scenario: "render-cdk8s",
    args: { dir: ctx.project(1000).dir },
  });
  const series = interleave(jobs, ctx.rounds, ctx.log);
  const ours = (count: number) => series[`ours-${count}`];
  const cdk8s = series["cdk8s-1000"];
  const identities = (key: string): unknown => series[key].runs[0].detail?.identities;
  if (identities("cdk8s-1000") !== identities("ours-1000")) {
    throw new Error(
      `cdk8s-plus built other objects (${cdk8s.objects}) than render (${ours(1000).objects}): the peer is not comparable`,
    );
  }

  const rows: Row[] = [];
  for (const count of SIZES) {
    const s = ours(count);
    rows.push({
      section: "render",
      measure: `render ${formatNumber(count)} integrations (${formatNumber(s.objects)} objects)`,
      figure:
        `${formatMs(s.wallMs)}, ${formatNumber(s.objects / (s.wallMs / 1000))} objects/s, ` +
        `${formatNumber(s.peakRssMb)} MB peak; start-up ${formatMs(s.loadMs)}`,
    });
  }
  rows.push({
    section: "render",
    measure: "cdk8s-plus, the same 1,000",
    figure:
      `${formatMs(cdk8s.wallMs)}, ${formatNumber(cdk8s.objects / (cdk8s.wallMs / 1000))} objects/s, ` +
      `${formatNumber(cdk8s.peakRssMb)} MB peak; start-up ${formatMs(cdk8s.loadMs)}`,
  });
  const ratio = ours(1000).wallMs / cdk8s.wallMs;
  rows.push({
    section: "render",
    measure: "render 1,000: time, ours / cdk8s-plus",
    figure: `${formatNumber(ratio, 2)} (${formatMs(ours(1000).wallMs)} / ${formatMs(cdk8s.wallMs)})`,
    target: `≤ ${formatNumber(RENDER_RATIO_TARGET, 2)}`,
    met: ratio <= RENDER_RATIO_TARGET,
  });
  rows.push({
    section: "render",
    measure: "render 1,000: peak memory",
    figure: `${formatNumber(ours(1000).peakRssMb)} MB`,
    target: `< ${RENDER_MEMORY_TARGET_MB} MB`,
    met: ours(1000).peakRssMb < RENDER_MEMORY_TARGET_MB,
  });
  for (const [from, to] of [
    [100, 1000],
    [1000, 5000],
  ] as const) {
    const scale = to / from;
    const growth = ours(to).wallMs / ours(from).wallMs;
    const limit = scale * GROWTH_TARGET;
    rows.push({
      section: "render",
      measure: `growth ${formatNumber(from)} → ${formatNumber(to)} (${scale}× the integrations): time`,
      figure: `${formatNumber(growth, 1)}× (memory ${formatNumber(ours(to).peakRssMb / ours(from).peakRssMb, 1)}×)`,
      target: `≤ ${formatNumber(limit, 1)}×`,
      met: growth <= limit,
    });
  }
  return { rows, series };
}
