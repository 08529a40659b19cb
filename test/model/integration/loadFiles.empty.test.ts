import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadIntegrationFiles } from "../../../components/model/integration/loadFiles";
import { Problems } from "../../../components/model/problems";
import { reported } from "../support";

describe("loadIntegrationFiles: empty files", () => {
  let base: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "crs-empty-"));
  });

  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it("warns about a file with no document: under pulumi up its integration would be deleted", () => {
    fs.writeFileSync(path.join(base, "emptied.yaml"), "# hello-world moved elsewhere\n---\n");
    const problems = new Problems();
    expect(loadIntegrationFiles(["emptied.yaml"], base, problems)).to.deep.equal([]);
    expect(reported(problems)).to.deep.equal([
      "warning: emptied.yaml: holds no YAML document, so no integration is read from it; remove the file or add its Integration CR",
    ]);
  });

  it("does not add the warning to a malformed file's syntax error", () => {
    fs.writeFileSync(path.join(base, "broken.yaml"), "a: [\n");
    const problems = new Problems();
    loadIntegrationFiles(["broken.yaml"], base, problems);
    expect(reported(problems)).to.have.length(1);
    expect(reported(problems)[0]).to.match(/^error: broken\.yaml:\d+: YAML syntax: /);
  });
});
