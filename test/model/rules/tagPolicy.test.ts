/** Tag policies: which tag of a listing each policy deploys, and whether a locked tag still fits. */
import { expect } from "chai";
import { chooseTag, describeTagPolicy, tagFits } from "../../../components/model/rules/tagPolicy";
import type { TagPolicy } from "../../../components/model/types";

const semver = (range: string, prereleases = false): TagPolicy => ({
  kind: "semver",
  range,
  prereleases,
});

describe("tag policies", () => {
  const tags = [
    "latest",
    "1.9.0",
    "2.4.0",
    "2.4.10",
    "2.4.9",
    "2.5.0-rc.1",
    "v2.4.11-beta",
    "3.0.0",
  ];

  it("digest: the tag as written, listed or not", () => {
    expect(chooseTag({ kind: "digest" }, tags, "2.4.0")).to.equal("2.4.0");
    expect(chooseTag({ kind: "digest" }, [], "nightly")).to.equal("nightly");
    expect(tagFits({ kind: "digest" }, "2.4.0", "2.4.0")).to.equal(true);
    expect(tagFits({ kind: "digest" }, "2.4.1", "2.4.0")).to.equal(false);
  });

  it("semver: the highest version in the range, by version not by name, no pre-release unasked", () => {
    expect(chooseTag(semver("^2.4.0"), tags, "2.4.0")).to.equal("2.4.10");
    expect(chooseTag(semver("~2.4"), tags, "x")).to.equal("2.4.10");
    expect(chooseTag(semver(">=1.0.0"), tags, "x")).to.equal("3.0.0");
    expect(chooseTag(semver("^4"), tags, "x")).to.equal(undefined);
  });

  it("semver: pre-releases when the range names one, or when asked", () => {
    expect(chooseTag(semver(">=2.5.0-0 <3"), tags, "x")).to.equal("2.5.0-rc.1");
    expect(chooseTag(semver("^2.4.0", true), tags, "x")).to.equal("2.5.0-rc.1");
    expect(chooseTag(semver("~2.4", true), tags, "x")).to.equal("v2.4.11-beta");
    expect(tagFits(semver("^2.4.0"), "2.5.0-rc.1", "x")).to.equal(false);
    expect(tagFits(semver("^2.4.0", true), "2.5.0-rc.1", "x")).to.equal(true);
  });

  it("semver: a v prefix is a version; equal versions are ordered by name", () => {
    expect(chooseTag(semver("^1"), ["v1.2.3", "1.2.3", "1.2"], "x")).to.equal("v1.2.3");
    expect(tagFits(semver("^1"), "1.2", "x")).to.equal(false);
  });

  it("regex: the highest match by the first group, as numbers or as text", () => {
    const builds = ["build-9", "build-10", "build-100x", "main-200", "build-2"];
    const numerical: TagPolicy = { kind: "regex", pattern: "^build-(\\d+)$", order: "numerical" };
    const alphabetical: TagPolicy = { ...numerical, order: "alphabetical" };
    expect(chooseTag(numerical, builds, "x")).to.equal("build-10");
    expect(chooseTag(alphabetical, builds, "x")).to.equal("build-9");
    const dated: TagPolicy = { kind: "regex", pattern: "^RELEASE\\.", order: "alphabetical" };
    expect(chooseTag(dated, ["RELEASE.2026-01-02", "RELEASE.2025-12-31", "other"], "x")).to.equal(
      "RELEASE.2026-01-02",
    );
  });

  it("ignores what a registry lists that is not a tag", () => {
    const any: TagPolicy = { kind: "regex", pattern: ".", order: "alphabetical" };
    expect(chooseTag(any, ["zz/../x", `a${"b".repeat(200)}`, "-x", "ok"], "x")).to.equal("ok");
  });

  it("is described in a few words", () => {
    expect(
      [
        { kind: "digest" } as const,
        semver("^2"),
        semver("^2", true),
        { kind: "regex", pattern: "^b-(\\d+)$", order: "numerical" } as const,
      ].map(describeTagPolicy),
    ).to.deep.equal([
      "digest",
      "semver ^2",
      "semver ^2 (pre-releases too)",
      "regex ^b-(\\d+)$ numerical",
    ]);
  });
});
