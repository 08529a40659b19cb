/**
 * The engine's side of a dynamic provider, for tests: the provider's serialized text run in a
 * fresh plain `node` process (no TypeScript loader, the project folder as working directory),
 * loaded with `require-from-string` and `handler()`, configured with a stack config, then called
 * method by method, as `pulumi up` does.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/** The repository root: the project folder the engine runs providers in. */
export const PROJECT_DIR = path.resolve(__dirname, "../..");

/** One provider call: the method and its arguments. */
export type ProviderCall = [method: string, ...args: unknown[]];

/** What a call returned, or the message it threw. */
export type CallResult = { ok: unknown } | { error: string };

/** What the child process did. */
export interface EngineRun {
  results: CallResult[];
  /** Its stderr: warnings the engine would show. */
  stderr: string;
}

const HOST = `
const requireFromPulumi = require("module").createRequire(require.resolve("@pulumi/pulumi"));
const requireFromString = requireFromPulumi("require-from-string");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const { text, project, config, calls } = JSON.parse(input);
  const provider = requireFromString(text).handler();
  const get = (key) => config[key.includes(":") ? key : project + ":" + key];
  if (provider.configure) await provider.configure({ config: { get, require: get } });
  const results = [];
  for (const [method, ...args] of calls) {
    try {
      results.push({ ok: (await provider[method](...args)) ?? null });
    } catch (error) {
      results.push({ error: error.message });
    }
  }
  process.stdout.write(JSON.stringify(results));
});
`;

/**
 * Runs `calls` on the provider serialized as `text`, configured with `config` (the stack's config
 * map, secrets decrypted, as the engine gives it), in a child `node` with `env`, in the project
 * folder `cwd` (default: this one).
 */
export function runInEngine(
  text: string,
  calls: ProviderCall[],
  config: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = PROJECT_DIR,
): EngineRun {
  const result = spawnSync(process.execPath, ["-e", HOST], {
    cwd,
    env: { ...env, NODE_OPTIONS: "" },
    input: JSON.stringify({ text, project: "wso2-mi", config, calls }),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`the provider process failed (${result.status}): ${result.stderr}`);
  }
  return { results: JSON.parse(result.stdout) as CallResult[], stderr: result.stderr };
}
