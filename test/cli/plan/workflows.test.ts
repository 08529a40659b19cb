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
  it("are exactly plan, preview, drift and images", () => {
    expect(fs.readdirSync(WORKFLOWS).sort()).to.deep.equal([
      "drift.yml",
      "images.yml",
      "plan.yml",
      "preview.yml",
    ]);
  });

  for (const file of ["plan.yml", "preview.yml", "drift.yml", "images.yml"]) {
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

  it("images.yml: on a schedule, images --update per stack, with a token whose pull requests start workflows", () => {
    const wf = workflow("images.yml");
    expect(wf.on).to.deep.equal({ schedule: [{ cron: "17 5 * * *" }], workflow_dispatch: null });
    expect(wf.permissions).to.deep.equal({ contents: "read" });
    expect(Object.keys(wf.jobs)).to.deep.equal(["stacks", "images"]);
    const check = wf.jobs.stacks.steps.find((s) => s.id === "credentials");
    expect(check?.env).to.deep.equal({
      APP_ID: "${{ vars.IMAGES_APP_ID }}",
      PR_TOKEN: "${{ secrets.IMAGES_PR_TOKEN }}",
    });
    const job = wf.jobs.images;
    expect(job.if).to.equal(
      "needs.stacks.outputs.enabled == 'true' && needs.stacks.outputs.stacks != '[]'",
    );
    expect(job.strategy).to.deep.equal({ "fail-fast": false, matrix: MATRIX });
    const token = "${{ steps.app.outputs.token || secrets.IMAGES_PR_TOKEN }}";
    expect(step(job, "actions/create-github-app-token")).to.deep.equal({
      id: "app",
      name: "Mint the GitHub App's token",
      if: "vars.IMAGES_APP_ID != ''",
      uses: "actions/create-github-app-token@v1",
      with: {
        "app-id": "${{ vars.IMAGES_APP_ID }}",
        "private-key": "${{ secrets.IMAGES_APP_PRIVATE_KEY }}",
      },
    });
    // Never GITHUB_TOKEN: a pull request it opens starts no workflow (no plan, no preview).
    expect(fs.readFileSync(path.join(WORKFLOWS, "images.yml"), "utf8")).not.to.contain(
      "secrets.GITHUB_TOKEN",
    );
    expect(step(job, "actions/checkout").with).to.deep.equal({ "fetch-depth": 0, token });
    const pr = job.steps.find((s) => s.name === "Open or update the pull request");
    expect(pr?.env?.GH_TOKEN).to.equal(token);
    const docker = job.steps.find((s) => s.name === "Write the Docker config");
    expect(docker?.env).to.deep.equal({
      DOCKER_CONFIG_JSON: "${{ secrets.REGISTRY_DOCKER_CONFIG }}",
    });
  });

  describe("images.yml's scripts, run against a scratch repository", () => {
    let repo: string;
    let bin: string;
    let remote: string;
    const steps = workflow("images.yml").jobs.images.steps;
    const script = (name: string): string => steps.find((s) => s.name === name)?.run ?? "";

    beforeEach(() => {
      const top = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-images-workflow-"));
      [repo, bin, remote] = ["repo", "bin", "remote.git"].map((d) => path.join(top, d));
      fs.mkdirSync(path.join(repo, "stacks"), { recursive: true });
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(repo, "stacks/prod.images.lock.yaml"), "images: {}\n");
      const git = (...args: string[]): void =>
        void execFileSync("git", args, { cwd: repo, stdio: "ignore" });
      execFileSync("git", ["init", "-q", "--bare", remote]);
      git("init", "-q", "-b", "main");
      git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "0");
      git("add", "-A");
      git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "lock");
      git("remote", "add", "origin", remote);
      // npm: `images --update` moves the lock when MOVE is set; `plan` prints a line.
      fs.writeFileSync(
        path.join(bin, "npm"),
        [
          "#!/bin/sh",
          'case "$*" in',
          '  *" images -- "*) echo "IMAGE  STATUS"; [ -n "$MOVE" ] && echo "images: {x: 1}" > stacks/prod.images.lock.yaml; exit 0;;',
          '  *" plan -- "*) echo "### Plan for stack"; exit 0;;',
          "esac",
          "exit 1",
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      // gh: records its arguments; `pr view` says OPEN when PR_OPEN is set.
      fs.writeFileSync(
        path.join(bin, "gh"),
        [
          "#!/bin/sh",
          'echo "$*" >> "$GH_LOG"',
          'if [ "$1 $2" = "pr view" ]; then [ -n "$PR_OPEN" ] && echo OPEN; exit 0; fi',
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
    });
    afterEach(() => fs.rmSync(path.dirname(repo), { recursive: true, force: true }));

    function runStep(name: string, env: Record<string, string>): Record<string, string> {
      const output = path.join(path.dirname(repo), "output");
      fs.writeFileSync(output, "");
      execFileSync("bash", ["-euo", "pipefail", "-c", script(name)], {
        cwd: repo,
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH ?? ""}`,
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: path.join(path.dirname(repo), "summary"),
          GH_LOG: path.join(path.dirname(repo), "gh.log"),
          STACK: "prod",
          BASE: "main",
          ...env,
        },
        stdio: "ignore",
      });
      return Object.fromEntries(
        fs
          .readFileSync(output, "utf8")
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => l.split("=") as [string, string]),
      );
    }

    it("opens no pull request when the lock did not change", () => {
      expect(runStep("Update the image lock", {})).to.deep.equal({ changed: "false" });
    });

    it("pushes only the lock to images/<stack> and opens a pull request with the plan", () => {
      expect(runStep("Update the image lock", { MOVE: "1" })).to.deep.equal({ changed: "true" });
      runStep("Describe the change with its plan", {});
      expect(fs.readFileSync(path.join(repo, "pr.md"), "utf8")).to.equal(
        [
          "Moves the image lock of stack `prod` to what the registries serve now.",
          "Merging this pull request rolls out the Deployments below.",
          "",
          "```",
          "IMAGE  STATUS",
          "```",
          "",
          "### Plan for stack",
          "",
        ].join("\n"),
      );
      runStep("Open or update the pull request", {});
      const pushed = execFileSync(
        "git",
        ["--git-dir", remote, "show", "--stat", "--format=%s", "images/prod"],
        { encoding: "utf8" },
      );
      expect(pushed.split("\n").slice(0, 3)).to.deep.equal([
        "images: move the image lock of stack prod",
        "",
        " stacks/prod.images.lock.yaml | 2 +-",
      ]);
      expect(fs.readFileSync(path.join(path.dirname(repo), "gh.log"), "utf8")).to.equal(
        [
          "pr view images/prod --json state --jq .state",
          "pr create --base main --head images/prod --title images: move the image lock of stack prod --body-file pr.md",
          "",
        ].join("\n"),
      );
    });

    it("updates the open pull request's description instead of opening another", () => {
      runStep("Update the image lock", { MOVE: "1" });
      runStep("Describe the change with its plan", {});
      runStep("Open or update the pull request", { PR_OPEN: "1" });
      expect(fs.readFileSync(path.join(path.dirname(repo), "gh.log"), "utf8")).to.equal(
        "pr view images/prod --json state --jq .state\npr edit images/prod --body-file pr.md\n",
      );
    });
  });
});
