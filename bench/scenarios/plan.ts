/** `npm run plan -- --before A --after B` on two render output folders, its text kept in memory. */
import { main } from "../../cli/plan/main";
import type { ScenarioResult } from "./scenario";

/** Plans `args.before` → `args.after` (render --out folders); objects = lines of the plan. */
export function run(args: Record<string, string>): Promise<ScenarioResult> {
  let stdout = "";
  let stderr = "";
  const code = main(["--before", args.before, "--after", args.after], {
    projectDir: args.cwd,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  if (code !== 0) throw new Error(`plan exited ${code}:\n${stderr}`);
  return Promise.resolve({
    objects: stdout.split("\n").length,
    detail: { bytes: stdout.length, summary: stdout.trim().split("\n").at(-1) ?? "" },
  });
}
