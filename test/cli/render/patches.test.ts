/** A patch that fails stops render (exit 1) with the stack file's line, the patch and the object. */
import { expect } from "chai";
import { main } from "../../../cli/render/main";
import { crYaml, run, tempProject } from "../run";

describe("render with patches", () => {
  it("prints the patched objects, and refuses a patch the schema rejects, at its line", () => {
    const stack = (value: string) =>
      [
        "config:",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:patches:",
        "    - kind: Deployment",
        `      mergePatch: { spec: { template: { spec: { dnsPolicy: ${value} } } } }`,
        "",
      ].join("\n");
    const good = tempProject({
      "Pulumi.dev.yaml": stack("None"),
      "crs/hello.yaml": crYaml("hello"),
    });
    const printed = run(main, ["--stack", "dev"], good);
    expect(printed.code, printed.stderr).to.equal(0);
    expect(printed.stdout).to.include("      dnsPolicy: None\n");
    const bad = tempProject({ "Pulumi.dev.yaml": stack("3"), "crs/hello.yaml": crYaml("hello") });
    const refused = run(main, ["--stack", "dev"], bad);
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.equal("");
    expect(refused.stderr).to.equal(
      "error: Pulumi.dev.yaml:5: wso2-mi:patches[0]: cannot be applied to Deployment apps/hello-deployment: the result is not a valid Deployment: /spec/template/spec/dnsPolicy must be string\n",
    );
  });
});
