import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../../cli/start/main";
import { runProgram, stackConfig } from "../../components/harness";
import { ROOT, run } from "../run";

describe("start", () => {
  it("summarises what the dev stack deploys", () => {
    const { code, stdout, stderr } = run(main, []);
    expect(code, stderr).to.equal(0);
    const host = "http://dev.integrations.example.com";
    expect(stdout).to.equal(
      [
        "Stack dev (stacks/Pulumi.dev.yaml), rendered offline: 6 integrations, 15 Kubernetes objects.",
        "",
        "Namespace integrations-dev",
        "  INTEGRATION            IMAGE                                                REPLICAS  PORTS           INGRESS URL",
        `  content-based-routing  docker.io/wso2/content-based-routing-mi:1.0.0        1         8290            ${host}/content-based-routing-service`,
        `  hello-world            docker.io/wso2/hello-world-mi:1.0.0                  1         8290            ${host}/hello-world-service`,
        `  inbound-samples        docker.io/wso2/inbound-samples-mi:1.0.0              1         8290,8000,9000  ${host}/inbound-samples-service`,
        `  jms-example            docker.io/wso2/jms-example-mi:1.0.0                  1         8290            ${host}/jms-example-service`,
        `  private-hello-world    registry.example.com/integrations/hello-world:1.0.0  1         8290            ${host}/private-hello-world-service`,
        `  sample-integration     docker.io/wso2/sample-integration-mi:1.0.0           HPA 1-3   8290,8000,9000  ${host}/sample-integration-service`,
        "  Ingress ei-operator-ingress: host dev.integrations.example.com",
        "",
        "Objects: 6 Deployment, 1 HorizontalPodAutoscaler, 1 Ingress, 1 PodDisruptionBudget, 6 Service",
        "Pulumi resources: 24 (the stack, 1 IntegrationStack, 6 Integration, 1 SharedIngress, " +
          "15 Kubernetes objects); the first `pulumi up --stack dev` creates them all, a later " +
          "one what changed (`pulumi preview` shows which)",
        "",
        "Next:",
        "  npm run render -- --stack dev  every manifest, as YAML",
        "  pulumi preview --stack dev     the same objects as a diff against a cluster (needs the Pulumi CLI and a cluster)",
        "",
      ].join("\n"),
    );
    expect(stderr).to.equal("");
  });

  it("exits 1 naming the stack file for a stack that does not exist", () => {
    const { code, stdout, stderr } = run(main, ["--stack", "nope"]);
    expect(code).to.equal(1);
    expect(stdout).to.equal("");
    expect(stderr).to.match(
      /^error: stacks\/Pulumi\.nope\.yaml: no such stack file; the stacks are .*\bdev\b.*\n$/,
    );
  });

  it("exits 2 for an unknown flag", () => {
    const { code, stdout, stderr } = run(main, ["--out", "x"]);
    expect(code).to.equal(2);
    expect(stdout).to.equal("");
    expect(stderr).to.match(/^start: Unknown option '--out'\n\nusage: npm start/);
  });

  it("says, like render, nothing of tags for a stack whose image lock pins every image", () => {
    // prod's images are all in stacks/prod.images.lock.yaml: start counts the locked digests.
    const { code, stderr } = run(main, ["--stack", "prod"]);
    expect(code).to.equal(0);
    expect(stderr).to.equal("");
  });

  describe("counts every resource the program registers", () => {
    const stacks = fs
      .readdirSync(path.join(ROOT, "stacks"))
      .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
      .map((f) => f.slice("Pulumi.".length, -".yaml".length));

    it("covers every example stack", () => {
      expect(stacks.sort()).to.deep.equal(["dev", "prod"]);
    });

    for (const stack of stacks) {
      it(stack, async () => {
        const { stdout } = run(main, ["--stack", stack]);
        const counted = /^Pulumi resources: (\d+) /m.exec(stdout)?.[1];
        const program = await runProgram(
          ROOT,
          "wso2-mi",
          stack,
          stackConfig(ROOT, "wso2-mi", stack),
        );
        expect(program.registrations.length).to.be.greaterThan(10);
        expect(Number(counted)).to.equal(program.registrations.length);
      });
    }
  });
});
