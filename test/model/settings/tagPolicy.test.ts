/** The stack's `imageRefresh.policy`: its three shapes, and every mistake with what would be right. */
import { expect } from "chai";
import { parseTagPolicy } from "../../../components/model/settings/imageRefresh";
import { loadStackByName } from "../../../components/model/loadStack";
import { crYaml, tempProject } from "../../cli/run";
import { place, reported } from "../support";

function parse(value: unknown): { policy: unknown; problems: string[] } {
  const at = place("wso2-mi:imageRefresh.policy", "stacks/Pulumi.dev.yaml");
  const policy = parseTagPolicy(value, at);
  return { policy, problems: reported(at) };
}

describe("image refresh: the tag policy setting", () => {
  it("reads digest, semver (pre-releases off unless asked) and regex with an order", () => {
    expect(parse("digest")).to.deep.equal({ policy: { kind: "digest" }, problems: [] });
    expect(parse({ semver: "^2.4.0" })).to.deep.equal({
      policy: { kind: "semver", range: "^2.4.0", prereleases: false },
      problems: [],
    });
    expect(parse({ semver: ">=2", prereleases: true }).policy).to.deep.equal({
      kind: "semver",
      range: ">=2",
      prereleases: true,
    });
    expect(parse({ regex: "^build-(\\d+)$", order: "numerical" })).to.deep.equal({
      policy: { kind: "regex", pattern: "^build-(\\d+)$", order: "numerical" },
      problems: [],
    });
  });

  it("reports each mistake at its field, saying what would be right", () => {
    const at = "error: stacks/Pulumi.dev.yaml: wso2-mi:imageRefresh.policy";
    const shapes =
      "write digest, {semver: \"^2.4.0\"} or {regex: '^build-(\\d+)$', order: numerical}";
    expect(parse("semver").problems).to.deep.equal([
      `${at}: expected digest or a mapping, got "semver"; ${shapes}`,
    ]);
    expect(parse({ semver: "^1", regex: "x", order: "numerical" }).problems).to.deep.equal([
      `${at}: expected exactly one of semver and regex; ${shapes}`,
    ]);
    expect(parse({ semver: "banana" }).problems).to.deep.equal([
      `${at}.semver: "banana" is not a version range; write one as npm does, e.g. "^2.4.0", "~1.2", ">=3.0.0 <4.0.0"`,
    ]);
    expect(parse({ semver: "^1", order: "numerical" })).to.deep.equal({
      policy: undefined,
      problems: [`${at}.order: is not read with semver; remove it`],
    });
    expect(parse({ regex: "(" }).problems).to.deep.equal([
      `${at}.regex: not a valid regular expression: /(/: Unterminated group`,
      `${at}.order: required with regex: numerical or alphabetical, which says which tag is newest`,
    ]);
    expect(parse({ regex: "x", order: "newest" }).problems).to.deep.equal([
      `${at}.order: expected "numerical" or "alphabetical", got "newest"`,
    ]);
    expect(parse({ semvr: "^1" }).problems).to.deep.equal([
      `${at}.semvr: unknown field; did you mean "semver"?`,
      `${at}: expected exactly one of semver and regex; ${shapes}`,
    ]);
  });

  it("reaches each refreshing integration from the stack file, ", () => {
    const dir = tempProject({
      "Pulumi.dev.yaml": [
        "config:",
        "  wso2-mi:crs: crs",
        "  wso2-mi:imageRefresh:",
        "    enabled: true",
        "    policy:",
        '      semver: "^1.0.0"',
        "",
      ].join("\n"),
      "crs/hello.yaml": crYaml("hello"),
    });
    const stack = loadStackByName(dir, "dev");
    expect(stack.integrations.length).to.equal(1);
    expect(stack.integrations[0].imageRefresh?.policy).to.deep.equal({
      kind: "semver",
      range: "^1.0.0",
      prereleases: false,
    });
    expect(stack.advice).to.deep.equal([]);
  });
});
