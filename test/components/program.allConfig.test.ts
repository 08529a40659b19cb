/**
 * The program reads its stack from `pulumi.runtime.allConfig()`; render reads the stack file.
 * Both go through `parseStackSettings`, so the one place they can diverge is how a stack file
 * becomes config strings. Here the strings are written by hand, the way the Pulumi CLI hands
 * them to a program (scalars as text, objects and lists as JSON), and must give the very
 * settings render reads from the same file.
 */
import * as path from "node:path";
import { expect } from "chai";
import { Problems } from "../../components/model/problems";
import { parseStackSettings, stackConfigFromFile } from "../../components/model/settings/stack";
import type { StackSettings } from "../../components/model/types";

const FILE = path.join(__dirname, "..", "fixtures", "stacks", "Pulumi.mixed.yaml");

/** What `pulumi.runtime.allConfig()` gives a program for Pulumi.mixed.yaml. */
const FROM_PULUMI: Record<string, string> = {
  "wso2-mi:namespace": "qa",
  "wso2-mi:crs": '["stacks/dev/hello-world.yaml","stacks/dev/inbound-samples.yaml"]',
  "wso2-mi:controllerConfig": "stacks/integration_controller_conf.yaml",
  "wso2-mi:defaults":
    '{"cpuLimit":"1500m","enableAutoScale":"true","livenessProbe":{"periodSeconds":7,"tcpSocket":{"port":8290}},"maxReplicas":4,"minReplicas":2,"requestCPU":0.5}',
  "wso2-mi:ingress":
    '{"annotations":{"nginx.ingress.kubernetes.io/configuration-snippet":"more_set_headers \\"X-Env: qa\\";"},"className":"nginx","host":"qa.example.com","tlsSecretName":"qa-tls"}',
  "kubernetes:context": "qa-cluster",
};

function settingsOf(config: Record<string, string>): { settings: object; problems: Problems } {
  const problems = new Problems();
  const parsed: StackSettings = parseStackSettings(
    config,
    { project: "wso2-mi", stack: "mixed", file: "stacks/Pulumi.mixed.yaml" },
    problems,
  );
  // The source names the file each came from; everything else must be equal.
  const settings: Partial<StackSettings> = { ...parsed };
  delete settings.source;
  return { settings, problems };
}

describe("the program's config and render's stack file give the same settings", () => {
  it("reads the stack file into the strings the Pulumi CLI hands a program", () => {
    const problems = new Problems();
    expect(stackConfigFromFile(FILE, "wso2-mi", problems)).to.deep.equal(FROM_PULUMI);
    expect(problems.list).to.deep.equal([]);
  });

  it("parses both into equal settings, every value shape included", () => {
    const fromPulumi = settingsOf(FROM_PULUMI);
    const problems = new Problems();
    const fromFile = settingsOf(stackConfigFromFile(FILE, "wso2-mi", problems));
    expect(fromPulumi.problems.list).to.deep.equal([]);
    expect(fromFile.problems.list).to.deep.equal([]);
    expect(fromFile.settings).to.deep.equal(fromPulumi.settings);
    expect(fromPulumi.settings).to.deep.include({
      namespace: "qa",
      crs: ["stacks/dev/hello-world.yaml", "stacks/dev/inbound-samples.yaml"],
      controllerConfig: "stacks/integration_controller_conf.yaml",
    });
    const { defaults, ingress } = fromPulumi.settings as StackSettings;
    expect(defaults).to.deep.include({
      minReplicas: 2,
      maxReplicas: 4,
      enableAutoScale: true,
      cpuLimit: "1500m",
      requestCPU: "0.5",
    });
    expect(ingress.annotations).to.deep.equal({
      "nginx.ingress.kubernetes.io/configuration-snippet": 'more_set_headers "X-Env: qa";',
    });
  });
});
