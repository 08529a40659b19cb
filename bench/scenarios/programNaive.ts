/** The naive program (one resource per `apply`) under the same mock runtime. */
import { runNaiveProgram } from "../peers/naiveProgram";
import { runUnderMocks } from "./mocks";
import type { ScenarioResult } from "./scenario";

/** Runs the naive program for the project in `args.dir`; objects = resources registered. */
export async function run(args: Record<string, string>): Promise<ScenarioResult> {
  const objects = await runUnderMocks(args.dir, () => runNaiveProgram(args.dir));
  return { objects };
}
