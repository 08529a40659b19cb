/** Plan between two 1,000-integration renders that differ in every tenth integration. */
import * as path from "node:path";
import { main as render } from "../../cli/render/main";
import { BENCH_STACK } from "../generate";
import { interleave } from "../measure";
import { formatMs, formatNumber, type Row } from "../report";
import type { BenchContext, SectionResult } from "./context";

/** Target: plan of two 1,000-integration renders under this many milliseconds. */
export const PLAN_TARGET_MS = 1000;

const COUNT = 1000;

/** Writes `render --out` of the project in `dir` to `out`. */
function renderOut(dir: string, out: string): void {
  let stderr = "";
  const code = render(["--stack", BENCH_STACK, "--out", out], {
    projectDir: dir,
    stdout: () => undefined,
    stderr: (text) => void (stderr += text),
  });
  if (code !== 0) throw new Error(`render --out ${out} exited ${code}:\n${stderr}`);
}

/** Measures the plan section. */
export function measurePlan(ctx: BenchContext): SectionResult {
  const before = path.join(ctx.work, "plan-before");
  const after = path.join(ctx.work, "plan-after");
  const changed = ctx.project(COUNT, 1);
  renderOut(ctx.project(COUNT).dir, before);
  renderOut(changed.dir, after);
  const series = interleave(
    [{ key: "plan-1000", scenario: "plan", args: { cwd: ctx.work, before, after } }],
    ctx.rounds,
    ctx.log,
  );
  const s = series["plan-1000"];
  // "Plan: 0 to create, 243 to update, ..." as "243 to update".
  const summary = String(s.runs[0].detail?.summary ?? "")
    .replace(/^Plan: /, "")
    .split(", ")
    .filter((part) => !part.startsWith("0 ") && !part.includes("unchanged"))
    .join(", ")
    .replace(/\.$/, "");
  const rows: Row[] = [
    {
      section: "plan",
      measure: `plan of two ${formatNumber(COUNT)}-integration renders (${changed.changed} changed)`,
      figure: `${formatMs(s.wallMs)}, ${formatNumber(s.peakRssMb)} MB peak; start-up ${formatMs(s.loadMs)}; ${summary}`,
      target: `< ${formatMs(PLAN_TARGET_MS)}`,
      met: s.wallMs < PLAN_TARGET_MS,
    },
  ];
  return { rows, series };
}
