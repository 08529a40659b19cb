/**
 * The README's commands, run as written through the real npm, in a pipe: stdout holds exactly the
 * YAML or JSON asked for (the project's `.npmrc` keeps npm's `> wso2-mi-pulumi@0.1.0 render`
 * banner off it), the command's own errors still reach stderr with its exit code, and paths are
 * the shell's from a subfolder.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { main as planMain } from "../../cli/plan/main";
import { main as render } from "../../cli/render/main";
import { OUT_MARKER } from "../../cli/common/manifests";
import { ensureBuilt, listFiles, ROOT, run, type Result } from "./run";

/** The environment of a user's shell: none of the npm variables of the `npm test` running this. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD" && key !== "NODE_OPTIONS",
    ),
  );
}

/** Runs `npm <args>` in `cwd` as a user would type it. */
function npm(args: string[], cwd = ROOT): Result {
  const result = spawnSync("npm", args, {
    cwd,
    env: userEnv(),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.error !== undefined) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("the README's npm commands in a pipe", function () {
  this.timeout(300_000);
  before(ensureBuilt);
  const made: string[] = [];
  /** A folder inside the project (`out/` is ignored by git), as a user's working folder. */
  const subfolder = (): string => {
    fs.mkdirSync(path.join(ROOT, "out"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, "out", "pipes-"));
    made.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("npm run render -- --stack dev > dev.yaml: every object, and nothing else", () => {
    const result = npm(["run", "render", "--", "--stack", "dev"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal(run(render, ["--stack", "dev"]).stdout);
    expect(loadAll(result.stdout)).to.have.length(15);
  });

  it("npm start: the summary, without npm's banner", () => {
    const result = npm(["start"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^Stack dev \(stacks\/Pulumi\.dev\.yaml\)/);
  });

  it("npm run plan -- ... --format json | jq, and npm run import-file -- ... > file.json", () => {
    const dir = subfolder();
    expect(run(render, ["--stack", "dev", "--out", path.join(dir, "a")]).code).to.equal(0);
    expect(run(render, ["--stack", "prod", "--out", path.join(dir, "b")]).code).to.equal(0);
    const plan = npm(
      ["run", "plan", "--", "--before", "a", "--after", "b", "--format", "json"],
      dir,
    );
    expect(plan.code, plan.stderr).to.equal(0);
    const parsed = JSON.parse(plan.stdout) as { create: unknown[]; delete: unknown[] };
    expect(parsed.create.length).to.be.greaterThan(0);
    expect(parsed.delete.length).to.be.greaterThan(0);

    // plan --live, typed in a folder of another project: its files are the shell's from there.
    const fixture = path.join(ROOT, "test/fixtures/live/operator");
    const live = ["--live", "../team-a.yaml", "../team-b.yaml", "--stack", "migrate"];
    const fromCrs = npm(
      ["run", "plan", "--", ...live, "--format", "json"],
      path.join(fixture, "crs"),
    );
    expect(fromCrs.code, fromCrs.stderr).to.equal(0);
    expect(fromCrs.stdout).to.equal(
      run(planMain, [...live, "--format", "json"], fixture, { cwd: path.join(fixture, "crs") })
        .stdout,
    );
    expect((JSON.parse(fromCrs.stdout) as { update: unknown[] }).update.length).to.be.greaterThan(
      0,
    );

    const document = npm(["run", "import-file", "--", "--stack", "dev"]);
    expect(document.code, document.stderr).to.equal(0);
    expect((JSON.parse(document.stdout) as { resources: unknown[] }).resources).to.have.length(23);
  });

  it("npm run reconciler -- ... > reconcile-prod.yaml: YAML only, notes on stderr", () => {
    const result = npm([
      "run",
      "reconciler",
      "--",
      "--stack",
      "prod",
      "--repo",
      "https://github.com/acme/integrations.git",
      "--org",
      "acme",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.match(/^note: /);
    expect(loadAll(result.stdout).length).to.be.greaterThan(3);
  });

  it("keeps the command's errors and exit codes, with nothing on stdout", () => {
    const missing = npm(["run", "render", "--", "--stack", "nope"]);
    expect(missing.code).to.equal(1);
    expect(missing.stdout).to.equal("");
    expect(missing.stderr).to.match(/^error: stacks\/Pulumi\.nope\.yaml: no such stack file/);
    const swallowed = npm(["run", "render", "--stack", "dev"]);
    expect(swallowed.code).to.equal(2);
    expect(swallowed.stdout).to.equal("");
    expect(swallowed.stderr).to.match(
      /^render: npm took --stack for itself and did not pass it on: put the command's flags after `--`/,
    );
  });

  it("takes paths from the folder it was started in, and the stack's from the project", () => {
    const dir = subfolder();
    const result = npm(
      [
        "run",
        "render",
        "--",
        "--stack",
        "dev",
        "--crs",
        "../../stacks/dev/hello-world.yaml",
        "--out",
        "hello",
      ],
      dir,
    );
    expect(result.code, result.stderr).to.equal(0);
    const shown = path.relative(ROOT, path.join(dir, "hello"));
    expect(result.stderr).to.equal(`wrote 3 files and ${OUT_MARKER} to ${shown}\n`);
    expect(listFiles(path.join(dir, "hello"))).to.deep.equal([
      OUT_MARKER,
      "integrations-dev/deployment-hello-world-deployment.yaml",
      "integrations-dev/ingress-ei-operator-ingress.yaml",
      "integrations-dev/service-hello-world-service.yaml",
    ]);
  });
});
