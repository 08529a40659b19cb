import { expect } from "chai";
import { buildHpa, buildIntegrationObjects } from "../../components/builders";
import { schemaProblems } from "../support/schema";
import { CPU_70, integration } from "./fixtures";

describe("buildHpa", () => {
  it("builds the exact HPA when autoscaling is on", () => {
    const hpa = buildHpa(
      integration({ minReplicas: 2, autoscaling: { maxReplicas: 5, metrics: CPU_70 } }),
    );
    expect(hpa).to.deep.equal({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: {
        name: "hello-hpa",
        namespace: "apps",
        labels: { app: "integration", integration_cr: "hello" },
      },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "hello-deployment" },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
    });
    expect(schemaProblems(hpa!)).to.deep.equal([]);
  });

  it("copies the metrics rather than sharing them with the model", () => {
    const metrics = structuredClone(CPU_70);
    const hpa = buildHpa(integration({ autoscaling: { maxReplicas: 3, metrics } }));
    expect(hpa?.spec?.metrics).to.deep.equal(metrics);
    expect(hpa?.spec?.metrics).to.not.equal(metrics);
  });

  it("leaves metrics out when there are none", () => {
    const hpa = buildHpa(integration({ autoscaling: { maxReplicas: 3, metrics: [] } }));
    expect(hpa?.spec).to.deep.equal({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "hello-deployment" },
      minReplicas: 1,
      maxReplicas: 3,
    });
  });

  it("is absent when autoscaling is off", () => {
    expect(buildHpa(integration())).to.equal(undefined);
    expect(buildIntegrationObjects(integration())).to.not.have.property("hpa");
  });
});

describe("buildIntegrationObjects", () => {
  it("with autoscaling: the HPA and a Deployment without replicas", () => {
    const objects = buildIntegrationObjects(
      integration({ autoscaling: { maxReplicas: 4, metrics: CPU_70 } }),
    );
    expect(Object.keys(objects)).to.deep.equal(["deployment", "service", "hpa"]);
    expect(objects.hpa?.metadata?.name).to.equal("hello-hpa");
    expect(objects.deployment.spec).to.not.have.property("replicas");
    expect(objects.service.metadata?.name).to.equal("hello-service");
  });
});
