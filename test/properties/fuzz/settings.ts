/**
 * Seeds and run counts of the fuzz tests: fixed, so that every `npm test` runs the same cases.
 * A failure prints its seed and path; replay it with
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx mocha test/fuzz/<file> --grep '<test name>'`.
 * `FUZZ_SEED` alone runs other cases; `FUZZ_RUNS=<factor>` runs more (or fewer) of them.
 */
import fc from "fast-check";

/** The seed of every property unless `FUZZ_SEED` is set. */
export const DEFAULT_SEED = 20_260_506;

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

/** The seed in use. */
export const SEED = envNumber("FUZZ_SEED", DEFAULT_SEED);

function parameters(runs: number): fc.Parameters<unknown> {
  const replay = process.env.FUZZ_PATH;
  return {
    seed: SEED,
    numRuns: Math.max(1, Math.round(runs * envNumber("FUZZ_RUNS", 1))),
    ...(replay === undefined || replay === "" ? {} : { path: replay }),
  };
}

function throwIfFailed<Ts>(details: fc.RunDetails<Ts>): void {
  if (!details.failed) return;
  const report = fc.defaultReportMessage(details) ?? "the property failed";
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : "";
  throw new Error(
    `${report}\n${cause}\nReplay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ""} ` +
      "npx mocha <this test file> --grep '<this test>'",
  );
}

/**
 * Checks `property` on `runs` cases (times `FUZZ_RUNS`) from {@link SEED}; on failure, throws
 * fast-check's report (the smallest failing case, the seed and the path) and how to replay it.
 */
export function fuzz<Ts>(property: fc.IProperty<Ts>, runs: number): void {
  throwIfFailed(fc.check(property, parameters(runs)));
}

/** {@link fuzz} for a property that awaits. */
export async function fuzzAsync<Ts>(property: fc.IAsyncProperty<Ts>, runs: number): Promise<void> {
  throwIfFailed(await fc.check(property, parameters(runs)));
}
