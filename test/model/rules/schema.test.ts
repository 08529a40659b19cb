import { expect } from "chai";
import { type SchemaNode, checkSchema } from "../../../components/model/rules";
import { place, reported } from "../support";

const schema: SchemaNode = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string" },
    count: { type: "integer", format: "int32" },
    ratio: { type: "number" },
    on: { type: "boolean" },
    port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
    size: { "x-kubernetes-int-or-string": true, pattern: "^.*$" },
    tags: { type: "array", items: { type: "string" } },
    labels: { type: "object", additionalProperties: { type: "string" } },
    free: { type: "object" },
    mode: { type: "string", enum: ["In", "NotIn"] },
  },
};

describe("rules: schema walk", () => {
  it("returns a copy, int-or-string quantities as strings, nulls left out", () => {
    const at = place("x");
    const value = {
      name: "a",
      count: 3,
      ratio: 0.5,
      on: false,
      port: "http",
      size: 2,
      tags: ["t"],
      labels: { k: "v" },
      free: { anything: [1] },
      mode: "In",
    };
    const result = checkSchema({ ...value, ratio: null }, schema, at);
    const rest: Record<string, unknown> = { ...value, size: "2" };
    delete rest.ratio;
    expect(result).to.deep.equal(rest);
    expect(result).to.not.equal(value);
    expect(reported(at)).to.deep.equal([]);
  });

  it("rejects unknown fields, listing the known ones when none is close", () => {
    const at = place("x");
    expect(checkSchema({ name: "a", colour: "red", cuont: 1 }, schema, at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: x.colour: unknown field; the known fields are name, count, ratio, on, port, size, tags, labels, free, mode",
      'error: x.yaml: x.cuont: unknown field; did you mean "count"?',
    ]);
  });

  it("reports every type problem", () => {
    const at = place("x");
    const value = {
      count: 2147483648,
      ratio: "1",
      on: "true",
      port: 1.5,
      size: "2 Gi",
      tags: "t",
      labels: { k: 1 },
      free: [],
      mode: "in",
    };
    expect(checkSchema(value, schema, at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: x.name: required field is missing",
      "error: x.yaml: x.count: must be at most 2147483647 (the largest 32-bit integer, as Kubernetes requires), got 2147483648",
      'error: x.yaml: x.ratio: expected a number, got "1"',
      'error: x.yaml: x.on: expected true or false, got the string "true"; write true without quotes',
      "error: x.yaml: x.port: expected a whole number, got 1.5",
      'error: x.yaml: x.size: "2 Gi" is not a Kubernetes quantity; remove the spaces: "2Gi"',
      'error: x.yaml: x.tags: expected a list, got "t"',
      'error: x.yaml: x.labels.k: expected a string, got 1; quote it: "1"',
      "error: x.yaml: x.free: expected a mapping, got an empty list",
      'error: x.yaml: x.mode: expected "In" or "NotIn", got "in"; did you mean "In"?',
    ]);
  });
});
