/**
 * `render --out` on paths that lead to no folder, and a write that fails part way:
 * a link to nothing, a path inside a file or a loop of links is one error naming --out and the
 * path (exit code 1, nothing written); the new output replaces the old one only when complete,
 * so a failed write leaves the earlier output as it was and no new folder behind.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import {
  OUT_MARKER,
  outDirProblem,
  writeOutDir,
  type Manifest,
} from "../../../cli/common/manifests";
import { main } from "../../../cli/render/main";
import { InputError, formatProblem } from "../../../components/model/problems";
import { ROOT, listFiles, run } from "../../cli/run";

function service(name: string, namespace: string): Manifest {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace } };
}

/** Every entry under `dir`, relative, sorted, links not followed, with what each link names. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort().map((entry) => {
    const full = path.join(dir, entry);
    return fs.lstatSync(full).isSymbolicLink() ? `${entry} -> ${fs.readlinkSync(full)}` : entry;
  });
}

/** A valid Service name of 253 characters: too long for a file name (`service-<name>.yaml`). */
const LONG_NAME = `${"a".repeat(60)}.`.repeat(4) + "a".repeat(9);

describe("render --out on hostile paths", () => {
  let parent: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-out-"));
    fs.writeFileSync(path.join(parent, "file"), "a file\n");
    fs.symlinkSync("nowhere", path.join(parent, "dangling"));
    fs.symlinkSync("loop", path.join(parent, "loop"));
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  const refused: [string, string, string][] = [
    [
      "a link to nothing",
      "dangling",
      'is a symbolic link to "nowhere", which does not exist; choose a folder for --out',
    ],
    [
      "a path under a link to nothing",
      "dangling/a/b",
      `is inside "${path.join("PARENT", "dangling")}", a symbolic link to "nowhere", which ` +
        "does not exist; choose a folder for --out",
    ],
    [
      "a path inside a file",
      "file/sub",
      "is inside a file, not a folder; choose a folder for --out",
    ],
    [
      "a path deep inside a file",
      "file/sub/deeper",
      "is inside a file, not a folder; choose a folder for --out",
    ],
    [
      "a loop of links",
      "loop",
      "is or passes through a loop of symbolic links; choose a folder for --out",
    ],
    [
      "a path under a loop of links",
      "loop/sub",
      "is or passes through a loop of symbolic links; choose a folder for --out",
    ],
  ];

  for (const [what, out, problem] of refused) {
    it(`refuses ${what} with one error, exit code 1, writing nothing`, () => {
      const before = tree(parent);
      const given = path.join(parent, out);
      const expected = problem.replace("PARENT", parent);
      expect(outDirProblem(given)).to.equal(expected);
      const result = run(main, ["--stack", "dev", "--out", given], ROOT);
      expect(result).to.deep.equal({
        code: 1,
        stdout: "",
        stderr: `error: ${given}: ${expected}\n`,
      });
      expect(tree(parent)).to.deep.equal(before);
    });
  }

  it("leaves the earlier output as it was when a write fails part way", () => {
    const out = path.join(parent, "out");
    writeOutDir([service("old", "apps")], out);
    const before = tree(parent);
    let thrown: unknown;
    try {
      writeOutDir([service("fine", "apps"), service(LONG_NAME, "zz")], out);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(InputError);
    const [problem] = (thrown as InputError).problems.map(formatProblem);
    expect(problem).to.equal(
      `error: ${out}: --out could not be written: a file name is too long (ENAMETOOLONG); ` +
        "the folder is left as it was",
    );
    expect(tree(parent)).to.deep.equal(before);
    expect(listFiles(out)).to.deep.equal([OUT_MARKER, "apps/service-old.yaml"]);
  });

  it("replaces the earlier output whole, keeping the folder's mode, and nothing beside it", () => {
    const out = path.join(parent, "out");
    writeOutDir([service("old", "apps"), service("gone", "other")], out);
    fs.chmodSync(out, 0o750);
    const written = writeOutDir([service("new", "apps")], out);
    expect(written).to.deep.equal([path.join("apps", "service-new.yaml")]);
    expect(listFiles(out)).to.deep.equal([OUT_MARKER, "apps/service-new.yaml"]);
    expect(fs.statSync(out).mode & 0o777).to.equal(0o750);
    expect(fs.readdirSync(parent).sort()).to.deep.equal(["dangling", "file", "loop", "out"]);
  });

  it("replaces the folder a link names, keeping the link", () => {
    const real = path.join(parent, "real");
    writeOutDir([service("old", "apps")], real);
    fs.symlinkSync("real", path.join(parent, "link"));
    writeOutDir([service("new", "apps")], path.join(parent, "link"));
    expect(fs.readlinkSync(path.join(parent, "link"))).to.equal("real");
    expect(listFiles(real)).to.deep.equal([OUT_MARKER, "apps/service-new.yaml"]);
  });
});
