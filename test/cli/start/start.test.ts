import { expect } from "chai";
import { main } from "../../../cli/start/main";
import { run } from "../run";

describe("start", () => {
  it("summarises what pulumi up would create for the dev stack", () => {
    const { code, stdout, stderr } = run(main, []);
    expect(code, stderr).to.equal(0);
    const host = "http://dev.integrations.example.com";
    expect(stdout).to.equal(
      [
        "Stack dev (stacks/Pulumi.dev.yaml), rendered offline: `pulumi up --stack dev` would create 15 objects.",
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
});
