/**
 * Paths on the command line are relative to the folder the command was started in, as the
 * shell's are; paths in stack files stay relative to the project; messages name the path used.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { cliPath, findProjectDir } from "../../../cli/common/io";
import { OUT_MARKER } from "../../../cli/common/manifests";
import { main as importFile } from "../../../cli/import-file/main";
import { main as plan } from "../../../cli/plan/main";
import { main as render } from "../../../cli/render/main";
import { crYaml, listFiles, ROOT, run, tempProject } from "../run";

describe("paths on the command line", () => {
  const cleanup: string[] = [];
  const project = (files: Record<string, string>): string => {
    const dir = tempProject(files);
    cleanup.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A project with stack `dev` (CRs in `stacks/dev`), and a CR in `work/extra/`. */
  const withStack = (): string =>
    project({
      "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
      "stacks/Pulumi.dev.yaml": "config:\n  wso2-mi:namespace: apps\n",
      "stacks/dev/hello.yaml": crYaml("hello"),
      "work/extra/bye.yaml": crYaml("bye"),
      "work/bad.yaml": crYaml("bad", ["expose:", "  passthroPort: nope"]),
    });

  it("resolves against the start folder, and names the path relative to the project", () => {
    const dir = "/p";
    const io = { projectDir: dir, cwd: "/p/stacks", stdout: () => {}, stderr: () => {} };
    expect(cliPath(io, "dev")).to.deep.equal({
      given: "dev",
      absolute: "/p/stacks/dev",
      shown: "stacks/dev",
    });
    expect(cliPath(io, "..")).to.deep.equal({ given: "..", absolute: "/p", shown: "." });
    expect(cliPath(io, "../../q/x")).to.deep.equal({
      given: "../../q/x",
      absolute: "/q/x",
      shown: "/q/x",
    });
    expect(cliPath({ ...io, cwd: undefined }, "out").absolute).to.equal("/p/out");
  });

  it("finds the project folder from a subfolder, and the package's from outside any project", () => {
    const dir = withStack();
    expect(findProjectDir(path.join(dir, "work/extra"), "/fallback")).to.equal(dir);
    expect(findProjectDir(dir, "/fallback")).to.equal(dir);
    expect(findProjectDir(os.tmpdir(), "/fallback")).to.equal("/fallback");
  });

  describe("render", () => {
    it("reads --crs from the start folder and the stack's own CR folder from the project", () => {
      const dir = withStack();
      const cwd = path.join(dir, "work");
      const fromFlag = run(render, ["--stack", "dev", "--crs", "extra"], dir, { cwd });
      expect(fromFlag.stderr).to.equal("");
      expect(fromFlag.stdout).to.include("name: bye-deployment");
      expect(fromFlag.stdout).not.to.include("name: hello-deployment");
      const fromStack = run(render, ["--stack", "dev"], dir, { cwd });
      expect(fromStack.stdout).to.include("name: hello-deployment");
    });

    it("names a CR given from a subfolder by its path in the project", () => {
      const dir = withStack();
      const result = run(render, ["--crs", "bad.yaml"], dir, { cwd: path.join(dir, "work") });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/^error: work\/bad\.yaml:8: spec\.expose\.passthroPort: /);
    });

    it("says which file is missing, by the path it looked at", () => {
      const dir = withStack();
      const cwd = path.join(dir, "work");
      const crs = run(render, ["--crs", "nope.yaml"], dir, { cwd });
      expect(crs.code).to.equal(1);
      expect(crs.stderr).to.match(/^error: work\/nope\.yaml: no such file or folder/);
      const config = run(render, ["--stack", "dev", "--controller-config", "c.yaml"], dir, { cwd });
      expect(config.code).to.equal(1);
      expect(config.stderr).to.include('no such file: "work/c.yaml"');
      const outside = run(render, ["--crs", "../../nope.yaml"], dir, { cwd });
      expect(outside.stderr).to.include(`${path.resolve(dir, "../nope.yaml")}: no such file`);
    });

    it("writes --out into the start folder and says where", () => {
      const dir = withStack();
      const cwd = path.join(dir, "work");
      const result = run(render, ["--stack", "dev", "--out", "out"], dir, { cwd });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.equal(`wrote 3 files and ${OUT_MARKER} to work/out\n`);
      expect(listFiles(path.join(cwd, "out"))).to.deep.equal([
        OUT_MARKER,
        "apps/deployment-hello-deployment.yaml",
        "apps/ingress-ei-operator-ingress.yaml",
        "apps/service-hello-service.yaml",
      ]);
      expect(fs.existsSync(path.join(dir, "out"))).to.equal(false);
    });
  });

  it("plan reads --before and --after from the start folder", () => {
    const dir = withStack();
    const cwd = path.join(dir, "work");
    expect(run(render, ["--stack", "dev", "--out", "a"], dir, { cwd }).code).to.equal(0);
    expect(run(render, ["--stack", "dev", "--out", "b"], dir, { cwd }).code).to.equal(0);
    const result = run(plan, ["--before", "a", "--after", "b"], dir, { cwd });
    expect(result.stderr).to.equal("");
    expect(result.stdout).to.equal(
      "no changes\n\nPlan: 0 to create, 0 to update, 0 to replace, 0 to delete, 3 unchanged.\n",
    );
    const missing = run(plan, ["--before", "a", "--after", "c"], dir, { cwd });
    expect(missing.stderr).to.equal(
      "error: work/c: no such folder; make one with: npm run render -- --stack NAME --out c\n",
    );
  });

  it("plan --live reads its files, --crs, --controller-config and --after from the start folder", () => {
    const dir = path.join(ROOT, "test/fixtures/live/operator");
    const cwd = path.join(dir, "crs");
    const live = ["--live", "../team-a.yaml", "--live", "../team-b.yaml"];
    const json = ["--format", "json"];
    const fromRoot = run(plan, ["--live", "team-a.yaml", "team-b.yaml", "--stack", "migrate"], dir);
    expect(fromRoot.code, fromRoot.stderr).to.equal(0);
    expect(run(plan, [...live, "--stack", "migrate"], dir, { cwd })).to.deep.equal(fromRoot);
    const markdown = run(plan, [...live, "--stack", "migrate", "--format", "markdown"], dir, {
      cwd,
    });
    expect(markdown.stdout.split("\n")[0]).to.equal(
      "### Plan for stack `migrate` against the live objects in `team-a.yaml`, `team-b.yaml`",
    );
    const flags = ["--crs", ".", "--controller-config", "../integration_controller_conf.yaml"];
    const rootFlags = ["--crs", "crs", "--controller-config", "integration_controller_conf.yaml"];
    expect(run(plan, [...live, ...flags, ...json], dir, { cwd }).stdout).to.equal(
      run(plan, ["--live", "team-a.yaml", "team-b.yaml", ...rootFlags, ...json], dir).stdout,
    );
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-live-out-"));
    cleanup.push(scratch);
    const rendered = run(render, ["--stack", "migrate", "--out", "out"], dir, { cwd: scratch });
    expect(rendered.code, rendered.stderr).to.equal(0);
    const liveAbsolute = ["--live", path.join(dir, "team-a.yaml"), path.join(dir, "team-b.yaml")];
    const after = run(plan, [...liveAbsolute, "--after", "out", ...json], dir, { cwd: scratch });
    expect(after.code, after.stderr).to.equal(0);
    const planOnly = (text: string): object => ({
      ...(JSON.parse(text) as object),
      problems: undefined,
    });
    const stack = run(
      plan,
      ["--live", "team-a.yaml", "team-b.yaml", "--stack", "migrate", ...json],
      dir,
    );
    expect(planOnly(after.stdout)).to.deep.equal(planOnly(stack.stdout));
    // The render folder brings none of the stack's notes; the live objects' warnings remain.
    const problems = (JSON.parse(after.stdout) as { problems: { file: string }[] }).problems;
    expect(problems).to.have.length(2);
    expect(problems.map((p) => p.file)).to.deep.equal(["command line", "command line"]);
    const missing = run(plan, ["--live", "team-c.yaml", "--stack", "migrate"], dir, { cwd });
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/^error: crs\/team-c\.yaml: /m);
  });

  it("import-file writes --out into the start folder", () => {
    const dir = withStack();
    const cwd = path.join(dir, "work");
    const result = run(importFile, ["--stack", "dev", "--out", "import.json"], dir, { cwd });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal("wrote 6 resources to work/import.json\n");
    expect(fs.existsSync(path.join(cwd, "import.json"))).to.equal(true);
  });
});
