/** The floor: the same objects registered bare under the same mock runtime. */
import { runBareProgram } from "../peers/bareProgram";
import { runUnderMocks } from "./mocks";
import type { ScenarioResult } from "./scenario";

/** Runs the bare program for the project in `args.dir`; objects = resources registered. */
export async function run(args: Record<string, string>): Promise<ScenarioResult> {
  const objects = await runUnderMocks(args.dir, () => runBareProgram(args.dir));
  return { objects };
}
