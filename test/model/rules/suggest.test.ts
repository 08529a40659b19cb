import { expect } from "chai";
import { didYouMean, editDistance, oneOf } from "../../../components/model/rules";

describe("rules: didYouMean", () => {
  it("measures edit distance", () => {
    expect(editDistance("minReplica", "minReplicas")).to.equal(1);
    expect(editDistance("kitten", "sitting")).to.equal(3);
    expect(editDistance("", "abc")).to.equal(3);
    expect(editDistance("hots", "host")).to.equal(1);
    expect(editDistance("ab", "ba")).to.equal(1);
  });

  it("suggests a close candidate", () => {
    expect(didYouMean("minReplica", ["maxReplicas", "minReplicas"])).to.equal("minReplicas");
    expect(didYouMean("pasthroPort", ["passthroPort", "inboundPorts"])).to.equal("passthroPort");
  });

  it("suggests on a difference in case only, however long", () => {
    expect(didYouMean("always", ["Always", "IfNotPresent", "Never"])).to.equal("Always");
    expect(didYouMean("IFNOTPRESENT", ["Always", "IfNotPresent"])).to.equal("IfNotPresent");
  });

  it("stays quiet when nothing is close", () => {
    expect(didYouMean("image", ["deploySpec", "autoScale", "expose"])).to.equal(undefined);
    // "ab" allows one edit: "xy" is two away from "ab".
    expect(didYouMean("xy", ["ab"])).to.equal(undefined);
    expect(didYouMean("ax", ["ab"])).to.equal("ab");
  });

  it("allows floor(length / 3) edits", () => {
    // 9 letters allow 3 edits; 4 is too many.
    expect(didYouMean("abcdefghi", ["abcdefxyz"])).to.equal("abcdefxyz");
    expect(didYouMean("abcdefghi", ["abcdewxyz"])).to.equal(undefined);
  });

  it("does not suggest a word that is itself a candidate", () => {
    expect(didYouMean("env", ["env", "envFrom"])).to.equal(undefined);
  });

  it("lists values for messages", () => {
    expect(oneOf(["Always", "IfNotPresent", "Never"])).to.equal(
      '"Always", "IfNotPresent" or "Never"',
    );
    expect(oneOf(["HTTP"])).to.equal('"HTTP"');
  });
});
