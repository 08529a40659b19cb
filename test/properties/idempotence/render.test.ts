/**
 * Rendering is idempotent: the same input gives byte-identical output every time, and
 * so does the same stack written otherwise, wherever order carries no meaning: the order of CR
 * files, of documents, of ConfigMaps, of mapping keys and of inbound ports, and the YAML style.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { main as render } from "../../../cli/render/main";
import { listFiles, run } from "../../cli/run";
import { dumpStyle } from "../fuzz/arbitraries";
import { runPipeline } from "../fuzz/pipeline";
import { fuzz } from "../fuzz/settings";
import { EXAMPLE_STACKS, asInput, rewritten, stackTrees } from "./support";

/** Every file of a folder with its text, by relative path. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
  );
}

describe("idempotence: render", () => {
  it("has the example stacks to repeat", () => {
    expect(EXAMPLE_STACKS).to.deep.equal(["dev", "prod"]);
  });

  for (const stack of EXAMPLE_STACKS) {
    it(`prints the example stack ${stack} byte-identically twice`, () => {
      const first = run(render, ["--stack", stack]);
      const second = run(render, ["--stack", stack]);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout.length).to.be.greaterThan(0);
      expect(second).to.deep.equal(first);
    });

    it(`writes the example stack ${stack} to the same files, byte for byte, twice`, () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-idem-"));
      try {
        const first = run(render, ["--stack", stack, "--out", out]);
        expect(first.code, first.stderr).to.equal(0);
        const files = contents(out);
        const second = run(render, ["--stack", stack, "--out", out]);
        expect(second).to.deep.equal(first);
        expect(contents(out)).to.deep.equal(files);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  }

  it("renders generated stacks byte-identically twice, and when written in another order (400 cases)", () => {
    let compared = 0;
    fuzz(
      fc.property(stackTrees, dumpStyle, dumpStyle, fc.nat(), (stack, style, otherStyle, seed) => {
        const input = asInput(stack, style, 2);
        const first = runPipeline(input);
        expect(runPipeline(input)).to.deep.equal(first);
        const other = runPipeline(rewritten(stack, otherStyle, seed));
        const errors = first.problems.filter((p) => p.severity === "error").length;
        expect(other.problems.filter((p) => p.severity === "error")).to.have.length(errors);
        if (first.yaml === undefined) return;
        expect(other.yaml).to.equal(first.yaml);
        compared++;
      }),
      400,
    );
    expect(compared).to.be.greaterThan(300);
  });
});
