import { expect } from "chai";
import { checkMetrics } from "../../../components/model/rules";
import { place, reported } from "../support";

const cpu = {
  type: "Resource",
  resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
};

describe("rules: HPA metrics", () => {
  it("accepts every metric source type", () => {
    const at = place("hpaMetrics");
    const metrics = [
      cpu,
      {
        type: "ContainerResource",
        containerResource: {
          name: "memory",
          container: "micro-integrator",
          target: { type: "AverageValue", averageValue: "500Mi" },
        },
      },
      {
        type: "Pods",
        pods: {
          metric: { name: "requests", selector: { matchLabels: { a: "b" } } },
          target: { type: "AverageValue", averageValue: "1k" },
        },
      },
      {
        type: "Object",
        object: {
          describedObject: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "main" },
          metric: { name: "hits" },
          target: { type: "Value", value: 10 },
        },
      },
      {
        type: "External",
        external: {
          metric: {
            name: "queue",
            selector: { matchExpressions: [{ key: "q", operator: "In", values: ["a"] }] },
          },
          target: { type: "Value", value: "30" },
        },
      },
    ];
    const result = checkMetrics(metrics, at);
    expect(result?.slice(0, 3)).to.deep.equal(metrics.slice(0, 3));
    // A YAML number as a quantity comes back as a string.
    expect(result?.[3]).to.deep.equal({
      type: "Object",
      object: {
        describedObject: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "main" },
        metric: { name: "hits" },
        target: { type: "Value", value: "10" },
      },
    });
    expect(result?.[4]).to.deep.equal(metrics[4]);
    expect(reported(at)).to.deep.equal([]);
  });

  it("needs a list", () => {
    const at = place("hpaMetrics");
    expect(checkMetrics(cpu, at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: hpaMetrics: expected a list of autoscaling/v2 metrics, got a mapping",
    ]);
  });

  it("checks the type and its member", () => {
    const at = place("hpaMetrics");
    const metrics = [
      { type: "Resourse", resource: cpu.resource },
      { type: "Pods", resource: cpu.resource },
      {
        type: "Resource",
        resource: cpu.resource,
        pods: { metric: { name: "x" }, target: { type: "Value", value: 1 } },
      },
    ];
    expect(checkMetrics(metrics, at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      'error: x.yaml: hpaMetrics[0].type: expected "Resource", "ContainerResource", "Pods", "Object" or "External", got "Resourse"; did you mean "Resource"?',
      "error: x.yaml: hpaMetrics[1].resource: belongs to type Resource; this metric's type is Pods",
      "error: x.yaml: hpaMetrics[1].pods: required for type Pods",
      "error: x.yaml: hpaMetrics[2].pods: belongs to type Pods; this metric's type is Resource",
    ]);
  });

  it("checks the deep shape: unknown fields, required fields, types, targets", () => {
    const at = place("hpaMetrics");
    const metrics = [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilisation: 70 } },
      },
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: "70" } },
      },
      { type: "Resource", resource: { target: { type: "AverageValue", averageValue: "lots" } } },
      {
        type: "Pods",
        pods: { metric: { name: "rps" }, target: { type: "Utilization", averageUtilization: 50 } },
      },
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 0 } },
      },
    ];
    expect(checkMetrics(metrics, at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      'error: x.yaml: hpaMetrics[0].resource.target.averageUtilisation: unknown field; did you mean "averageUtilization"?',
      'error: x.yaml: hpaMetrics[1].resource.target.averageUtilization: expected an integer, got the string "70"; write 70 without quotes',
      "error: x.yaml: hpaMetrics[2].resource.name: required field is missing",
      `error: x.yaml: hpaMetrics[2].resource.target.averageValue: "lots" is not a Kubernetes quantity; write a number with an optional suffix: m (1/1000), k M G T P E, or Ki Mi Gi Ti Pi Ei, e.g. "500m", "2", "512Mi"`,
      'error: x.yaml: hpaMetrics[3].pods.target.type: Utilization applies only to Resource and ContainerResource metrics; use "Value" or "AverageValue"',
      "error: x.yaml: hpaMetrics[4].resource.target.averageUtilization: must be at least 1, got 0",
    ]);
  });
});
