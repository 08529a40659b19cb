import { expect } from "chai";
import { checkQuantity, quantityValue } from "../../../components/model/rules";
import { place, reported } from "../support";

describe("rules: quantities", () => {
  it("accepts Kubernetes' quantity grammar and returns it as written", () => {
    const at = place("q");
    for (const q of [
      "500m",
      "2",
      "1.5",
      ".5",
      "2Gi",
      "512Mi",
      "1Ki",
      "1Ei",
      "100n",
      "10u",
      "1k",
      "1M",
      "1E",
      "1e3",
      "1E-2",
      "+1",
      "0",
    ]) {
      expect(checkQuantity(q, at), q).to.equal(q);
    }
    expect(reported(at)).to.deep.equal([]);
  });

  it("keeps YAML numbers as strings", () => {
    const at = place("spec.deploySpec.cpuLimit");
    expect(checkQuantity(2, at)).to.equal("2");
    expect(checkQuantity(0.5, at)).to.equal("0.5");
    expect(reported(at)).to.deep.equal([]);
  });

  it("computes values in base units", () => {
    expect(quantityValue("500m")).to.equal(0.5);
    expect(quantityValue("2Gi")).to.equal(2 * 1024 ** 3);
    expect(quantityValue("512Mi")).to.equal(512 * 1024 ** 2);
    expect(quantityValue("1k")).to.equal(1000);
    expect(quantityValue("1e3")).to.equal(1000);
    expect(quantityValue("2000m")).to.equal(2);
    expect(quantityValue("1.5G")).to.equal(1.5e9);
    expect(quantityValue("100n")).to.be.closeTo(1e-7, 1e-20);
    expect(quantityValue("2GB")).to.equal(undefined);
    expect(quantityValue("1e1.5")).to.equal(undefined);
  });

  it("suggests the fix for the usual slips", () => {
    const at = place("spec.deploySpec.reqMemory");
    checkQuantity("512MB", at);
    checkQuantity("2gi", at);
    checkQuantity("500 m", at);
    checkQuantity("1K", at);
    expect(reported(at)).to.deep.equal([
      'error: x.yaml: spec.deploySpec.reqMemory: "512MB" is not a Kubernetes quantity; did you mean "512Mi" (powers of 1024) or "512M" (powers of 1000)?',
      'error: x.yaml: spec.deploySpec.reqMemory: "2gi" is not a Kubernetes quantity; did you mean "2Gi"?',
      'error: x.yaml: spec.deploySpec.reqMemory: "500 m" is not a Kubernetes quantity; remove the spaces: "500m"',
      'error: x.yaml: spec.deploySpec.reqMemory: "1K" is not a Kubernetes quantity; did you mean "1Ki" (powers of 1024) or "1k" (powers of 1000)?',
    ]);
  });

  it("explains the grammar otherwise, and rejects negatives and non-scalars", () => {
    const at = place("q");
    checkQuantity("lots", at);
    checkQuantity("-1", at);
    checkQuantity(true, at);
    expect(reported(at)).to.deep.equal([
      'error: x.yaml: q: "lots" is not a Kubernetes quantity; write a number with an optional suffix: m (1/1000), k M G T P E, or Ki Mi Gi Ti Pi Ei, e.g. "500m", "2", "512Mi"',
      'error: x.yaml: q: must not be negative, got "-1"',
      'error: x.yaml: q: expected a quantity such as "500m" or "512Mi", got true',
    ]);
  });
});
