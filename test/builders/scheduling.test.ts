/** Scheduling and identity (`pod`): what the builders put in the pod template, and what never moves. */
import { expect } from "chai";
import { buildDeployment } from "../../components/builders";
import { DEFAULT_RUN_AS } from "../../components/model/defaults/platform";
import { restrictedViolations } from "../support/podSecurity";
import { schemaProblems } from "../support/schema";
import { integration } from "./fixtures";

describe("scheduling and identity in the builders", () => {
  const scheduled = integration({
    nodeSelector: { pool: "integrations", "kubernetes.io/os": "linux" },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "mi", effect: "NoSchedule" }],
    priorityClassName: "business-critical",
    serviceAccountName: "orders-api",
    podLabels: { team: "payments" },
    podAnnotations: { "example.com/owner": "payments" },
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            preference: {
              matchExpressions: [{ key: "pool", operator: "In", values: ["integrations"] }],
            },
          },
        ],
      },
    },
    podSecurity: { ...DEFAULT_RUN_AS },
  });

  it("sets every field on the pod template, schema-valid and still restricted", () => {
    const deployment = buildDeployment(scheduled);
    const template = deployment.spec?.template ?? {};
    expect(template.metadata).to.deep.equal({
      labels: { team: "payments", app: "integration", integration_cr: "hello" },
      annotations: { "example.com/owner": "payments" },
    });
    expect(template.spec).to.include({
      priorityClassName: "business-critical",
      serviceAccountName: "orders-api",
    });
    expect(template.spec?.nodeSelector).to.deep.equal({
      "kubernetes.io/os": "linux",
      pool: "integrations",
    });
    expect(template.spec?.tolerations).to.deep.equal([
      { key: "dedicated", operator: "Equal", value: "mi", effect: "NoSchedule" },
    ]);
    expect(template.spec?.affinity).to.deep.equal(scheduled.affinity);
    expect(schemaProblems(deployment)).to.deep.equal([]);
    expect(restrictedViolations(template)).to.deep.equal([]);
  });

  it("mounts the named service account's token, and no token without one", () => {
    expect(buildDeployment(scheduled).spec?.template.spec).to.not.have.property(
      "automountServiceAccountToken",
    );
    const unnamed = buildDeployment({ ...scheduled, serviceAccountName: undefined });
    expect(unnamed.spec?.template.spec?.automountServiceAccountToken).to.equal(false);
  });

  it("never puts the extra labels in a selector", () => {
    const deployment = buildDeployment(scheduled);
    expect(deployment.spec?.selector).to.deep.equal({
      matchLabels: { app: "integration", integration_cr: "hello" },
    });
    expect(deployment.metadata?.labels).to.deep.equal({
      app: "integration",
      integration_cr: "hello",
    });
  });
});
