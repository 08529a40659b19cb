import { expect } from "chai";
import { computePlan } from "../../../cli/plan/compute";
import { formatJson } from "../../../cli/plan/json";
import { formatMarkdown, MARKDOWN_LINE } from "../../../cli/plan/markdown";
import type { Problem } from "../../../components/model/problems";
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
      problems: [],
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

  describe("the input's warnings and notes", () => {
    const problems: Problem[] = [
      {
        severity: "warning",
        file: "stacks/dev/b.yaml",
        line: 12,
        path: "spec.env[1].name",
        message: '"A" is also set by spec.env[0]; the last one wins',
      },
      { severity: "note", file: "stacks/dev", message: "holds no <CR> | nothing" },
      {
        severity: "warning",
        file: "stacks/dev/a.yaml",
        document: 2,
        line: 3,
        message: "a `backtick`",
      },
    ];
    const unchanged = computePlan([deployment("a")], [deployment("a")]);

    it("json: problems, sorted by file and line, each with its severity, place and field", () => {
      expect(
        (JSON.parse(formatJson(unchanged, problems)) as { problems: unknown }).problems,
      ).to.deep.equal([
        {
          severity: "note",
          file: "stacks/dev",
          message: "holds no <CR> | nothing",
        },
        {
          severity: "warning",
          file: "stacks/dev/a.yaml",
          line: 3,
          document: 2,
          message: "a `backtick`",
        },
        {
          severity: "warning",
          file: "stacks/dev/b.yaml",
          line: 12,
          field: "spec.env[1].name",
          message: '"A" is also set by spec.env[0]; the last one wins',
        },
      ]);
    });

    it("markdown: a list under the Plan line, also when nothing changes", () => {
      expect(formatMarkdown(unchanged, "Plan", undefined, problems).split("\n")).to.deep.equal([
        "### Plan",
        "",
        "**Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 unchanged.**",
        "",
        "**2 warnings and 1 note in the input:**",
        "",
        "- note: `stacks/dev`: holds no &lt;CR&gt; \\| nothing",
        "- warning: `stacks/dev/a.yaml:3 (document 2)`: a `backtick`",
        '- warning: `stacks/dev/b.yaml:12` `spec.env[1].name`: "A" is also set by spec.env[0]; the last one wins',
        "",
        "No changes.",
        "",
      ]);
    });

    it("markdown: the problems past a third of the size limit are counted, not listed", () => {
      const many: Problem[] = Array.from({ length: 200 }, (_, i) => ({
        severity: "warning",
        file: `stacks/dev/app${String(i).padStart(3, "0")}.yaml`,
        message: "a warning long enough to fill the budget quickly, ".repeat(2),
      }));
      const markdown = formatMarkdown(unchanged, "Plan", 9000, many);
      const listed = markdown.match(/^- warning: /gm)?.length ?? 0;
      expect(listed).to.be.within(10, 199);
      expect(markdown).to.contain(
        `- and ${200 - listed} more: run \`npm run plan\` to see them all`,
      );
    });
  });

  it("markdown: wraps a long Ingress path below its field, so the diff does not scroll", () => {
    const ingress = (paths: string[]): object => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "api-operator-ingress", namespace: "ns" },
      spec: {
        rules: [
          {
            host: "dev.integrations.example.com",
            http: {
              paths: paths.map((name) => ({
                backend: { service: { name: `${name}-service`, port: { number: 8290 } } },
                path: `/${name}-service(/|$)(.*)`,
                pathType: "ImplementationSpecific",
              })),
            },
          },
        ],
      },
    });
    const markdown = formatMarkdown(
      computePlan([ingress(["hello"])], [ingress(["hello", "zeta"])]),
      "Plan",
    );
    const diff = markdown.split("```diff\n")[1].split("\n```")[0].split("\n");
    expect(diff).to.deep.equal([
      "+ spec.rules[dev.integrations.example.com].http.paths[/zeta-service(/|$)(.*)]:",
      "+   backend: {service: {name: zeta-service, port: {number: 8290}}}",
      "+   path: /zeta-service(/|$)(.*)",
      "+   pathType: ImplementationSpecific",
    ]);
    expect(diff.filter((line) => line.length > MARKDOWN_LINE)).to.deep.equal([]);
  });

  it("markdown: wraps a long list item by item", () => {
    const args = Array.from({ length: 12 }, (_, i) => `--option-number-${i}`);
    const markdown = formatMarkdown(
      computePlan([deployment("a")], [deployment("a", { args })]),
      "Plan",
    );
    const diff = markdown.split("```diff\n")[1].split("\n```")[0].split("\n");
    expect(diff).to.have.length(13);
    expect(diff[0]).to.equal("+ spec.template.spec.containers[micro-integrator].args:");
    expect(diff.slice(1)).to.deep.equal(args.map((a) => `+   - ${a}`));
  });
});
