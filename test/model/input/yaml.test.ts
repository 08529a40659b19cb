import { expect } from "chai";
import { Problems } from "../../../components/model/problems";
import { parseYamlDocuments } from "../../../components/model/input/yaml";
import { reported } from "../support";

describe("yaml: parseYamlDocuments", () => {
  it("reads a single document without a document number", () => {
    const problems = new Problems();
    const docs = parseYamlDocuments("# header\n\nkind: Integration\n", "crs/a.yaml", problems);
    expect(docs).to.deep.equal([
      { source: { file: "crs/a.yaml", line: 3 }, value: { kind: "Integration" } },
    ]);
    expect(reported(problems)).to.deep.equal([]);
  });

  it("numbers the non-empty documents of a multi-document file and gives their first lines", () => {
    const problems = new Problems();
    const text = "# license\n---\na: 1\n---\n# nothing here\n---\n\nb: 2\n...\n---\nc: [3]\n";
    expect(parseYamlDocuments(text, "crs/m.yaml", problems)).to.deep.equal([
      { source: { file: "crs/m.yaml", document: 1, line: 3 }, value: { a: 1 } },
      { source: { file: "crs/m.yaml", document: 2, line: 8 }, value: { b: 2 } },
      { source: { file: "crs/m.yaml", document: 3, line: 11 }, value: { c: [3] } },
    ]);
    expect(reported(problems)).to.deep.equal([]);
  });

  it("treats a file with one document and a trailing separator as single", () => {
    const problems = new Problems();
    expect(parseYamlDocuments("---\na: 1\n---\n", "f.yaml", problems)).to.deep.equal([
      { source: { file: "f.yaml", line: 2 }, value: { a: 1 } },
    ]);
  });

  it("returns nothing for an empty file", () => {
    const problems = new Problems();
    expect(parseYamlDocuments("", "f.yaml", problems)).to.deep.equal([]);
    expect(parseYamlDocuments("# only a comment\n", "f.yaml", problems)).to.deep.equal([]);
    expect(reported(problems)).to.deep.equal([]);
  });

  it("reports malformed YAML as one error with its line, and uses nothing from the file", () => {
    const problems = new Problems();
    const text =
      "a: 1\n---\napiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: x\n   bad: 1\n";
    expect(parseYamlDocuments(text, "crs/x.yaml", problems)).to.deep.equal([]);
    expect(reported(problems)).to.deep.equal([
      "error: crs/x.yaml:7: YAML syntax: bad indentation of a mapping entry",
    ]);
  });

  it("reports duplicate keys as a syntax error", () => {
    const problems = new Problems();
    parseYamlDocuments("spec:\n  image: a\n  image: b\n", "crs/d.yaml", problems);
    expect(reported(problems)).to.deep.equal([
      "error: crs/d.yaml:3: YAML syntax: duplicated mapping key",
    ]);
  });

  it("keeps YAML 1.2 scalars as js-yaml's default schema reads them", () => {
    const problems = new Problems();
    const [doc] = parseYamlDocuments(
      'a: yes\nb: "3"\nc: 3\nd: true\ne: 2.50\n',
      "f.yaml",
      problems,
    );
    expect(doc.value).to.deep.equal({ a: "yes", b: "3", c: 3, d: true, e: 2.5 });
  });
});
