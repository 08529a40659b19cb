import { expect } from "chai";
import { buildService } from "../../components/builders";
import { schemaProblems } from "../support/schema";
import { integration } from "./fixtures";

describe("buildService", () => {
  it("builds the exact Service of a small integration", () => {
    const service = buildService(integration());
    expect(service).to.deep.equal({
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "hello-service",
        namespace: "apps",
        labels: { app: "integration", integration_cr: "hello" },
      },
      spec: {
        type: "ClusterIP",
        selector: { app: "integration", integration_cr: "hello" },
        ports: [{ name: "hello8290", port: 8290, targetPort: 8290, protocol: "TCP" }],
      },
    });
    expect(schemaProblems(service)).to.deep.equal([]);
  });

  it("lists the passthrough port first, then inbound ports in the CR's order, named N<port>", () => {
    const service = buildService(
      integration({ name: "orders", passthroPort: 8290, inboundPorts: [9100, 8000] }),
    );
    expect(service.spec?.ports).to.deep.equal([
      { name: "orders8290", port: 8290, targetPort: 8290, protocol: "TCP" },
      { name: "orders9100", port: 9100, targetPort: 9100, protocol: "TCP" },
      { name: "orders8000", port: 8000, targetPort: 8000, protocol: "TCP" },
    ]);
    expect(schemaProblems(service)).to.deep.equal([]);
  });

  it("stays valid for the longest CR name (55) and a five-digit port", () => {
    const name = "a".repeat(55);
    const service = buildService(integration({ name, passthroPort: 65535, inboundPorts: [10000] }));
    expect(service.metadata?.name).to.equal(`${name}-service`);
    expect(service.spec?.ports?.map((p) => p.name)).to.deep.equal([`${name}65535`, `${name}10000`]);
    expect(schemaProblems(service)).to.deep.equal([]);
  });
});
