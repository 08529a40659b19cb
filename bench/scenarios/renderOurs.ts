/** `npm run render -- --stack bench` in the project folder, its YAML kept in memory. */
import { main } from "../../cli/render/main";
import { countDocuments } from "../count";
import { BENCH_STACK } from "../generate";
import type { ScenarioResult } from "./scenario";

/** Renders the project in `args.dir`; throws with render's stderr when it fails. */
export function run(args: Record<string, string>): Promise<ScenarioResult> {
  const out: string[] = [];
  let stderr = "";
  const code = main(["--stack", BENCH_STACK], {
    projectDir: args.dir,
    stdout: (text) => void out.push(text),
    stderr: (text) => void (stderr += text),
  });
  if (code !== 0) throw new Error(`render exited ${code}:\n${stderr}`);
  const yaml = out.join("");
  return Promise.resolve({ objects: countDocuments(yaml), detail: { bytes: yaml.length }, yaml });
}
