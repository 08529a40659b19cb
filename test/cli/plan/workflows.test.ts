import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { load } from "js-yaml";
import { ROOT } from "../run";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Job {
  needs?: string;
  if?: string;
  "runs-on": string;
  strategy?: { matrix: Record<string, unknown>; "fail-fast"?: boolean };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = path.join(ROOT, ".github/workflows");

function workflow(file: string): Workflow {
  return load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
}

function step(job: Job, uses: string): Step {
  const found = job.steps.find((s) => s.uses?.startsWith(`${uses}@`));
  if (found === undefined) throw new Error(`no step uses ${uses}`);
  return found;
}

const MATRIX = { stack: "${{ fromJSON(needs.stacks.outputs.stacks) }}" };
const STACK_NAME =
  "${{ vars.PULUMI_ORG != '' && format('{0}/{1}', vars.PULUMI_ORG, matrix.stack) || matrix.stack }}";
const CONTEXTS = ["github", "secrets", "vars", "matrix", "needs", "steps", "env", "runner"];

describe("GitHub workflows", () => {
  it("are exactly plan, preview and drift", () => {
    expect(fs.readdirSync(WORKFLOWS).sort()).to.deep.equal([
      "drift.yml",
      "plan.yml",
      "preview.yml",
    ]);
  });

  for (const file of ["plan.yml", "preview.yml", "drift.yml"]) {
    it(`${file}: expressions use known contexts, and no run script holds one`, () => {
      const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
      const expressions = [...text.matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => m[1]);
      expect(expressions.length).to.be.greaterThan(3);
      for (const expression of expressions) {
        const roots = [...expression.matchAll(/(?<![.\w'])([a-zA-Z_]\w*)\s*[.(]/g)].map(
          (m) => m[1],
        );
        for (const root of roots) expect([...CONTEXTS, "fromJSON", "format"]).to.include(root);
      }
      // Values reach scripts through env, never pasted in: no injection, no secret in a command.
      const jobs = Object.values(workflow(file).jobs);
      expect(jobs.flatMap((job) => job.steps).length).to.be.greaterThan(0);
      for (const job of jobs) {
        for (const s of job.steps) expect(s.run ?? "").not.to.contain("${{");
      }
    });

    it(`${file}: lists the stacks of stacks/ as a JSON list for the matrix`, () => {
      const list = workflow(file).jobs.stacks.steps.find((s) => s.id === "list")?.run ?? "";
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-workflow-")), "out");
      try {
        execFileSync("bash", ["-euo", "pipefail", "-c", list], {
          cwd: ROOT,
          env: { ...process.env, GITHUB_OUTPUT: out },
        });
        const stacks = fs
          .readdirSync(path.join(ROOT, "stacks"))
          .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
          .map((f) => f.slice("Pulumi.".length, -".yaml".length))
          .sort();
        expect(fs.readFileSync(out, "utf8")).to.equal(`stacks=${JSON.stringify(stacks)}\n`);
      } finally {
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
      }
    });
  }

  it("plan.yml: on pull requests, plans each stack against the base branch and posts it", () => {
    const wf = workflow("plan.yml");
    expect(Object.keys(wf.on)).to.deep.equal(["pull_request"]);
    expect(wf.permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
    expect(Object.keys(wf.jobs)).to.deep.equal(["stacks", "plan"]);
    const job = wf.jobs.plan;
    expect([job.needs, job.strategy?.matrix]).to.deep.equal(["stacks", MATRIX]);
    expect(step(job, "actions/checkout").with).to.deep.equal({ "fetch-depth": 0 });
    expect(step(job, "actions/setup-node").with).to.deep.equal({
      "node-version": 20,
      cache: "npm",
    });
    const runs = job.steps.map((s) => s.run).filter((r) => r !== undefined);
    expect(runs[0]).to.equal("npm ci --no-audit --no-fund --loglevel=warn");
    const plan = job.steps.find((s) => s.id === "plan");
    expect(plan?.env).to.deep.equal({
      STACK: "${{ matrix.stack }}",
      BASE: "origin/${{ github.base_ref }}",
    });
    expect(plan?.run).to.contain(
      'npm run --silent plan -- --stack "$STACK" --base "$BASE" --format markdown \\\n',
    );
    const comment = step(job, "marocchino/sticky-pull-request-comment");
    expect(comment.with).to.deep.equal({ header: "plan-${{ matrix.stack }}", path: "plan.md" });
    expect(fs.readFileSync(path.join(WORKFLOWS, "plan.yml"), "utf8")).not.to.contain("secrets.");
  });

  it("preview.yml: on pull requests with credentials, pulumi preview --diff per stack with its comment", () => {
    const wf = workflow("preview.yml");
    expect(Object.keys(wf.on)).to.deep.equal(["pull_request"]);
    expect(Object.keys(wf.jobs)).to.deep.equal(["stacks", "preview"]);
    const check = wf.jobs.stacks.steps.find((s) => s.id === "credentials");
    expect(check?.env).to.deep.equal({
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      KUBECONFIG_DATA: "${{ secrets.KUBECONFIG }}",
    });
    const job = wf.jobs.preview;
    expect(job.if).to.equal(
      "needs.stacks.outputs.enabled == 'true' && needs.stacks.outputs.stacks != '[]'",
    );
    expect(job.strategy?.matrix).to.deep.equal(MATRIX);
    expect(job.env).to.deep.equal({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
    expect(step(job, "pulumi/actions")).to.deep.equal({
      uses: "pulumi/actions@v6",
      with: {
        command: "preview",
        "stack-name": STACK_NAME,
        diff: true,
        "comment-on-pr": true,
        "github-token": "${{ secrets.GITHUB_TOKEN }}",
      },
    });
  });

  it("drift.yml: on a schedule, pulumi preview --refresh --expect-no-changes per stack", () => {
    const wf = workflow("drift.yml");
    expect(wf.on).to.deep.equal({ schedule: [{ cron: "23 * * * *" }], workflow_dispatch: null });
    expect(wf.permissions).to.deep.equal({ contents: "read" });
    const job = wf.jobs.drift;
    expect(job.strategy).to.deep.equal({ "fail-fast": false, matrix: MATRIX });
    expect(step(job, "pulumi/actions").with).to.deep.equal({
      command: "preview",
      "stack-name": STACK_NAME,
      refresh: true,
      "expect-no-changes": true,
      diff: true,
    });
    const kubeconfig = job.steps.find((s) => s.name === "Write the kubeconfig");
    expect(kubeconfig?.env).to.deep.equal({ KUBECONFIG_DATA: "${{ secrets.KUBECONFIG }}" });
    expect(kubeconfig?.run).to.contain(
      'echo "KUBECONFIG=$RUNNER_TEMP/kubeconfig" >> "$GITHUB_ENV"',
    );
  });
});
