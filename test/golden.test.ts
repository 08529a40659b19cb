/**
 * Golden manifests: what render prints for each of the operator docs' examples (alone, with the
 * operator's shipped defaults) and for each example stack, reviewed as files in test/golden/.
 * `UPDATE_GOLDEN=1 npm test` rewrites them; the diff is then the review.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { main } from "../cli/render/main";
import type { KubeObject } from "../components/builders";
import { ROOT, run } from "./cli/run";
import { restrictedViolations } from "./support/podSecurity";
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

/**
 * Render's stderr for a golden file `name`: the reviewed `<name>.stderr` (the notes a stack's
 * settings give, e.g. that images are not resolved offline), or nothing.
 */
function checkStderr(name: string, stderr: string): void {
  const file = path.join(GOLDEN, `${name}.stderr`);
  if (UPDATE) {
    if (stderr === "") fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, stderr);
  }
  const expected = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  expect(stderr, "render's stderr").to.equal(expected);
}

function checkGolden(name: string, argv: string[]): void {
  const { code, stdout, stderr } = run(main, argv);
  const file = path.join(GOLDEN, name);
  if (UPDATE) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stdout);
  }
  checkStderr(name, stderr);
  expect(code).to.equal(0);
  expect(fs.existsSync(file), `${file} exists (UPDATE_GOLDEN=1 npm test writes it)`).to.equal(true);
  expect(stdout).to.equal(fs.readFileSync(file, "utf8"));

  const objects = loadAll(stdout) as KubeObject[];
  expect(objects.length).to.be.greaterThan(1);
  for (const object of objects) {
    const id = `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`;
    expect(schemaProblems(object), id).to.deep.equal([]);
  }
  // Every golden manifest is rendered with the default podSecurity, restricted.
  const pods = objects.filter((o): o is IDeployment => o.kind === "Deployment");
  expect(pods.length).to.be.greaterThan(0);
  for (const deployment of pods) {
    const id = `Deployment ${deployment.metadata?.namespace}/${deployment.metadata?.name}`;
    expect(restrictedViolations(deployment.spec?.template ?? {}), id).to.deep.equal([]);
  }
}

describe("golden manifests", () => {
  it("covers the examples of the operator's documentation and the dev and prod stacks", () => {
    expect(EXAMPLES).to.deep.equal([
      "content-based-routing.yaml",
      "hello-world.yaml",
      "inbound-samples.yaml",
      "jms-example.yaml",
      "private-registry.yaml",
      "sample-integration.yaml",
    ]);
    expect(STACKS).to.include.members(["dev", "prod"]);
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
