import { expect } from "chai";
import {
  describeValue,
  INT32_MAX,
  checkBoolean,
  checkInteger,
  checkPort,
  parseGoBool,
} from "../../../components/model/rules";
import { place, reported } from "../support";

describe("rules: booleans", () => {
  it("accepts Go's strconv.ParseBool spellings and YAML booleans", () => {
    for (const s of ["1", "t", "T", "TRUE", "true", "True", true, 1])
      expect(parseGoBool(s)).to.equal(true);
    for (const s of ["0", "f", "F", "FALSE", "false", "False", false, 0])
      expect(parseGoBool(s)).to.equal(false);
  });

  it("rejects other spellings", () => {
    for (const s of ["yes", "on", "tRUE", "", 2, null, undefined, []])
      expect(parseGoBool(s)).to.equal(undefined);
  });

  it("reports a non-boolean with the accepted spellings", () => {
    const at = place("spec.autoScale.enabled");
    expect(checkBoolean("yes", at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      'error: x.yaml: spec.autoScale.enabled: expected a boolean, got "yes"; write true or false ' +
        "(also accepted: 1 t T TRUE true True 0 f F FALSE false False)",
    ]);
  });

  it("returns the parsed value without a problem", () => {
    const at = place("b");
    expect(checkBoolean("True", at)).to.equal(true);
    expect(checkBoolean(false, at)).to.equal(false);
    expect(reported(at)).to.deep.equal([]);
  });
});

describe("rules: integers and ports", () => {
  it("returns integers in range", () => {
    const at = place("n");
    expect(checkInteger(0, at, 0, INT32_MAX)).to.equal(0);
    expect(checkPort(8290, at)).to.equal(8290);
    expect(checkPort(65535, at)).to.equal(65535);
    expect(reported(at)).to.deep.equal([]);
  });

  it("says to drop the quotes of a numeric string", () => {
    const at = place("spec.deploySpec.minReplicas");
    expect(checkInteger("3", at, 0, INT32_MAX)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      'error: x.yaml: spec.deploySpec.minReplicas: expected an integer, got the string "3"; write 3 without quotes',
    ]);
  });

  it("rejects fractions, booleans, other strings and lists", () => {
    const at = place("n");
    checkInteger(2.5, at, 0, 10);
    checkInteger(true, at, 0, 10);
    checkInteger("three", at, 0, 10);
    checkInteger([1], at, 0, 10);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: n: expected a whole number, got 2.5",
      "error: x.yaml: n: expected an integer, got true",
      'error: x.yaml: n: expected an integer, got "three"',
      "error: x.yaml: n: expected an integer, got a list",
    ]);
  });

  it("reports values out of range", () => {
    const at = place("n");
    expect(checkInteger(-1, at, 0, INT32_MAX)).to.equal(undefined);
    expect(checkInteger(11, at, 1, 10)).to.equal(undefined);
    expect(checkInteger(INT32_MAX + 1, at, 0, INT32_MAX)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: n: must be at least 0, got -1",
      "error: x.yaml: n: must be between 1 and 10, got 11",
      "error: x.yaml: n: must be at most 2147483647 (the largest 32-bit integer, as Kubernetes requires), got 2147483648",
    ]);
  });

  it("reports ports outside 1-65535", () => {
    const at = place("spec.expose.passthroPort");
    checkPort(0, at);
    checkPort(70000, at);
    checkPort("8290", at);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: spec.expose.passthroPort: expected a port number between 1 and 65535, got 0",
      "error: x.yaml: spec.expose.passthroPort: expected a port number between 1 and 65535, got 70000",
      'error: x.yaml: spec.expose.passthroPort: expected an integer, got the string "8290"; write 8290 without quotes',
    ]);
  });
});

describe("rules: values in messages", () => {
  it("shows a string whole up to 60 characters, then its start and length", () => {
    const sixty = "x".repeat(60);
    expect(describeValue(sixty)).to.equal(JSON.stringify(sixty));
    const file = `root:x:0:0:root:/root:/bin/bash\n${"y".repeat(4000)}`;
    expect(describeValue(file)).to.equal(
      `${JSON.stringify(file.slice(0, 60))}... (${file.length} characters)`,
    );
  });
});
