/**
 * Very many problems: checking a CR costs the same however many problems were found
 * before it (no scan of the problem list per CR or field), and what is kept and printed is
 * bounded: past MAX_PROBLEMS_KEPT, problems are counted in one last line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../../cli/render/main";
import { loadIntegrationFiles } from "../../../components/model/integration/loadFiles";
import {
  MAX_PROBLEMS_KEPT,
  Problems,
  formatProblem,
  sortProblems,
  type Problem,
} from "../../../components/model/problems";
import { ROOT, run, tempProject } from "../../cli/run";

/** `count` YAML documents `a: 1`, each an Integration CR with five errors. */
function invalidDocuments(count: number): string {
  return Array.from({ length: count }, () => "a: 1\n").join("---\n");
}

/** `problems`, its list replaced by one that counts how many times an item of it is read. */
function countingReads(problems: Problems): { reads: number } {
  const counter = { reads: 0 };
  const watched = new Proxy(problems.list, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) counter.reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  Object.defineProperty(problems, "list", { value: watched });
  return counter;
}

const FULL_CRS = fs.readFileSync(path.join(ROOT, "test/fixtures/crs/full_integration_cr.yaml"));

describe("very many problems", () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("checks CRs without reading the problems found so far", () => {
    const dir = tempProject({
      "crs/a-bad.yaml": invalidDocuments(500),
      "crs/b-good.yaml": FULL_CRS.toString("utf8"),
    });
    made.push(dir);
    const problems = new Problems();
    const counter = countingReads(problems);
    const crs = loadIntegrationFiles(["crs"], dir, problems);
    expect(counter.reads).to.equal(0);
    expect(crs.map((cr) => cr.metadata.name)).to.deep.equal([
      "full-integration",
      "probes-http-tcp",
      "probes-tcp-exec",
    ]);
    expect(problems.errorCount).to.equal(2500);
    expect(problems.list).to.have.length(2500);
    expect(problems.hasErrors).to.equal(true);
  });

  it("keeps the first MAX_PROBLEMS_KEPT problems and counts the rest in one last problem", () => {
    const problems = new Problems();
    for (let i = 0; i < MAX_PROBLEMS_KEPT; i++) {
      problems.warning({ file: "b.yaml", line: i + 1 }, "spec.x", "a warning");
    }
    problems.note({ file: "a.yaml", document: 2, line: 7 }, undefined, "a note");
    problems.error({ file: "a.yaml", line: 3 }, "spec.y", "an error");
    problems.warning({ file: "0.yaml" }, undefined, "another warning");
    expect(problems.list).to.have.length(MAX_PROBLEMS_KEPT + 1);
    expect(problems.errorCount).to.equal(1);
    const last: Problem = {
      file: "a.yaml",
      document: 2,
      line: 7,
      severity: "error",
      message:
        "3 more problems from here on not shown (only the first 10000 found are); fix those " +
        "and run again",
      omitted: 3,
    };
    expect(problems.list.at(-1)).to.deep.equal(last);
    expect(sortProblems(problems.list).at(-1)).to.deep.equal(last);
    expect(formatProblem(last)).to.equal(
      "error: a.yaml:7 (document 2): 3 more problems from here on not shown (only the first " +
        "10000 found are); fix those and run again",
    );
  });

  it("render prints at most MAX_PROBLEMS_KEPT problems and says how many more there are", () => {
    const dir = tempProject({
      "crs/a.yaml": invalidDocuments(1000),
      "crs/b.yaml": invalidDocuments(1000),
      "crs/c.yaml": invalidDocuments(1000),
    });
    made.push(dir);
    const { code, stdout, stderr } = run(main, ["--crs", "crs"], dir);
    expect(code).to.equal(1);
    expect(stdout).to.equal("");
    const lines = stderr.split("\n");
    expect(lines).to.have.length(MAX_PROBLEMS_KEPT + 2);
    expect(lines.slice(-3)).to.deep.equal([
      "error: crs/b.yaml:1999 (document 1000): spec: required field is missing; give at least " +
        "spec.image",
      "error: crs/c.yaml:1 (document 1): 5000 more problems from here on not shown (only the " +
        "first 10000 found are); fix those and run again",
      "",
    ]);
  });
});
