/**
 * The program under Pulumi's mocks is idempotent: run twice on the same stack, it
 * registers the same resources, under the same parents, with the same inputs, in the same order;
 * and naming the same CR files in another order changes nothing but the order of registration.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { Problems } from "../../../components/model/problems";
import { stackConfigFromFile } from "../../../components/model/settings/stack";
import { ROOT, crYaml, tempProject } from "../../cli/run";
import { type Registration, runProgram } from "../../components/harness";
import { EXAMPLE_STACKS } from "./support";

const PROJECT = "wso2-mi";

function configOf(dir: string, stack: string): Record<string, string> {
  const problems = new Problems();
  const file = path.join(dir, "stacks", `Pulumi.${stack}.yaml`);
  const config = stackConfigFromFile(file, PROJECT, problems);
  expect(problems.list, `${file} is valid`).to.deep.equal([]);
  return config;
}

/** What the engine saw, as text: every byte of it must repeat. */
function serialised(registrations: Registration[]): string {
  return JSON.stringify(registrations);
}

/** Registrations in URN order, for runs whose order of registration may differ. */
function byUrn(registrations: Registration[]): Registration[] {
  return [...registrations].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

describe("idempotence: the program under mocks", () => {
  it("has the example stacks to repeat", () => {
    expect(EXAMPLE_STACKS).to.deep.equal(["dev", "prod"]);
  });

  for (const stack of EXAMPLE_STACKS) {
    it(`registers the example stack ${stack} identically twice`, async () => {
      const config = configOf(ROOT, stack);
      const first = await runProgram(ROOT, PROJECT, stack, config);
      const second = await runProgram(ROOT, PROJECT, stack, config);
      expect(first.registrations.length).to.be.greaterThan(2);
      expect(serialised(second.registrations)).to.equal(serialised(first.registrations));
      expect(second.integrations).to.deep.equal(first.integrations);
    });
  }

  it("registers the same resources with the same inputs when the CR files are named in another order", async () => {
    const dir = tempProject({
      "crs/a.yaml": crYaml("alpha", ["expose:", "  inboundPorts: [9000, 8000]"]),
      "crs/b.yaml": [
        crYaml("beta", ["autoScale:", "  enabled: true", "  maxReplicas: 3"]),
        crYaml("gamma", ["env:", "  - name: A", "    value: x"]),
      ].join("---\n"),
    });
    try {
      const runWith = (crs: string[]): ReturnType<typeof runProgram> =>
        runProgram(dir, PROJECT, "idem", { [`${PROJECT}:crs`]: JSON.stringify(crs) });
      const first = await runWith(["crs/a.yaml", "crs/b.yaml"]);
      const second = await runWith(["crs/b.yaml", "crs/a.yaml"]);
      expect(first.registrations.map((r) => r.name)).to.include.members([
        "default/alpha",
        "default/beta",
        "default/gamma",
      ]);
      expect(serialised(byUrn(second.registrations))).to.equal(
        serialised(byUrn(first.registrations)),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
