import { expect } from "chai";
import { computePlan } from "../../../cli/plan/compute";
import { formatJson } from "../../../cli/plan/json";
import { formatText } from "../../../cli/plan/text";
import { deployment, service } from "./support";

function ingress(name: string, host = "example.com"): object {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, namespace: "ns" },
    spec: { rules: [{ host }] },
  };
}

describe("plan: replaces", () => {
  it("a Deployment whose selector changes is replaced, with the reason", () => {
    const labels = { app: "integration", integration_cr: "a", tier: "x" };
    const plan = computePlan(
      [deployment("a")],
      [deployment("a", {}, { selector: { matchLabels: labels } })],
    );
    expect(formatText(plan)).to.equal(
      [
        "+- Deployment ns/a-deployment",
        "      replace: spec.selector changed, and Kubernetes cannot change a Deployment's spec.selector in place",
        "      + spec.selector.matchLabels.tier: x",
        "",
        "Plan: 0 to create, 0 to update, 1 to replace, 0 to delete, 0 unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("a Service whose clusterIP changes is replaced", () => {
    const plan = computePlan(
      [service("a", { clusterIP: "10.0.0.1" })],
      [service("a", { clusterIP: "None" })],
    );
    expect((JSON.parse(formatJson(plan)) as { replace: unknown }).replace).to.deep.equal([
      {
        apiVersion: "v1",
        kind: "Service",
        namespace: "ns",
        name: "a-service",
        reason:
          "spec.clusterIP changed, and Kubernetes cannot change a Service's spec.clusterIP in place",
        changes: [{ path: "spec.clusterIP", before: "10.0.0.1", after: "None" }],
      },
    ]);
  });

  it("a Service that becomes or stops being ExternalName is replaced; other type changes are updates", () => {
    const external = service("a", { type: "ExternalName", externalName: "db.example.com" });
    const toExternal = computePlan([service("a")], [external]);
    expect(toExternal.replace.map((e) => e.reason)).to.deep.equal([
      "spec.type changed from ClusterIP to ExternalName: a Service of type ExternalName has no " +
        "cluster IP, and Kubernetes cannot give or take one in place",
    ]);
    expect(computePlan([external], [service("a")]).replace).to.have.length(1);
    const toNodePort = computePlan([service("a")], [service("a", { type: "NodePort" })]);
    expect(toNodePort.replace).to.deep.equal([]);
    expect(toNodePort.update.map((e) => e.changes)).to.deep.equal([
      [{ path: "spec.type", before: "ClusterIP", after: "NodePort" }],
    ]);
  });

  it("an object renamed with nothing else changed is one replace, saying it is a delete and a create", () => {
    const plan = computePlan([ingress("api-operator-ingress")], [ingress("mi-ingress")]);
    expect(plan.create).to.deep.equal([]);
    expect(plan.delete).to.deep.equal([]);
    expect(formatText(plan)).to.equal(
      [
        "+- Ingress ns/mi-ingress",
        "      replace: renamed from api-operator-ingress: Kubernetes cannot rename an object, so " +
          "api-operator-ingress is deleted and mi-ingress created",
        "      ~ metadata.name: api-operator-ingress => mi-ingress",
        "",
        "Plan: 0 to create, 0 to update, 1 to replace, 0 to delete, 0 unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("an object renamed and changed is a delete and a create", () => {
    const plan = computePlan([ingress("old", "a.example.com")], [ingress("new", "b.example.com")]);
    expect([plan.create.map((e) => e.name), plan.delete.map((e) => e.name)]).to.deep.equal([
      ["new"],
      ["old"],
    ]);
    expect(plan.replace).to.deep.equal([]);
  });

  it("identifies objects by API group, not version: a new HPA version is an update", () => {
    const hpa = (apiVersion: string) => ({
      apiVersion,
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "a-hpa", namespace: "ns" },
      spec: { maxReplicas: 3 },
    });
    const plan = computePlan([hpa("autoscaling/v2beta2")], [hpa("autoscaling/v2")]);
    expect(plan.update.map((e) => e.changes)).to.deep.equal([
      [{ path: "apiVersion", before: "autoscaling/v2beta2", after: "autoscaling/v2" }],
    ]);
  });
});
