/**
 * Property-based tests of the whole input path (issue 6): generated and mutated CRs, controller
 * configs and stack settings, through loading, validation, defaults and the builders, end either
 * in objects the API server would accept or in problems that each name a file and, for a field,
 * its path; never in an exception. Seeded: see settings.ts to replay a failure.
 */
import { expect } from "chai";
import fc from "fast-check";
import { checkCase, pipelineCase } from "./cases";
import { fuzz } from "./settings";

describe("fuzz: CRs, controller configs and stack settings through the whole input path", () => {
  it("valid input builds objects the API server accepts (1,500 cases)", () => {
    let built = 0;
    fuzz(
      fc.property(pipelineCase({}), (input) => {
        if (checkCase(input).objects !== undefined) built++;
      }),
      1500,
    );
    // Most cases must reach the builders, or the property above proves little.
    expect(built).to.be.greaterThan(1000);
  });

  it("mutated CRs end in objects or in located problems (4,000 cases)", () => {
    fuzz(
      fc.property(pipelineCase({ crs: 3 }), (input) => void checkCase(input)),
      4000,
    );
  });

  it("mutated controller configs and stack settings end in objects or in located problems (2,500 cases)", () => {
    fuzz(
      fc.property(pipelineCase({ config: 3 }), (input) => void checkCase(input)),
      2500,
    );
  });

  it("mutated YAML text ends in objects or in located problems (2,500 cases)", () => {
    fuzz(
      fc.property(pipelineCase({ text: 3 }), (input) => void checkCase(input)),
      2500,
    );
  });
});
