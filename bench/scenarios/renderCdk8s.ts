/** The cdk8s-plus peer rendering the same CR folder. */
import * as path from "node:path";
import { countDocuments } from "../count";
import { BENCH_INGRESS, BENCH_STACK } from "../generate";
import { renderWithCdk8s } from "../peers/cdk8sRender";
import type { ScenarioResult } from "./scenario";

/** Renders the CRs of the project in `args.dir` with cdk8s-plus. */
export function run(args: Record<string, string>): Promise<ScenarioResult> {
  const yaml = renderWithCdk8s(path.join(args.dir, "stacks", BENCH_STACK), BENCH_INGRESS);
  return Promise.resolve({ objects: countDocuments(yaml), detail: { bytes: yaml.length }, yaml });
}
