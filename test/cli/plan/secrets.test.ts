import { inspect } from "node:util";
import { expect } from "chai";
import { computePlan } from "../../../cli/plan/compute";
import { cleanUp, deployment, planOf } from "./support";

const SECRET_VALUES = ["hunter2", "s3cret-2", "k-111", "t-222", "c-333", "p-444", "x-555"];

function env(pairs: Record<string, string>): { env: { name: string; value: string }[] } {
  return { env: Object.entries(pairs).map(([name, value]) => ({ name, value })) };
}

describe("plan: secret env values", () => {
  after(cleanUp);

  const before = [
    deployment("a", env({ DB_URL: "jdbc:one", db_Pass: "hunter2", Api_KEY: "k-111" })),
    deployment("gone", env({ GITHUB_TOKEN: "t-222" })),
  ];
  const after_ = [
    deployment(
      "a",
      env({ DB_URL: "jdbc:two", db_Pass: "s3cret-2", Api_KEY: "k-111", CREDENTIALS: "c-333" }),
    ),
    deployment("new", env({ MY_SECRET: "p-444", SecretFile: "x-555" })),
  ];

  const plan = (format: string): string => planOf(before, after_, format);

  for (const format of ["text", "markdown", "json"]) {
    it(`${format}: never shows a value whose name looks secret`, () => {
      const output = plan(format);
      for (const value of SECRET_VALUES) expect(output).not.to.contain(value);
      expect(output).to.contain("[secret]");
      expect(output).to.contain("jdbc:two");
    });
  }

  it("text: a changed secret is an update shown as [secret] => [secret]", () => {
    const container = "spec.template.spec.containers[micro-integrator]";
    expect(plan("text").split("\n").slice(0, 5)).to.deep.equal([
      "~  Deployment ns/a-deployment",
      `      ~ ${container}.env[DB_URL].value: jdbc:one => jdbc:two`,
      `      ~ ${container}.env[db_Pass].value: [secret] => [secret]`,
      `      + ${container}.env[CREDENTIALS]: {name: CREDENTIALS, value: [secret]}`,
      "-  Deployment ns/gone-deployment",
    ]);
  });

  it("json: masked in changes", () => {
    const json = JSON.parse(plan("json")) as { update: { changes: unknown[] }[] };
    expect(json.update[0].changes).to.deep.include({
      path: "spec.template.spec.containers[micro-integrator].env[db_Pass].value",
      before: "[secret]",
      after: "[secret]",
    });
  });

  it("markdown: masked in the YAML of created and deleted objects", () => {
    const markdown = plan("markdown");
    expect(markdown).to.contain("- name: MY_SECRET\n              value: '[secret]'\n");
    expect(markdown).to.contain("- name: GITHUB_TOKEN\n              value: '[secret]'\n");
  });

  it("a secret that did not change is no change", () => {
    const same = deployment("a", env({ PASSWORD: "hunter2" }));
    expect(
      computePlan([same], [deployment("a", env({ PASSWORD: "hunter2" }))]).unchanged,
    ).to.have.length(1);
  });

  it("the plan's objects hold no secret for any serialiser to find", () => {
    const plan = computePlan([], [deployment("a", env({ PASSWORD: "hunter2" }))]);
    expect(inspect(plan, { depth: null })).not.to.contain("hunter2");
    expect(JSON.stringify(plan)).not.to.contain("hunter2");
  });
});
