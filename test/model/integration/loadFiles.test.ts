import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadIntegrationFiles } from "../../../components/model/integration/loadFiles";
import { Problems } from "../../../components/model/problems";
import { reported } from "../support";

function integration(name: string, extra = ""): string {
  return `apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: ${name}\nspec:\n  image: ${name}:1\n${extra}`;
}

describe("loadIntegrationFiles", () => {
  let base: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "crs-"));
    fs.mkdirSync(path.join(base, "stacks", "dev", "nested"), { recursive: true });
    fs.writeFileSync(path.join(base, "stacks", "dev", "b.yaml"), integration("bravo"));
    fs.writeFileSync(
      path.join(base, "stacks", "dev", "a.yml"),
      `${integration("alpha")}---\n${integration("alpha-two")}`,
    );
    fs.writeFileSync(path.join(base, "stacks", "dev", "notes.txt"), "not yaml");
    fs.writeFileSync(path.join(base, "stacks", "dev", "nested", "c.yaml"), integration("charlie"));
    fs.writeFileSync(path.join(base, "single.yaml"), integration("single"));
  });

  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it("reads a folder's YAML files and its subfolders', sorted by path, naming files as given", () => {
    const problems = new Problems();
    const crs = loadIntegrationFiles(["stacks/dev"], base, problems);
    expect(reported(problems)).to.deep.equal([]);
    expect(crs.map((cr) => [cr.metadata.name, cr.source])).to.deep.equal([
      ["alpha", { file: "stacks/dev/a.yml", document: 1, line: 1 }],
      ["alpha-two", { file: "stacks/dev/a.yml", document: 2, line: 8 }],
      ["bravo", { file: "stacks/dev/b.yaml", line: 1 }],
      ["charlie", { file: "stacks/dev/nested/c.yaml", line: 1 }],
    ]);
  });

  it("reads a subfolder linked from inside itself once", () => {
    fs.symlinkSync("..", path.join(base, "stacks", "dev", "nested", "up"));
    fs.symlinkSync(".", path.join(base, "stacks", "dev", "self"));
    const problems = new Problems();
    const crs = loadIntegrationFiles(["stacks/dev"], base, problems);
    expect(reported(problems)).to.deep.equal([]);
    expect(crs.map((cr) => cr.metadata.name)).to.deep.equal([
      "alpha",
      "alpha-two",
      "bravo",
      "charlie",
    ]);
  });

  it("reads no integration from a folder holding only a .gitkeep, and says so", () => {
    fs.mkdirSync(path.join(base, "kept", "deeper"), { recursive: true });
    fs.writeFileSync(path.join(base, "kept", ".gitkeep"), "");
    const problems = new Problems();
    expect(loadIntegrationFiles(["kept"], base, problems)).to.deep.equal([]);
    expect(reported(problems)).to.deep.equal([
      "note: kept: this folder holds no .yaml or .yml file, so the stack has no integration from it (`pulumi up` removes any it deployed)",
    ]);
  });

  it("reads files and folders in the order given, relative or absolute", () => {
    const problems = new Problems();
    const absolute = path.join(base, "stacks", "dev", "nested", "c.yaml");
    const crs = loadIntegrationFiles(
      ["single.yaml", absolute, "stacks/dev/b.yaml"],
      base,
      problems,
    );
    expect(reported(problems)).to.deep.equal([]);
    expect(crs.map((cr) => [cr.metadata.name, cr.source.file])).to.deep.equal([
      ["single", "single.yaml"],
      ["charlie", absolute],
      ["bravo", "stacks/dev/b.yaml"],
    ]);
  });

  it("reports a missing file, and a missing folder with what to do instead", () => {
    const problems = new Problems();
    expect(
      loadIntegrationFiles(["missing.yaml", "stacks/staging", "single.yaml"], base, problems),
    ).to.have.length(1);
    expect(reported(problems)).to.deep.equal([
      "error: missing.yaml: no such file or folder",
      "error: stacks/staging: no such file or folder; a stack with no integrations keeps an " +
        "empty folder (a .gitkeep keeps it in git), and a stack no longer wanted is removed " +
        "with `pulumi destroy`",
    ]);
  });

  it("uses nothing from a malformed file and goes on with the others", () => {
    fs.writeFileSync(
      path.join(base, "stacks", "dev", "c.yaml"),
      `${integration("delta")}---\nkind: [\n`,
    );
    const problems = new Problems();
    const crs = loadIntegrationFiles(["stacks/dev"], base, problems);
    expect(crs.map((cr) => cr.metadata.name)).to.deep.equal([
      "alpha",
      "alpha-two",
      "bravo",
      "charlie",
    ]);
    expect(reported(problems)).to.deep.equal([
      "error: stacks/dev/c.yaml:9: YAML syntax: unexpected end of the stream within a flow collection",
    ]);
  });

  it("reports a document of another kind once and leaves it out", () => {
    fs.writeFileSync(
      path.join(base, "mixed.yaml"),
      `${integration("echo")}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n`,
    );
    const problems = new Problems();
    const crs = loadIntegrationFiles(["mixed.yaml"], base, problems);
    expect(crs.map((cr) => cr.metadata.name)).to.deep.equal(["echo"]);
    expect(reported(problems)).to.deep.equal([
      'error: mixed.yaml:9 (document 2): kind: expected "Integration", got "ConfigMap"',
    ]);
  });

  it("does not check duplicate names (namespaces are resolved later)", () => {
    fs.writeFileSync(
      path.join(base, "dup.yaml"),
      `${integration("same")}---\n${integration("same")}`,
    );
    const problems = new Problems();
    expect(loadIntegrationFiles(["dup.yaml"], base, problems)).to.have.length(2);
    expect(reported(problems)).to.deep.equal([]);
  });
});
