/**
 * A password written in a repository `deployment.toml`: warned about at its line, masked in
 * render's and plan's output (and in every message), and handed to the engine as a Pulumi
 * secret (the ConfigMap's data, the only field that holds it); the file reaches the pod, and editing
 * it changes the pod template, also when plan reads the stack from git (`--base`).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { main as render } from "../../../cli/render/main";
import { crYaml, run } from "../../cli/run";
import { cleanUp, project, runPlan } from "../../cli/plan/support";
import { runProgram } from "../../components/harness";

const PASSWORD = "Planted-S3cret-Value";
const TOML = `[server]\nhostname = "localhost"\n\n[keystore.primary]\npassword = "${PASSWORD}"\n`;
const STACK = [
  "config:",
  "  wso2-mi:namespace: apps",
  "  wso2-mi:crs: [crs]",
  "  wso2-mi:configFiles:",
  "    - file: conf/deployment.toml",
  "      mountPath: /home/wso2carbon/wso2mi-4.2.0/conf/deployment.toml",
  "",
].join("\n");

function configFilesProject(): string {
  return project({
    "Pulumi.dev.yaml": STACK,
    "crs/hello.yaml": crYaml("hello"),
    "conf/deployment.toml": TOML,
  });
}

describe("a password in a repository config file", () => {
  after(cleanUp);

  it("is warned about at its line, and render prints the file with the value masked", () => {
    const dir = configFilesProject();
    const { code, stdout, stderr } = run(render, ["--stack", "dev"], dir);
    expect(code, stderr).to.equal(0);
    expect(stderr).to.equal(
      'warning: conf/deployment.toml:5: [keystore.primary].password: the name looks secret but the value is written in the file, so git and the ConfigMap hold it in plain text: write password = "$secret{<alias>}" (Micro Integrator\'s secure vault) or password = "$env{<VARIABLE>}" with the variable set from a Secret (valueFrom.secretKeyRef); render and plan show it as [secret]\n',
    );
    expect(stdout).to.not.include(PASSWORD);
    const configMap = (loadAll(stdout) as { kind: string; data?: Record<string, string> }[]).find(
      (o) => o.kind === "ConfigMap",
    );
    expect(configMap?.data).to.deep.equal({
      "deployment.toml": TOML.replace(PASSWORD, "[secret]"),
    });
  });

  it("reaches the engine as a Pulumi secret, the ConfigMap's data and nothing else", async () => {
    const dir = configFilesProject();
    const runResult = await runProgram(dir, "wso2-mi", "dev", {
      "wso2-mi:namespace": "apps",
      "wso2-mi:crs": JSON.stringify(["crs"]),
      "wso2-mi:configFiles": JSON.stringify([
        {
          file: "conf/deployment.toml",
          mountPath: "/home/wso2carbon/wso2mi-4.2.0/conf/deployment.toml",
        },
      ]),
    });
    const configMaps = runResult.registrations.filter(
      (r) => r.type === "kubernetes:core/v1:ConfigMap",
    );
    expect(configMaps).to.have.length(1);
    // Pulumi serialises a map holding a secret as a secret map: the ConfigMap's data.
    const data = configMaps[0].inputs.data as Record<string, unknown>;
    expect(data[pulumi.runtime.specialSigKey]).to.equal(pulumi.runtime.specialSecretSig);
    expect(data.value).to.deep.equal({ "deployment.toml": TOML });
    const others = runResult.registrations.filter((r) => r !== configMaps[0]);
    expect(others.length).to.be.greaterThan(1);
    expect(JSON.stringify(others.map((r) => r.inputs))).to.not.include(PASSWORD);
    expect(JSON.stringify(runResult.log)).to.not.include(PASSWORD);
  });

  it("plan --base reads the file from git: an edit renames the ConfigMap and rolls the pods", () => {
    const dir = configFilesProject();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", ...args], {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    fs.writeFileSync(path.join(dir, "conf/deployment.toml"), TOML.replace("localhost", "mi.local"));
    const result = runPlan(["--stack", "dev", "--base", "HEAD"], dir);
    expect(result.code, result.stderr).to.equal(0);
    const lines = result.stdout.split("\n");
    expect(
      lines
        .filter((l) => /^[-+~]/.test(l))
        .map((l) => l.replace(/-files-[0-9a-f]{10}/, "-files-HASH")),
    ).to.deep.equal([
      "~  Deployment apps/hello-deployment",
      "+  ConfigMap apps/hello-files-HASH",
      "-  ConfigMap apps/hello-files-HASH",
    ]);
    expect(result.stdout).to.match(
      /spec\.template\.spec\.volumes\[config-files\]\.configMap\.name: hello-files-[0-9a-f]{10} => hello-files-[0-9a-f]{10}/,
    );
    expect(result.stdout + result.stderr).to.not.include(PASSWORD);
    for (const format of ["markdown", "json"]) {
      const planned = runPlan(["--stack", "dev", "--base", "HEAD", "--format", format], dir);
      expect(planned.code, planned.stderr).to.equal(0);
      expect(planned.stdout, format).to.include("hello-files-");
      expect(planned.stdout + planned.stderr, format).to.not.include(PASSWORD);
    }
  });
});
