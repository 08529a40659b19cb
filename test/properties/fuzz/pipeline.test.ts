/**
 * Property-based tests of the whole input path: generated and mutated CRs, controller
 * configs and stack settings (every key, as the program's config map or as a stack file), through
 * loading, validation, defaults, image digests, the builders and each Deployment's resource
 * inputs, end either in objects the API server would accept (and inputs that resolve to them,
 * secrets where names look secret) or in problems that each name a file and, for a field, its
 * path (for a stack setting, its key); never in an exception, and never showing a planted
 * registry password or token, or a value planted under a name that looks secret. Seeded: see
 * settings.ts to replay a failure.
 */
import { expect } from "chai";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { checkCase, checkInputs, mutatedCase, pipelineCase } from "./cases";
import type { PipelineInput, PipelineOutcome } from "./pipeline";
import type { InputsSeen } from "./pulumiInputs";
import { fuzz, fuzzAsync } from "./settings";
import { sameStackTwoWays } from "./stackArbitraries";

/** The problems as sorted lines without file and line (the config map has neither). */
function unlocated(outcome: PipelineOutcome): string[] {
  return outcome.problems.map((p) => `${p.severity}: ${p.path ?? ""}: ${p.message}`).sort();
}

/** What the cases of a property came to. */
interface Tally extends InputsSeen {
  /** Cases with a CR or controller config file the mutations changed. */
  mutated: number;
  /** Cases that ended in errors. */
  refused: number;
  /** Cases that built objects. */
  built: number;
  /** Cases that ended in a problem about a place whose value was planted under a secret name. */
  maskedProblems: number;
  /** Cases that ended in errors with values planted under secret names still in place. */
  planted: number;
}

const tally = (): Tally => ({
  mutated: 0,
  refused: 0,
  built: 0,
  maskedProblems: 0,
  planted: 0,
  secrets: 0,
  digests: 0,
});

/** Whether a problem of `outcome` is about a value planted under a name that looks secret. */
function aboutMasked(input: PipelineInput, outcome: PipelineOutcome): boolean {
  return outcome.problems.some(
    (p) =>
      (input.maskedPlaces ?? []).some((m) => m.file === p.file && p.path?.startsWith(m.path)) ||
      (p.path !== undefined && /^spec\.env\[\d+\]$/.test(p.path) && /NAME=value/.test(p.message)),
  );
}

/** Checks a case and its resource inputs, counting into `counts`; returns the outcome. */
async function check(
  input: PipelineInput,
  counts: Tally,
  mutatedFiles = 0,
): Promise<PipelineOutcome> {
  const outcome = checkCase(input);
  await checkInputs(outcome, counts);
  if (mutatedFiles > 0) counts.mutated++;
  if (outcome.objects === undefined) counts.refused++;
  else counts.built++;
  if (outcome.objects === undefined && (input.maskedValues ?? []).length > 0) counts.planted++;
  if (aboutMasked(input, outcome)) counts.maskedProblems++;
  return outcome;
}

describe("fuzz: CRs, controller configs and stack settings through the whole input path", () => {
  it("valid input builds objects the API server accepts, and resource inputs that resolve to them (1,500 cases)", async () => {
    const built = { all: 0, fromStackFiles: 0, refreshing: 0 };
    const counts = tally();
    await fuzzAsync(
      fc.asyncProperty(pipelineCase({}), async (input) => {
        const outcome = await check(input, counts);
        if (outcome.objects === undefined) return;
        built.all++;
        if (input.stackFile !== undefined) built.fromStackFiles++;
        if ((outcome.refreshed ?? []).length > 0) built.refreshing++;
      }),
      1500,
    );
    // Most cases must reach the builders and the inputs, or the property above proves little.
    expect(built.all).to.be.greaterThan(1000);
    expect(built.fromStackFiles).to.be.greaterThan(300);
    expect(built.refreshing).to.be.greaterThan(100);
    expect(counts.secrets).to.be.greaterThan(1500);
    expect(counts.digests).to.be.greaterThan(120);
  });

  it("mutated CRs end in objects or in located problems (3,500 cases)", async () => {
    const counts = tally();
    await fuzzAsync(
      fc.asyncProperty(mutatedCase({ crs: 3, stackFiles: false }), async (c) => {
        await check(c.input, counts, c.mutatedFiles);
      }),
      3500,
    );
    // The mutations must change most CRs (else the property checks the valid ones again), many
    // must end in errors, some must still build, and problems about planted secrets be common.
    expect(counts.mutated).to.be.greaterThan(2800);
    expect(counts.refused).to.be.greaterThan(2800);
    expect(counts.built).to.be.greaterThan(200);
    expect(counts.maskedProblems).to.be.greaterThan(500);
    expect(counts.planted).to.be.greaterThan(1500);
    expect(counts.secrets).to.be.greaterThan(300);
  });

  it("mutated controller configs and stack settings end in objects or in located problems (2,500 cases)", async () => {
    let credentialProblems = 0;
    const counts = tally();
    await fuzzAsync(
      fc.asyncProperty(mutatedCase({ config: 3 }), async ({ input, mutatedFiles }) => {
        const outcome = await check(input, counts, mutatedFiles);
        const credentials = outcome.problems.filter((p) => p.path?.includes("registryCredentials"));
        if ((input.secrets ?? []).length > 0 && credentials.length > 0) credentialProblems++;
      }),
      2500,
    );
    // Messages about credentials that hold a planted secret must be many, or the check is idle.
    expect(credentialProblems).to.be.greaterThan(100);
    expect(counts.mutated).to.be.greaterThan(1200);
    expect(counts.built).to.be.greaterThan(150);
    expect(counts.secrets).to.be.greaterThan(400);
  });

  it("mutated YAML text ends in objects or in located problems (2,000 cases)", async () => {
    const counts = tally();
    await fuzzAsync(
      fc.asyncProperty(mutatedCase({ text: 3 }), async (c) => {
        await check(c.input, counts, c.mutatedFiles);
      }),
      2000,
    );
    expect(counts.mutated).to.be.greaterThan(1700);
    expect(counts.refused).to.be.greaterThan(1700);
    expect(counts.built).to.be.greaterThan(60);
    expect(counts.maskedProblems).to.be.greaterThan(180);
    expect(counts.planted).to.be.greaterThan(800);
  });

  it("a stack file reads as the config map the program gets: the same problems and objects (500 cases)", () => {
    fuzz(
      fc.property(
        pipelineCase({ crs: 1, stackFiles: false }),
        sameStackTwoWays(2),
        (crs, stack) => {
          const fromConfig = checkCase({ crs: crs.crs, config: stack.config });
          const fromFile = checkCase({ crs: crs.crs, stackFile: stack.stackFile });
          expect(unlocated(fromFile)).to.deep.equal(unlocated(fromConfig));
          expect(isDeepStrictEqual(fromFile.objects, fromConfig.objects)).to.equal(true);
        },
      ),
      500,
    );
  });
});
