/**
 * The fuzz tests' own machinery: the tree and text mutations (were they to do nothing, every
 * mutated case would be a valid one again), the search for values planted under names that look
 * secret, and the checks of problems and of resource inputs, each shown to catch what it must.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { load } from "js-yaml";
import type { KubeObject } from "../../../components/builders";
import {
  type TextMutation,
  type Tree,
  type TreeMutation,
  mutateText,
  mutateTree,
} from "./arbitraries";
import { maskedIn } from "./masked";
import { type PipelineInput, violations } from "./pipeline";
import { inputsViolations } from "./pulumiInputs";

const tree = (at: number, kind: TreeMutation["kind"], value: Tree = "x", key = "k", other = 0) => ({
  at,
  kind,
  value,
  key,
  other,
});

const text = (at: number, kind: TextMutation["kind"], inserted = "X", length = 2) => ({
  at,
  kind,
  text: inserted,
  length,
});

describe("fuzz machinery: mutateTree", () => {
  // Its nodes in document order: a, b, b[0], b[1], m.
  const root = (): Tree => ({ a: 1, b: [2, 3], m: {} });

  it("replaces, deletes, adds, wraps and stringifies the node it picks, in document order", () => {
    expect(mutateTree(root(), [tree(0, "replace")])).to.deep.equal({ a: "x", b: [2, 3], m: {} });
    expect(mutateTree(root(), [tree(2, "delete")])).to.deep.equal({ a: 1, b: [3], m: {} });
    expect(mutateTree(root(), [tree(1, "add", 9)])).to.deep.equal({ a: 1, b: [2, 3, 9], m: {} });
    expect(mutateTree(root(), [tree(4, "add", 9, "name")])).to.deep.equal({
      a: 1,
      b: [2, 3],
      m: { name: 9 },
    });
    expect(mutateTree(root(), [tree(3, "wrap")])).to.deep.equal({ a: 1, b: [2, [3]], m: {} });
    expect(mutateTree(root(), [tree(1, "stringify")])).to.deep.equal({
      a: 1,
      b: "[2,3]",
      m: {},
    });
  });

  it("picks the node by its number modulo the node count, and applies mutations in order", () => {
    expect(mutateTree(root(), [tree(5, "replace")])).to.deep.equal({ a: "x", b: [2, 3], m: {} });
    expect(mutateTree(root(), [tree(2, "delete"), tree(2, "replace", "y")])).to.deep.equal({
      a: 1,
      b: ["y"],
      m: {},
    });
  });

  it("shares a node (a YAML alias) and makes one contain its ancestor (a cycle)", () => {
    const shared = mutateTree({ x: { y: 1 }, z: 0 }, [tree(2, "share", null, "k", 0)]) as {
      x: Tree;
      z: Tree;
    };
    expect(shared.z).to.equal(shared.x);
    const cycled = mutateTree(root(), [tree(2, "cycle")]) as { b: Tree[] };
    expect(cycled.b[0]).to.equal(cycled.b);
    const top = mutateTree(root(), [tree(1, "cycle")]) as { b: Tree };
    expect(top.b).to.equal(top);
  });

  it("adds a key as an own field even when it is __proto__, and leaves its input alone", () => {
    const input = root();
    const out = mutateTree(input, [tree(4, "add", 1, "__proto__")]) as { m: object };
    expect(Object.keys(out.m)).to.deep.equal(["__proto__"]);
    expect(input).to.deep.equal(root());
    expect(mutateTree(7, [tree(0, "replace")])).to.equal(7);
  });
});

describe("fuzz machinery: mutateText", () => {
  const source = "ab\ncd\n";

  it("inserts, deletes, duplicates, drops, indents and truncates where it says", () => {
    expect(mutateText(source, [text(1, "insert")])).to.equal("aXb\ncd\n");
    expect(mutateText(source, [text(1, "delete")])).to.equal("acd\n");
    expect(mutateText(source, [text(1, "duplicateLine")])).to.equal("ab\ncd\ncd\n");
    expect(mutateText(source, [text(0, "dropLine")])).to.equal("cd\n");
    expect(mutateText(source, [text(1, "indent", "", 3)])).to.equal("ab\n   cd\n");
    expect(mutateText(source, [text(4, "truncate")])).to.equal("ab\nc");
  });

  it("takes positions modulo the length, and applies mutations in order", () => {
    expect(mutateText(source, [text(8, "insert")])).to.equal("aXb\ncd\n");
    expect(mutateText(source, [text(0, "truncate"), text(5, "insert", "z")])).to.equal("z");
  });
});

describe("fuzz machinery: values planted under names that look secret", () => {
  const cr = (labels: string): string =>
    [
      "kind: Integration",
      `metadata: {name: a, labels: {${labels}}}`,
      "spec:",
      "  env:",
      "    - {name: DB_PASSWORD, value: Pl4nt111111Env}",
      "    - API_KEY=Pl4nt222222Env",
      "    - {name: ADMIN_PWD, value: 123456789}",
      "    - {name: dbPass, value: true}",
      "    - {name: PLAIN, value: Pl4nt333333Env}",
      "  deploySpec:",
      "    livenessProbe:",
      "      httpGet: {port: 1, httpHeaders: [{name: Authorization, value: Bearer Pl4nt444444Env}]}",
      "",
    ].join("\n");
  const planted = ["Pl4nt111111Env", "Pl4nt222222Env", "123456789", "Pl4nt444444Env"];
  const places = [
    { file: "f.yaml", path: "spec.env[2].value", value: "123456789" },
    { file: "f.yaml", path: "spec.env[3].value", value: "true" },
  ];

  const sources = [load(cr("x: y")) as Tree];

  it("finds them in env values, NAME=value items and probe headers, not under other names", () => {
    expect(maskedIn("f.yaml", sources)).to.deep.equal({ values: planted, places });
    expect(maskedIn("f.yaml", sources, { text: cr("x: y") })).to.deep.equal({
      values: planted,
      places,
    });
    expect(
      maskedIn("f.yaml", [{ spec: { env: [{ name: "A", value: 123456789 }] } }]),
    ).to.deep.equal({ values: [], places: [] });
  });

  it("drops those a mutation copied where messages may quote them; keeps all in text that is not YAML", () => {
    const moved = cr("x: Pl4nt111111Env, y: 'a 123456789'");
    expect(maskedIn("f.yaml", sources, { text: moved }).values).to.deep.equal([
      "Pl4nt222222Env",
      "Pl4nt444444Env",
    ]);
    expect(maskedIn("f.yaml", sources, { text: `${cr("x: y")}  ]` })).to.deep.equal({
      values: planted,
      places: [],
    });
  });

  it("reads mutated trees as they are, unless a merge key (<<) makes reading their text differ", () => {
    const broken = `${cr("x: y")}  ]`;
    expect(maskedIn("f.yaml", sources, { text: broken, trees: sources })).to.deep.equal({
      values: planted,
      places,
    });
    const merging = [{ ...(sources[0] as object), "<<": { a: 1 } }];
    expect(maskedIn("f.yaml", sources, { text: broken, trees: merging })).to.deep.equal({
      values: planted,
      places: [],
    });
  });

  it("numbers documents as problems do: only in a file of more than one", () => {
    const two = `${cr("x: y")}---\n${cr("x: y")}`;
    const documents = maskedIn("f.yaml", sources, { text: two }).places.map((p) => p.document);
    expect(documents).to.deep.equal([1, 1, 2, 2]);
  });

  it("a problem that shows one is a violation", () => {
    const input: PipelineInput = {
      crs: [{ file: "f.yaml", text: "a\nb\n" }],
      maskedValues: ["Pl4nt111111Env"],
      maskedPlaces: [{ file: "f.yaml", path: "spec.env[3].value", value: "true" }],
    };
    const problem = { severity: "error" as const, file: "f.yaml", line: 1 };
    const outcome = {
      problems: [
        { ...problem, path: "spec.env[0]", message: 'got "DB_PASSWORD=Pl4nt111111Env"' },
        { ...problem, path: "spec.env[3].value", message: "expected a string, got true" },
        { ...problem, path: "spec.env[4].value", message: "expected a string, got true" },
      ],
    };
    expect(violations(input, outcome)).to.deep.equal([
      'shows Pl4nt111111Env, whose name looks secret: error: f.yaml:1: spec.env[0]: got "DB_PASSWORD=Pl4nt111111Env"',
      "shows true, whose name looks secret: error: f.yaml:1: spec.env[3].value: expected a string, got true",
    ]);
  });
});

describe("fuzz machinery: the check of resource inputs", () => {
  const deployment = (env: unknown[], image: unknown = "r/a:1"): KubeObject =>
    ({
      kind: "Deployment",
      spec: { template: { spec: { containers: [{ name: "mi", image, env }] } } },
    }) as KubeObject;
  const built = deployment([
    { name: "DB_PASSWORD", value: "s3cret" },
    { name: "URL", value: "http://a" },
  ]);
  const env = ".spec.template.spec.containers[0].env";
  const seen = () => ({ secrets: 0, digests: 0 });

  it("passes inputs that hold secrets exactly where names look secret, and counts them", async () => {
    const counts = seen();
    const inputs = deployment([
      { name: "DB_PASSWORD", value: pulumi.secret("s3cret") },
      { name: "URL", value: "http://a" },
    ]);
    expect(await inputsViolations({ title: "t", inputs, expected: built }, counts)).to.deep.equal(
      [],
    );
    expect(counts).to.deep.equal({ secrets: 1, digests: 0 });
  });

  it("fails a value whose name looks secret in plain text, and a secret elsewhere", async () => {
    const inputs = deployment([
      { name: "DB_PASSWORD", value: "s3cret" },
      { name: "URL", value: pulumi.secret("http://a") },
    ]);
    expect(await inputsViolations({ title: "t", inputs, expected: built }, seen())).to.deep.equal([
      `t: secrets at ["${env}[1].value"], not at ["${env}[0].value"]`,
      `t: Outputs at ["${env}[1].value"], not at ["${env}[0].value"]`,
    ]);
  });

  it("fails inputs that resolve to another object, and a digest Output out of place", async () => {
    const digest = { digest: "sha256:0f", pinned: "r/a@sha256:0f" };
    const expected = deployment([], digest.pinned);
    const wrong = deployment([], "r/a:1");
    const changed = await inputsViolations({ title: "t", inputs: wrong, expected, digest }, seen());
    expect(changed).to.have.length(2);
    expect(changed[0]).to.match(/^t: the inputs resolve to .*"r\/a:1".*, not to the built /);
    expect(changed[1]).to.equal(
      't: Outputs at [], not at [".spec.template.spec.containers[0].image"]',
    );
    const pinned = deployment([], pulumi.output(digest.pinned));
    const counts = seen();
    expect(
      await inputsViolations({ title: "t", inputs: pinned, expected, digest }, counts),
    ).to.deep.equal([]);
    expect(counts).to.deep.equal({ secrets: 0, digests: 1 });
  });
});
