/** This project's stack program under the mock runtime: the work `pulumi preview` asks of it. */
import { runStackProgram } from "../../components/program";
import { runUnderMocks } from "./mocks";
import type { ScenarioResult } from "./scenario";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Runs the program for the project in `args.dir`; objects = resources registered. */
export async function run(args: Record<string, string>): Promise<ScenarioResult> {
  const objects = await runUnderMocks(args.dir, () => {
    const program = runStackProgram({ baseDir: args.dir, log: quiet });
    return { integrations: program.integrations };
  });
  return { objects };
}
