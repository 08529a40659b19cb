import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateIntegration } from "../../../components/model/integration/validate";
import { loadIntegrationFiles } from "../../../components/model/integration/loadFiles";
import { Problems, fieldLine, withFieldLines } from "../../../components/model/problems";
import { childPath, itemPath, parentPath } from "../../../components/model/rules";
import { aliasedLines, parseYamlDocuments } from "../../../components/model/input/yaml";
import { reported } from "../support";

/** The lines `paths` get in the only document of `text`. */
function linesOf(text: string, paths: string[]): Record<string, number | undefined> {
  const [document] = parseYamlDocuments(text, "f.yaml", new Problems());
  return Object.fromEntries(paths.map((p) => [p, fieldLine(document.source, p)]));
}

/** Every problem of validating each document of `text`, as printed. */
function validate(text: string, file = "crs/a.yaml"): string[] {
  const problems = new Problems();
  for (const { source, value } of parseYamlDocuments(text, file, problems)) {
    validateIntegration(value, source, problems);
  }
  return reported(problems);
}

const HEADER = [
  "# an integration",
  "apiVersion: wso2.com/v1alpha2",
  "kind: Integration",
  "metadata:",
  "  name: hello",
  "spec:",
  "  image: registry.example.com/hello:1.0.0",
];

describe("field lines: paths", () => {
  it("builds paths as the checks name fields", () => {
    expect(childPath("", "spec")).to.equal("spec");
    expect(childPath("spec", "env")).to.equal("spec.env");
    expect(itemPath("spec.env", 2)).to.equal("spec.env[2]");
    expect(childPath("data", "ingress.properties")).to.equal('data["ingress.properties"]');
    expect(childPath("", "a:b")).to.equal('["a:b"]');
  });

  it("finds the path that holds a path", () => {
    expect(parentPath("spec.env[1].value")).to.equal("spec.env[1]");
    expect(parentPath("spec.env[1]")).to.equal("spec.env");
    expect(parentPath('data["ingress.properties"]')).to.equal("data");
    expect(parentPath('a["x\\"].y"].b')).to.equal('a["x\\"].y"]');
    expect(parentPath("spec")).to.equal("");
    expect(parentPath("")).to.equal(undefined);
  });
});

describe("field lines: parseYamlDocuments", () => {
  it("gives each key, list item and nested field its own line", () => {
    const text = [
      "# comment",
      "a: 1",
      "b:",
      "  c: [1, {d: 2}]",
      "  e:",
      "  - f: 1",
      "",
      "    g: 2",
      "  - h",
      '"q.r": 1',
      "flow: {",
      "  x: 1,",
      '  "y": [',
      "    1,",
      "    2]",
      "}",
      "",
    ].join("\n");
    expect(
      linesOf(text, [
        "a",
        "b",
        "b.c",
        "b.c[1]",
        "b.c[1].d",
        "b.e",
        "b.e[0]",
        "b.e[0].g",
        "b.e[1]",
        '["q.r"]',
        "flow.x",
        "flow.y[1]",
      ]),
    ).to.deep.equal({
      a: 2,
      b: 3,
      "b.c": 4,
      "b.c[1]": 4,
      "b.c[1].d": 4,
      "b.e": 5,
      "b.e[0]": 6,
      "b.e[0].g": 8,
      "b.e[1]": 9,
      '["q.r"]': 10,
      "flow.x": 12,
      "flow.y[1]": 15,
    });
  });

  it("gives a field that is not there the line of its nearest ancestor that is", () => {
    const text = "spec:\n  env:\n    - name: A\n    -\n      value: x\n";
    expect(linesOf(text, ["spec.env[1].name", "spec.image", "spec.env[0].value.x"])).to.deep.equal(
      // An item's line is where its content starts: after a `-` alone, the next line.
      { "spec.env[1].name": 5, "spec.image": 1, "spec.env[0].value.x": 3 },
    );
    expect(linesOf(text, ["other", "other.x", ""])).to.deep.equal({
      other: undefined,
      "other.x": undefined,
      "": undefined,
    });
  });

  it("gives merged keys and items it cannot tell apart their container's line", () => {
    const text = "base: &b\n  x: 1\nm:\n  <<: *b\n  z: 2\nlist:\n  -\n  - a\n";
    expect(linesOf(text, ["m.x", "m.z", "list[1]", "list"])).to.deep.equal({
      "m.x": 3,
      "m.z": 5,
      "list[1]": 6,
      list: 6,
    });
  });

  it("reads lines with Windows line ends", () => {
    expect(linesOf("a: 1\r\nb:\r\n  c: 2\r\n", ["a", "b.c"])).to.deep.equal({ a: 1, "b.c": 3 });
  });

  it("counts the lines of the file in every document", () => {
    const problems = new Problems();
    const docs = parseYamlDocuments("a: 1\n---\nb:\n  c: 2\n", "f.yaml", problems);
    expect(docs.map((d) => fieldLine(d.source, "b.c"))).to.deep.equal([undefined, 4]);
    expect(docs.map((d) => fieldLine(d.source, "a"))).to.deep.equal([1, undefined]);
  });

  it("keeps a source plain data: its lines do not show in it or in copies", () => {
    const [doc] = parseYamlDocuments("a:\n  b: 1\n", "f.yaml", new Problems());
    expect(doc.source).to.deep.equal({ file: "f.yaml", line: 1 });
    expect(Object.keys(doc.source)).to.deep.equal(["file", "line"]);
    expect(fieldLine(structuredClone(doc.source), "a.b")).to.equal(undefined);
    expect(fieldLine(doc.source, "a.b")).to.equal(2);
  });

  it("looks fields up under the names messages give them", () => {
    const [doc] = parseYamlDocuments("data:\n  a: 1\n  b:\n    c: 2\n", "f.yaml", new Problems());
    const lines = aliasedLines(
      doc.source,
      new Map([
        ["cm.data", "data"],
        ["cm.data.b", "data.b"],
      ]),
    );
    expect(
      ["cm.data", "cm.data.a", "cm.data.b.c", "cm.database", "data.a"].map(lines),
    ).to.deep.equal([1, 2, 4, undefined, 2]);
  });
});

