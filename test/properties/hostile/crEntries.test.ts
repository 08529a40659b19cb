/**
 * CR paths that reach one file twice or lead nowhere: each file is read once however
 * the crs entries reach it (a folder and a file in it, one folder twice, a link), with a warning
 * naming both entries; a loop of symbolic links or a link to nothing is said to be one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadIntegrationFiles } from "../../../components/model/integration/loadFiles";
import { Problems, formatProblem } from "../../../components/model/problems";
import { crYaml, tempProject } from "../../cli/run";

describe("crs entries that reach one file twice, or nothing", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempProject({ "crs/a.yaml": crYaml("alpha"), "crs/b.yaml": crYaml("beta") });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The names of the CRs loaded from `entries`, and every problem as printed. */
  function load(entries: string[]): { names: string[]; problems: string[] } {
    const problems = new Problems();
    const crs = loadIntegrationFiles(entries, dir, problems);
    return {
      names: crs.map((cr) => cr.metadata.name),
      problems: problems.list.map(formatProblem),
    };
  }

  it("reads a folder named twice once", () => {
    expect(load(["crs", "crs"])).to.deep.equal({
      names: ["alpha", "beta"],
      problems: ["warning: crs: is named twice in crs; it is read once: remove one of the two"],
    });
  });

  it("reads a file named after its folder once, naming both entries", () => {
    expect(load(["crs", "crs/a.yaml"])).to.deep.equal({
      names: ["alpha", "beta"],
      problems: [
        'warning: crs/a.yaml: the crs entries "crs" and "crs/a.yaml" both reach this file; it ' +
          "is read once: remove it from one of them",
      ],
    });
  });

  it("reads a file named before its folder once, where it is named first", () => {
    expect(load(["crs/b.yaml", "./crs"])).to.deep.equal({
      names: ["beta", "alpha"],
      problems: [
        'warning: crs/b.yaml: the crs entries "crs/b.yaml" and "./crs" both reach this file; it ' +
          "is read once: remove it from one of them",
      ],
    });
  });

  it("reads a folder reached through a link once", () => {
    fs.mkdirSync(path.join(dir, "other"));
    fs.symlinkSync("../crs", path.join(dir, "other", "link"));
    expect(load(["crs", "other/link"])).to.deep.equal({
      names: ["alpha", "beta"],
      problems: [
        'warning: other/link: the crs entries "crs" and "other/link" both reach this folder; ' +
          "it is read once: remove it from one of them",
      ],
    });
  });

  it("says a loop of symbolic links is one, as an entry and inside a folder", () => {
    fs.symlinkSync("self", path.join(dir, "self"));
    fs.symlinkSync("loop.yaml", path.join(dir, "crs", "loop.yaml"));
    const loop =
      "is a loop of symbolic links: following them leads back to them, never to a file or " +
      "folder; point the link at the CR file or folder";
    expect(load(["self", "crs"])).to.deep.equal({
      names: ["alpha", "beta"],
      problems: [`error: self: ${loop}`, `error: crs/loop.yaml: ${loop}`],
    });
  });

  it("says a link to nothing is one, and a missing path is missing", () => {
    fs.symlinkSync("gone.yaml", path.join(dir, "dangling.yaml"));
    expect(load(["dangling.yaml", "missing.yaml", "crs/a.yaml"])).to.deep.equal({
      names: ["alpha"],
      problems: [
        'error: dangling.yaml: is a symbolic link to "gone.yaml", which does not exist',
        "error: missing.yaml: no such file or folder",
      ],
    });
  });
});
