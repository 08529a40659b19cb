import { expect } from "chai";
import { computePlan } from "../../../cli/plan/compute";
import { formatMarkdown } from "../../../cli/plan/markdown";
import { cleanUp, planOf, deployment, outDir, runPlan, service } from "./support";

describe("plan: formats", () => {
  after(cleanUp);

  const before = [deployment("a"), service("a"), deployment("b")];
  const after_ = [deployment("a", { image: "ex/a:2" }), service("a"), deployment("c")];

  const plan = (format: string): string => planOf(before, after_, format);

  it("text: each changed object in Pulumi's marks, its fields, then the Plan line", () => {
    expect(plan("text")).to.equal(
      [
        "~  Deployment ns/a-deployment",
        "      ~ spec.template.spec.containers[micro-integrator].image: ex/a:1 => ex/a:2",
        "-  Deployment ns/b-deployment",
        "+  Deployment ns/c-deployment",
        "",
        "Plan: 1 to create, 1 to update, 0 to replace, 1 to delete, 1 unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("text is the default format", () => {
    const result = runPlan(["--before", outDir(before), "--after", outDir(after_)]);
    expect(result.stdout).to.equal(plan("text"));
  });

  it("json: the five lists, with changes for updates", () => {
    expect(JSON.parse(plan("json"))).to.deep.equal({
      create: [
        { apiVersion: "apps/v1", kind: "Deployment", namespace: "ns", name: "c-deployment" },
      ],
      update: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          namespace: "ns",
          name: "a-deployment",
          changes: [
            {
              path: "spec.template.spec.containers[micro-integrator].image",
              before: "ex/a:1",
              after: "ex/a:2",
            },
          ],
        },
      ],
      replace: [],
      delete: [
        { apiVersion: "apps/v1", kind: "Deployment", namespace: "ns", name: "b-deployment" },
      ],
      unchanged: [{ apiVersion: "v1", kind: "Service", namespace: "ns", name: "a-service" }],
    });
  });

  it("json: an added field has no before, a removed one no after", () => {
    const result = runPlan([
      "--before",
      outDir([deployment("a", { imagePullPolicy: "Always" })]),
      "--after",
      outDir([deployment("a", { args: ["x"] })]),
      "--format",
      "json",
    ]);
    const changes = (JSON.parse(result.stdout) as { update: { changes: object[] }[] }).update[0]
      .changes;
    expect(changes).to.deep.equal([
      { path: "spec.template.spec.containers[micro-integrator].args", after: ["x"] },
      { path: "spec.template.spec.containers[micro-integrator].imagePullPolicy", before: "Always" },
    ]);
  });

  it("markdown: a summary table, then a collapsed diff or YAML per changed object", () => {
    const markdown = plan("markdown");
    const [head] = markdown.split("\n<details>");
    expect(head.replace(/`[^`]*\/out`/g, "`OUT`")).to.equal(
      [
        "### Plan: `OUT` → `OUT`",
        "",
        "**Plan: 1 to create, 1 to update, 0 to replace, 1 to delete, 1 unchanged.**",
        "",
        "| | Kind | Object | Details |",
        "| --- | --- | --- | --- |",
        "| `~` update | Deployment | `ns/a-deployment` | 1 field |",
        "| `-` delete | Deployment | `ns/b-deployment` |  |",
        "| `+` create | Deployment | `ns/c-deployment` |  |",
        "",
      ].join("\n"),
    );
    const sections = markdown.split("\n<details>\n").slice(1);
    expect(sections).to.have.length(3);
    expect(sections[0]).to.equal(
      [
        "<summary><code>~</code> update Deployment <code>ns/a-deployment</code></summary>",
        "",
        "```diff",
        "- spec.template.spec.containers[micro-integrator].image: ex/a:1",
        "+ spec.template.spec.containers[micro-integrator].image: ex/a:2",
        "```",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
    expect(sections[2]).to.match(
      /^<summary><code>\+<\/code> create Deployment <code>ns\/c-deployment<\/code><\/summary>\n\n```yaml\napiVersion: apps\/v1\nkind: Deployment\n/,
    );
    expect(sections[2]).to.contain("        - image: ex/c:1\n");
  });

  it("markdown: no changes is said in words", () => {
    const same = outDir(before);
    const result = runPlan(["--before", same, "--after", same, "--format", "markdown"]);
    expect(result.stdout.split("\n").slice(1)).to.deep.equal([
      "",
      "**Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 3 unchanged.**",
      "",
      "No changes.",
      "",
    ]);
  });

  it("markdown: leaves out the sections that would pass the size limit, and says so", () => {
    const many = Array.from({ length: 30 }, (_, i) => deployment(`app${i}`));
    const markdown = formatMarkdown(computePlan([], many), "Plan", 8000);
    expect(markdown.length).to.be.at.most(8000);
    const shown = markdown.split("\n<details>\n").length - 1;
    expect(shown).to.be.within(1, 29);
    expect(markdown.match(/^\| `\+` create /gm)).to.have.length(30);
    expect(markdown).to.contain(
      `_The details of ${30 - shown} more objects are left out to keep this comment within ` +
        "GitHub's size limit; run `npm run plan` to see them all._",
    );
  });

  it("markdown: a table too long for the limit is cut, saying how many rows are left out", () => {
    const many = Array.from({ length: 500 }, (_, i) => deployment(`app${i}`));
    const markdown = formatMarkdown(computePlan([], many), "Plan", 8000);
    expect(markdown.length).to.be.at.most(8000);
    const rows = markdown.match(/^\| `\+` create /gm)?.length ?? 0;
    expect(rows).to.be.within(10, 499);
    expect(markdown).to.contain(`| | | and ${500 - rows} more objects | |\n`);
    expect(markdown).to.contain("_The details of 500 more objects are left out");
  });

  it("markdown: a fence no backticks in a value can close", () => {
    const markdown = formatMarkdown(
      computePlan([deployment("a")], [deployment("a", { args: ["```x"] })]),
      "Plan",
    );
    expect(markdown).to.contain(
      '````diff\n+ spec.template.spec.containers[micro-integrator].args: ["```x"]\n````',
    );
  });
});
