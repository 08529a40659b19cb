/**
 * Golden manifests: what render prints for each of the operator docs' examples (alone, with the
 * operator's shipped defaults) and for each example stack, reviewed as files in test/golden/.
 * `UPDATE_GOLDEN=1 npm test` rewrites them; the diff is then the review.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { main } from "../cli/render";
import type { KubeObject } from "../components/build";
import { ROOT, run } from "./cli/run";
import { schemaProblems } from "./support/schema";

const GOLDEN = path.join(ROOT, "test", "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const EXAMPLES = fs
  .readdirSync(path.join(ROOT, "stacks", "dev"))
  .filter((file) => file.endsWith(".yaml"))
  .sort();

const STACKS = fs
  .readdirSync(path.join(ROOT, "stacks"))
  .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
  .filter((stack): stack is string => stack !== undefined)
  .sort();

function checkGolden(name: string, argv: string[]): void {
  const { code, stdout, stderr } = run(main, argv);
  expect(stderr, "render's stderr").to.equal("");
  expect(code).to.equal(0);
  const file = path.join(GOLDEN, name);
  if (UPDATE) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stdout);
  }
  expect(fs.existsSync(file), `${file} exists (UPDATE_GOLDEN=1 npm test writes it)`).to.equal(true);
  expect(stdout).to.equal(fs.readFileSync(file, "utf8"));

  const objects = loadAll(stdout) as KubeObject[];
  expect(objects.length).to.be.greaterThan(1);
  for (const object of objects) {
    const id = `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`;
    expect(schemaProblems(object), id).to.deep.equal([]);
  }
}

describe("golden manifests", () => {
  it("covers the four examples of the operator's documentation and the dev stack", () => {
    expect(EXAMPLES).to.deep.equal([
      "hello-world.yaml",
      "inbound-samples.yaml",
      "private-registry.yaml",
      "sample-integration.yaml",
    ]);
    expect(STACKS).to.include("dev");
  });

  for (const example of EXAMPLES) {
    it(`example ${example}, with the operator's shipped defaults`, () => {
      checkGolden(`examples/${example}`, ["--crs", `stacks/dev/${example}`]);
    });
  }

  it("the operator's own sample CR, pinned as shipped, with the operator's shipped defaults", () => {
    checkGolden("examples/operator-sample_integration_cr.yaml", [
      "--crs",
      "test/fixtures/operator/sample_integration_cr.yaml",
    ]);
  });

  for (const stack of STACKS) {
    it(`stack ${stack}`, () => {
      checkGolden(`stacks/${stack}.yaml`, ["--stack", stack]);
    });
  }
});
