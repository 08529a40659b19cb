import { expect } from "chai";
import { integrationEndpoints } from "../../components/builders";
import { ingress, integration } from "./fixtures";

describe("integrationEndpoints", () => {
  it("without the Ingress: service, port-forward and logs only", () => {
    expect(integrationEndpoints(integration({ inboundPorts: [8000] }))).to.deep.equal({
      serviceName: "hello-service",
      inboundUrls: {},
      portForward: "kubectl port-forward -n apps service/hello-service 8290:8290",
      logs: "kubectl logs -n apps -l integration_cr=hello",
    });
  });

  it("with the Ingress over http: the service URL and one URL per inbound port", () => {
    expect(
      integrationEndpoints(integration({ inboundPorts: [9000, 8000] }), ingress()),
    ).to.deep.equal({
      serviceName: "hello-service",
      ingressUrl: "http://wso2ei.ingress.wso2.com/hello-service",
      inboundUrls: {
        "8000": "http://wso2ei.ingress.wso2.com/hello-inbound/8000",
        "9000": "http://wso2ei.ingress.wso2.com/hello-inbound/9000",
      },
      portForward: "kubectl port-forward -n apps service/hello-service 8290:8290",
      logs: "kubectl logs -n apps -l integration_cr=hello",
    });
  });

  it("with TLS: https URLs", () => {
    const endpoints = integrationEndpoints(
      integration({ inboundPorts: [8000] }),
      ingress({ host: "mi.example.com", tlsSecretName: "mi-tls", scheme: "https" }),
    );
    expect(endpoints.ingressUrl).to.equal("https://mi.example.com/hello-service");
    expect(endpoints.inboundUrls).to.deep.equal({
      "8000": "https://mi.example.com/hello-inbound/8000",
    });
  });

  it("forwards the passthrough port", () => {
    expect(integrationEndpoints(integration({ passthroPort: 8291 })).portForward).to.equal(
      "kubectl port-forward -n apps service/hello-service 8291:8291",
    );
  });

  it("names a placeholder when the Ingress has no host", () => {
    expect(integrationEndpoints(integration(), ingress({ host: "" })).ingressUrl).to.equal(
      "http://<ingress-address>/hello-service",
    );
  });
});
