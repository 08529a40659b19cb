/**
 * Property-based tests of the whole input path (issue 6): generated and mutated CRs, controller
 * configs and stack settings (every key, as the program's config map or as a stack file), through
 * loading, validation, defaults, image digests and the builders, end either in objects the API
 * server would accept or in problems that each name a file and, for a field, its path (for a
 * stack setting, its key); never in an exception, and never showing a planted registry password
 * or token. Seeded: see settings.ts to replay a failure.
 */
import { expect } from "chai";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { checkCase, pipelineCase } from "./cases";
import type { PipelineOutcome } from "./pipeline";
import { fuzz } from "./settings";
import { sameStackTwoWays } from "./stackArbitraries";

/** The problems as sorted lines without file and line (the config map has neither). */
function unlocated(outcome: PipelineOutcome): string[] {
  return outcome.problems.map((p) => `${p.severity}: ${p.path ?? ""}: ${p.message}`).sort();
}

describe("fuzz: CRs, controller configs and stack settings through the whole input path", () => {
  it("valid input builds objects the API server accepts (1,500 cases)", () => {
    const built = { all: 0, fromStackFiles: 0, refreshing: 0 };
    fuzz(
      fc.property(pipelineCase({}), (input) => {
        const outcome = checkCase(input);
        if (outcome.objects === undefined) return;
        built.all++;
        if (input.stackFile !== undefined) built.fromStackFiles++;
        if ((outcome.refreshed ?? []).length > 0) built.refreshing++;
      }),
      1500,
    );
    // Most cases must reach the builders, or the property above proves little.
    expect(built.all).to.be.greaterThan(1000);
    expect(built.fromStackFiles).to.be.greaterThan(300);
    expect(built.refreshing).to.be.greaterThan(100);
  });

  it("mutated CRs end in objects or in located problems (3,500 cases)", () => {
    fuzz(
      fc.property(pipelineCase({ crs: 3, stackFiles: false }), (input) => void checkCase(input)),
      3500,
    );
  });

  it("mutated controller configs and stack settings end in objects or in located problems (2,500 cases)", () => {
    let credentialProblems = 0;
    fuzz(
      fc.property(pipelineCase({ config: 3 }), (input) => {
        const { problems } = checkCase(input);
        const credentials = problems.filter((p) => p.path?.includes("registryCredentials"));
        if ((input.secrets ?? []).length > 0 && credentials.length > 0) credentialProblems++;
      }),
      2500,
    );
    // Messages about credentials that hold a planted secret must be many, or the check is idle.
    expect(credentialProblems).to.be.greaterThan(100);
  });

  it("mutated YAML text ends in objects or in located problems (2,000 cases)", () => {
    fuzz(
      fc.property(pipelineCase({ text: 3 }), (input) => void checkCase(input)),
      2000,
    );
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
