import { expect } from "chai";
import { buildDeployment, buildIngresses, buildService } from "../../components/builders";
import { schemaProblems } from "../support/schema";
import { integration, stack } from "./fixtures";

/** Puts a value of the wrong type where the types would not allow it. */
function wrong<T>(value: unknown): T {
  return value as T;
}

describe("schemaProblems (the test harness itself)", () => {
  const deployment = () => buildDeployment(integration());
  const service = () => buildService(integration());

  it("reports a port given as a string", () => {
    const bad = deployment();
    bad.spec!.template.spec!.containers[0].ports![0].containerPort = wrong<number>("8290");
    expect(schemaProblems(bad)).to.deep.equal([
      "spec.template.spec.containers[0].ports[0].containerPort: must be integer",
      'spec.template.spec.containers[0].ports[0].containerPort: port must be an integer in 1-65535, not "8290"',
    ]);
  });

  it("reports unknown fields, at any depth, once at the topmost unknown key", () => {
    const bad = deployment();
    Object.assign(bad.spec!, { minReplica: 1 });
    Object.assign(bad.spec!.template.spec!.containers[0].livenessProbe!.tcpSocket!, { prot: 8290 });
    Object.assign(bad.metadata!, { extra: { nested: true } });
    expect(schemaProblems(bad)).to.deep.equal([
      "metadata.extra: unknown field",
      "spec.template.spec.containers[0].livenessProbe.tcpSocket.prot: unknown field",
      "spec.minReplica: unknown field",
    ]);
  });

  it("accepts any key in free-form maps (labels, annotations, selectors)", () => {
    const ok = service();
    ok.metadata!.labels!["example.com/team"] = "payments";
    ok.metadata!.annotations = { "anything.example.com/at-all": "value: with colon" };
    expect(schemaProblems(ok)).to.deep.equal([]);
  });

  it("reports a too-long name, and a Service name that is not a DNS-1035 label", () => {
    const longName = "a".repeat(254);
    const badDeployment = deployment();
    badDeployment.metadata!.name = longName;
    expect(schemaProblems(badDeployment)).to.deep.equal([
      `metadata.name: "${longName}" must be a DNS-1123 subdomain (lower-case alphanumerics, '-', '.'; at most 253)`,
    ]);
    const badService = service();
    badService.metadata!.name = "1-service";
    expect(schemaProblems(badService)).to.deep.equal([
      'metadata.name: "1-service" must be a DNS-1035 label (starts with a letter; at most 63)',
    ]);
  });

  it("reports a label value over 63 characters", () => {
    const bad = service();
    bad.metadata!.labels!.integration_cr = "x".repeat(64);
    expect(schemaProblems(bad)).to.deep.equal([
      "metadata.labels.integration_cr: label value must be at most 63 characters, not 64",
    ]);
  });

  it("reports Service port names that are not DNS-1123 labels, and ports out of range", () => {
    const bad = service();
    bad.spec!.ports![0].name = "Hello_8290";
    bad.spec!.ports![0].port = 70000;
    expect(schemaProblems(bad)).to.deep.equal([
      "spec.ports[0].name: \"Hello_8290\" must be a DNS-1123 label (lower-case alphanumerics and '-'; at most 63)",
      "spec.ports[0].port: port must be an integer in 1-65535, not 70000",
    ]);
  });

  it("reports a selector that does not match the pod labels, and a mount of a missing volume", () => {
    const bad = deployment();
    bad.spec!.template.metadata!.labels!.integration_cr = "other";
    bad.spec!.template.spec!.containers[0].volumeMounts = [
      { name: "configmap-0", mountPath: "/x" },
    ];
    expect(schemaProblems(bad)).to.deep.equal([
      "spec.template.metadata.labels: `selector` does not match template `labels` (integration_cr)",
      'spec.template.spec.containers[0].volumeMounts[0].name: volume "configmap-0" not found',
    ]);
  });

  it("reports a wrong apiVersion and a missing required field", () => {
    const [bad] = buildIngresses(stack([integration()]));
    bad.apiVersion = wrong<"networking.k8s.io/v1">("extensions/v1beta1");
    delete (bad.spec!.rules![0].http!.paths[0] as { pathType?: string }).pathType;
    expect(schemaProblems(bad)).to.deep.equal([
      "apiVersion: must be equal to one of the allowed values",
      "spec.rules[0].http.paths[0]: must have required property pathType",
    ]);
  });
});
