import { expect } from "chai";
import { diffValues } from "../../../cli/plan/diff";
import { formatValue, maskSecrets, type Value } from "../../../cli/plan/values";

/** The changes between two values, with every value written as the formats write it. */
function diff(before: unknown, after: unknown): string[] {
  return diffValues(maskSecrets(before), maskSecrets(after)).map(
    (c) => `${c.path}: ${formatValue(c.before)} => ${formatValue(c.after)}`,
  );
}

describe("plan: field differences", () => {
  it("finds nothing between equal objects, whatever their key order", () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).to.deep.equal([]);
  });

  it("names changed, added and removed fields by path, keys sorted", () => {
    expect(diff({ spec: { b: 1, c: "x" } }, { spec: { a: true, b: 2 } })).to.deep.equal([
      "spec.a: (none) => true",
      "spec.b: 1 => 2",
      "spec.c: x => (none)",
    ]);
  });

  it("quotes keys that are not plain names, as problems do", () => {
    expect(
      diff(
        { metadata: { annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/$1" } } },
        { metadata: { annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/$2" } } },
      ),
    ).to.deep.equal([
      'metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"]: /$1 => /$2',
    ]);
  });

  it("matches list items by name, so an insertion changes one path", () => {
    const env = (names: string[]) => ({ env: names.map((name) => ({ name, value: `${name}-v` })) });
    expect(diff(env(["A", "C"]), env(["A", "B", "C"]))).to.deep.equal([
      "env[B]: (none) => {name: B, value: B-v}",
    ]);
  });

  it("keys containers by name, unnamed ports by containerPort, Ingress paths by path", () => {
    const before = {
      containers: [{ name: "micro-integrator", ports: [{ containerPort: 8290 }] }],
      paths: [{ path: "/a-service(/|$)(.*)", backend: { service: { name: "a" } } }],
    };
    const after = {
      containers: [
        { name: "micro-integrator", ports: [{ containerPort: 8290 }, { containerPort: 8000 }] },
      ],
      paths: [{ path: "/a-service(/|$)(.*)", backend: { service: { name: "b" } } }],
    };
    expect(diff(before, after)).to.deep.equal([
      "containers[micro-integrator].ports[containerPort=8000]: (none) => {containerPort: 8000}",
      "paths[/a-service(/|$)(.*)].backend.service.name: a => b",
    ]);
  });

  it("says when named items only move, with their old and new order", () => {
    const ports = (names: string[]) => ({ ports: names.map((name) => ({ name, port: 1 })) });
    expect(diff(ports(["a", "b"]), ports(["b", "a"]))).to.deep.equal(["ports: [a, b] => [b, a]"]);
  });

  it("falls back to positions when items share or lack a key", () => {
    const metrics = (a: number, b: number) => ({
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: a } },
        { type: "Resource", resource: { name: "memory", target: b } },
      ],
    });
    expect(diff(metrics(70, 80), metrics(70, 90))).to.deep.equal([
      "metrics[1].resource.target: 80 => 90",
    ]);
  });

  it("shows a list of plain values whole", () => {
    expect(diff({ command: ["sh", "-c", "a"] }, { command: ["sh", "-c", "b"] })).to.deep.equal([
      "command: [sh, -c, a] => [sh, -c, b]",
    ]);
  });

  it("shows a list of named items that appears or disappears item by item", () => {
    expect(
      diff(
        {},
        {
          env: [
            { name: "A", value: "x" },
            { name: "B", value: "2" },
          ],
        },
      ),
    ).to.deep.equal([
      "env[A]: (none) => {name: A, value: x}",
      'env[B]: (none) => {name: B, value: "2"}',
    ]);
    expect(diff({ env: [{ name: "A", value: "x" }] }, {})).to.deep.equal([
      "env[A]: {name: A, value: x} => (none)",
    ]);
  });

  it("writes strings bare only when they cannot be read as something else", () => {
    const shown = (["ex/app:1", "8290", "true", "", " x", "a: b", "a\nb", null] as Value[]).map(
      formatValue,
    );
    expect(shown).to.deep.equal([
      "ex/app:1",
      '"8290"',
      '"true"',
      '""',
      '" x"',
      '"a: b"',
      '"a\\nb"',
      "null",
    ]);
  });
});