describe("field lines: problems", () => {
  it("name the field's line, or the document's when there is no field", () => {
    const problems = new Problems();
    const source = withFieldLines({ file: "f.yaml", line: 3 }, (p) =>
      p === "a.b" ? 7 : undefined,
    );
    problems.error(source, "a.b", "one");
    problems.warning(source, "a.c", "two");
    problems.note(source, undefined, "three");
    problems.error({ file: "g.yaml" }, "x", "four");
    expect(problems.list).to.deep.equal([
      { file: "f.yaml", line: 7, severity: "error", path: "a.b", message: "one" },
      { file: "f.yaml", line: 3, severity: "warning", path: "a.c", message: "two" },
      { file: "f.yaml", line: 3, severity: "note", path: undefined, message: "three" },
      { file: "g.yaml", severity: "error", path: "x", message: "four" },
    ]);
  });

  it("an unknown field deep in a CR names its own line", () => {
    const text = [
      ...HEADER,
      "  deploySpec:",
      "    minReplicas: 1",
      "    livenessProbe:",
      "      tcpSocket:",
      "        port: 8290",
      "      initialDelaySecond: 5",
      "",
    ].join("\n");
    expect(validate(text)).to.deep.equal([
      "error: crs/a.yaml:13: spec.deploySpec.livenessProbe.initialDelaySecond: unknown field; " +
        'did you mean "initialDelaySeconds"?',
    ]);
  });

  it("a list item's field names the line of that item's key", () => {
    const text = [
      ...HEADER,
      "  env:",
      "    - name: A",
      '      value: "1"',
      "    - name: B",
      "      value: 2",
      "",
    ].join("\n");
    expect(validate(text)).to.deep.equal([
      "error: crs/a.yaml:12: spec.env[1].value: expected a string, got a number (not shown: env values may be secrets); quote it",
    ]);
  });

  it("a missing required field names its nearest ancestor's line", () => {
    const text = [...HEADER, "  env:", '    - value: "no name"', ""].join("\n");
    expect(validate(text)).to.deep.equal([
      "error: crs/a.yaml:9: spec.env[0].name: required field is missing",
    ]);
    const noImage = [...HEADER.slice(0, 6), "  deploySpec:", "    minReplicas: 1", ""].join("\n");
    expect(validate(noImage)).to.deep.equal([
      "error: crs/a.yaml:6: spec.image: required field is missing; give the integration's " +
        "image, e.g. registry.example.com/team/hello:1.0.0",
    ]);
  });

  it("a field of a second document names its line in the file", () => {
    const text = [
      ...HEADER,
      "---",
      ...HEADER.slice(1),
      "  expose:",
      "    inboundPorts: [8000,",
      "      70000]",
      "",
    ].join("\n");
    expect(validate(text)).to.deep.equal([
      "error: crs/a.yaml:17 (document 2): spec.expose.inboundPorts[1]: expected a port number " +
        "between 1 and 65535, got 70000",
    ]);
  });

  it("loadIntegrationFiles names the field's line in each file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "field-lines-"));
    try {
      const second = [...HEADER.slice(1), "  deploySpec:", "    minReplica: 2", ""];
      fs.writeFileSync(path.join(dir, "a.yaml"), [...HEADER, "---", ...second].join("\n"));
      const problems = new Problems();
      loadIntegrationFiles(["a.yaml"], dir, problems);
      expect(reported(problems)).to.deep.equal([
        "error: a.yaml:16 (document 2): spec.deploySpec.minReplica: unknown field; did you " +
          'mean "minReplicas"?',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
