/** Metrics: the port, the Service port, the scrape annotations and the ServiceMonitor. */
import { expect } from "chai";
import {
  buildDeployment,
  buildIntegrationObjects,
  buildService,
  buildServiceMonitor,
  integrationObjectList,
} from "../../components/builders";
import { schemaProblems } from "../support/schema";
import { integration } from "./fixtures";

const withMetrics = integration({
  metrics: { annotations: true, serviceMonitor: { interval: "30s", labels: { release: "prom" } } },
});

describe("metrics in the builders", () => {
  it("exposes 9201 as the metrics port of the container and the Service", () => {
    const deployment = buildDeployment(withMetrics);
    expect(deployment.spec?.template.spec?.containers[0].ports).to.deep.equal([
      { containerPort: 8290, protocol: "TCP" },
      { name: "metrics", containerPort: 9201, protocol: "TCP" },
    ]);
    const service = buildService(withMetrics);
    expect(service.spec?.ports?.at(-1)).to.deep.equal({
      name: "metrics",
      port: 9201,
      targetPort: 9201,
      protocol: "TCP",
    });
    expect(schemaProblems(deployment)).to.deep.equal([]);
    expect(schemaProblems(service)).to.deep.equal([]);
  });

  it("annotates the pod for annotation-based scrapers, unless told not to", () => {
    expect(buildDeployment(withMetrics).spec?.template.metadata?.annotations).to.deep.equal({
      "prometheus.io/path": "/metric-service/metrics",
      "prometheus.io/port": "9201",
      "prometheus.io/scrape": "true",
    });
    const quiet = buildDeployment(integration({ metrics: { annotations: false } }));
    expect(quiet.spec?.template.metadata).to.not.have.property("annotations");
  });

  it("builds a ServiceMonitor N-metrics that the prometheus-operator schema accepts", () => {
    const monitor = buildServiceMonitor(withMetrics);
    expect(monitor).to.deep.equal({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: {
        name: "hello-metrics",
        namespace: "apps",
        labels: { app: "integration", integration_cr: "hello", release: "prom" },
      },
      spec: {
        selector: { matchLabels: { app: "integration", integration_cr: "hello" } },
        endpoints: [{ port: "metrics", path: "/metric-service/metrics", interval: "30s" }],
      },
    });
    expect(schemaProblems(monitor ?? buildService(withMetrics))).to.deep.equal([]);
    expect(
      integrationObjectList(buildIntegrationObjects(withMetrics)).map((o) => o.kind),
    ).to.deep.equal(["Deployment", "Service", "ServiceMonitor"]);
  });

  it("adds nothing without metrics", () => {
    const objects = buildIntegrationObjects(integration());
    expect(objects.serviceMonitor).to.equal(undefined);
    expect(objects.service.spec?.ports).to.have.length(1);
  });
});
