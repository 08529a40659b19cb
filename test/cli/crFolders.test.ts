/**
 * A stack's CR folder, as every command and the program read it: a folder that holds no CR (kept
 * in git by a `.gitkeep`) means no integrations, so render, plan and `pulumi up` agree on
 * removing them; a missing folder is an error everywhere (a typo must never delete production),
 * except at `plan --base`, where a folder that did not exist yet held nothing then.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main as plan } from "../../cli/plan/main";
import { main as render } from "../../cli/render/main";
import { installMocks, runProgram, runRefusedProgram, stackConfig } from "../components/harness";
import { crYaml, run, tempProject } from "./run";

const NOTE =
  "note: stacks/dev: this folder holds no .yaml or .yml file, so the stack has no integration " +
  "from it (`pulumi up` removes any it deployed)\n";

const MISSING =
  "error: stacks/dev: no such file or folder; a stack with no integrations keeps an empty " +
  "folder (a .gitkeep keeps it in git), and a stack no longer wanted is removed with " +
  "`pulumi destroy`\n";

function git(repo: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
    cwd: repo,
    stdio: "ignore",
  });
}

describe("a stack's CR folder: empty is no integrations, missing is an error", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempProject({
      "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
      "stacks/Pulumi.dev.yaml": "config:\n  wso2-mi:namespace: apps\n",
      "stacks/dev/.gitkeep": "",
      "stacks/dev/hello.yaml": crYaml("hello"),
    });
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "hello");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("render and plan: the last CR removed leaves no objects, and plan deletes them all", () => {
    fs.rmSync(path.join(dir, "stacks/dev/hello.yaml"));
    expect(run(render, ["--stack", "dev"], dir)).to.deep.equal({
      code: 0,
      stdout: "",
      stderr: NOTE,
    });
    const planned = run(plan, ["--stack", "dev", "--base", "HEAD"], dir);
    expect(planned.stderr).to.equal(NOTE);
    expect(planned.code).to.equal(0);
    expect(planned.stdout).to.equal(
      [
        "-  Ingress apps/ei-operator-ingress",
        "-  Deployment apps/hello-deployment",
        "-  Service apps/hello-service",
        "",
        "Plan: 0 to create, 0 to update, 0 to replace, 3 to delete, 0 unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("the program registers no integration from it, and says why", async () => {
    fs.rmSync(path.join(dir, "stacks/dev/hello.yaml"));
    const result = await runProgram(dir, "wso2-mi", "dev", stackConfig(dir, "wso2-mi", "dev"));
    expect(result.registrations.map((r) => r.type)).to.deep.equal([
      "pulumi:pulumi:Stack",
      "wso2:integrations:IntegrationStack",
    ]);
    expect(result.log.infos).to.deep.equal([NOTE.slice("note: ".length, -1)]);
  });

  it("a missing folder is an error for render, plan and the program alike", async () => {
    fs.rmSync(path.join(dir, "stacks/dev"), { recursive: true });
    expect(run(render, ["--stack", "dev"], dir)).to.deep.equal({
      code: 1,
      stdout: "",
      stderr: MISSING,
    });
    expect(run(plan, ["--stack", "dev", "--base", "HEAD"], dir)).to.deep.equal({
      code: 1,
      stdout: "",
      stderr: MISSING,
    });
    installMocks("wso2-mi", "dev", stackConfig(dir, "wso2-mi", "dev"));
    const refused = await runRefusedProgram(dir);
    expect(refused.log.errors).to.deep.equal([MISSING.slice("error: ".length, -1)]);
  });

  it("plan --base: a folder missing at the base held nothing then (a new stack)", () => {
    git(dir, "rm", "-q", "-r", "stacks/dev");
    git(dir, "commit", "-q", "-m", "no CRs yet");
    fs.mkdirSync(path.join(dir, "stacks/dev"));
    fs.writeFileSync(path.join(dir, "stacks/dev/hello.yaml"), crYaml("hello"));
    const planned = run(plan, ["--stack", "dev", "--base", "HEAD"], dir);
    expect(planned.stderr).to.equal("");
    expect(planned.stdout).to.match(
      /^Plan: 3 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged\.\n$/m,
    );
  });
});
