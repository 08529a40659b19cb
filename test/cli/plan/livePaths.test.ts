import { expect } from "chai";
import { parsePlanArgs } from "../../../cli/plan/args";
import { matchesPattern, pathSteps, valueAt } from "../../../cli/plan/livePaths";

describe("plan --live: paths and flags", () => {
  it("reads a path's fields, list items and quoted keys as steps", () => {
    expect(
      pathSteps('metadata.annotations["kubernetes.io/ingress.class"].x[a"b]["c]\\"d"][port=8290]'),
    ).to.deep.equal([
      { name: "metadata", bracket: false },
      { name: "annotations", bracket: false },
      { name: "kubernetes.io/ingress.class", bracket: true },
      { name: "x", bracket: false },
      { name: 'a"b', bracket: true },
      { name: 'c]"d', bracket: true },
      { name: "port=8290", bracket: true },
    ]);
  });

  it("matches [] to any list item, and a quoted key only to itself", () => {
    const pattern = pathSteps("spec.template.spec.containers[].ports[].protocol");
    expect(
      matchesPattern(
        pattern,
        pathSteps(
          "spec.template.spec.containers[micro-integrator].ports[containerPort=8290].protocol",
        ),
      ),
    ).to.equal(true);
    expect(matchesPattern(pattern, pathSteps("spec.template.spec.containers[a].ports"))).to.equal(
      false,
    );
    const annotation = pathSteps('metadata.annotations["kubernetes.io/ingress.class"]');
    expect(matchesPattern(annotation, pathSteps('metadata.annotations["a.io/b"]'))).to.equal(false);
  });

  it("follows item labels into an object", () => {
    const object = {
      spec: { ports: [{ port: 8290, name: "a8290" }], rules: [{ host: "h" }, { host: "h" }] },
    };
    expect(valueAt(object, pathSteps("spec.ports[port=8290].name"))).to.equal("a8290");
    expect(valueAt(object, pathSteps("spec.ports[a8290].port"))).to.equal(8290);
    expect(valueAt(object, pathSteps("spec.rules[1]"))).to.deep.equal({ host: "h" });
    expect(valueAt(object, pathSteps("spec.missing[0]"))).to.equal(undefined);
  });

  it("--live and --crs take several paths each, in any order with the other flags", () => {
    const parsed = parsePlanArgs([
      "--live",
      "a.yaml",
      "b.yaml",
      "--crs",
      "crs/x.yaml",
      "crs/y",
      "--namespace",
      "ns",
      "--live",
      "c.yaml",
      "--format",
      "json",
    ]);
    expect(parsed).to.deep.equal({
      ok: true,
      args: {
        mode: "live",
        live: ["a.yaml", "b.yaml", "c.yaml"],
        request: { crs: ["crs/x.yaml", "crs/y"], namespace: "ns" },
        format: "json",
        expectNoChanges: false,
        help: false,
      },
    });
  });
});
