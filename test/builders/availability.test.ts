/**
 * Availability: the PodDisruptionBudget, spreading, the startup probe, the rolling update and
 * the HPA's behavior, as the builders make them from a resolved integration.
 */
import { expect } from "chai";
import {
  buildDeployment,
  buildHpa,
  buildIntegrationObjects,
  buildPodDisruptionBudget,
  integrationObjectList,
} from "../../components/builders";
import { schemaProblems } from "../support/schema";
import { CPU_70, integration } from "./fixtures";

const SELECTOR = { app: "integration", integration_cr: "hello" };

describe("availability in the builders", () => {
  it("builds a PodDisruptionBudget N-pdb allowing one pod down at a time", () => {
    const pdb = buildPodDisruptionBudget(integration({ disruptionBudget: true, minReplicas: 3 }));
    expect(pdb).to.deep.equal({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "hello-pdb", namespace: "apps", labels: SELECTOR },
      spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
    });
    expect(schemaProblems(pdb ?? buildDeployment(integration()))).to.deep.equal([]);
    expect(buildPodDisruptionBudget(integration())).to.equal(undefined);
  });

  it("lists the budget after the HPA among the integration's objects", () => {
    const objects = buildIntegrationObjects(
      integration({
        disruptionBudget: true,
        minReplicas: 2,
        autoscaling: { maxReplicas: 4, metrics: CPU_70 },
      }),
    );
    expect(integrationObjectList(objects).map((o) => o.kind)).to.deep.equal([
      "Deployment",
      "Service",
      "HorizontalPodAutoscaler",
      "PodDisruptionBudget",
    ]);
  });

  it("spreads pods softly across zones, then nodes, by the selector labels", () => {
    const deployment = buildDeployment(integration({ topologySpread: true }));
    expect(deployment.spec?.template.spec?.topologySpreadConstraints).to.deep.equal([
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: SELECTOR },
      },
      {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: SELECTOR },
      },
    ]);
    expect(schemaProblems(deployment)).to.deep.equal([]);
    expect(buildDeployment(integration()).spec?.template.spec).to.not.have.property(
      "topologySpreadConstraints",
    );
  });

  it("puts the startup probe on the container", () => {
    const startupProbe = { tcpSocket: { port: 8290 }, failureThreshold: 30, periodSeconds: 10 };
    const deployment = buildDeployment(integration({ startupProbe }));
    expect(deployment.spec?.template.spec?.containers[0].startupProbe).to.deep.equal(startupProbe);
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("takes the rolling update from the integration, else one pod added before one goes", () => {
    const custom = buildDeployment(
      integration({ rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } }),
    );
    expect(custom.spec?.strategy).to.deep.equal({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 },
    });
    expect(schemaProblems(custom)).to.deep.equal([]);
    expect(buildDeployment(integration()).spec?.strategy?.rollingUpdate).to.deep.equal({
      maxUnavailable: 0,
      maxSurge: 1,
    });
  });

  it("gives the HPA the behavior", () => {
    const behavior = {
      scaleDown: {
        stabilizationWindowSeconds: 600,
        policies: [{ type: "Pods", value: 1, periodSeconds: 120 }],
      },
    };
    const hpa = buildHpa(
      integration({ autoscaling: { maxReplicas: 5, metrics: CPU_70, behavior } }),
    );
    expect(hpa?.spec?.behavior).to.deep.equal(behavior);
    expect(schemaProblems(hpa ?? buildDeployment(integration()))).to.deep.equal([]);
  });
});
