/**
 * Hostile project files: the stack file, its image lock, `Pulumi.yaml` and the files of a plan
 * input folder are read within the size limit, never from a device or a pipe, and parsed with the
 * YAML limits of CR files. Each refusal is one line naming the file, exit code 1, nothing on
 * stdout, no stack trace.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { writeOutDir, type Manifest } from "../../../cli/common/manifests";
import { main as plan } from "../../../cli/plan/main";
import { main as render } from "../../../cli/render/main";
import { crYaml, run, tempProject, type Result } from "../../cli/run";
import { billionLaughs, fedPipe, sparseFile } from "./support";

const SIX_MIB = 6 * 1024 * 1024;
const THREE_GIB = 3 * 1024 * 1024 * 1024;
const NOT_A_FILE = "is not a regular file (a folder, device or pipe?)";
const BOMB =
  'YAML aliases: they expand this file by more than 100000 values (a "billion laughs" alias ' +
  "bomb?); write the repeated parts out or alias less";
const JS_TAG = "YAML syntax: unknown tag !<tag:yaml.org,2002:js/function>";
/** 10,000 documents after a first one. */
const MANY_DOCUMENTS = "---\na: 1\n".repeat(10_000);

/** A refusal: exit code 1, nothing on stdout, exactly `line` on stderr. */
function refused(line: string): Result {
  return { code: 1, stdout: "", stderr: line.endsWith("\n") ? line : `${line}\n` };
}

describe("hostile project files", () => {
  const made: string[] = [];
  const writers: ChildProcess[] = [];
  afterEach(() => {
    for (const writer of writers.splice(0)) writer.kill("SIGKILL");
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A project with a valid dev stack (one CR). */
  function project(): string {
    const dir = tempProject({
      "stacks/Pulumi.dev.yaml": "config:\n  wso2-mi:namespace: apps\n",
      "stacks/dev/ok.yaml": crYaml("ok"),
    });
    fs.appendFileSync(path.join(dir, "Pulumi.yaml"), "stackConfigDir: stacks\n");
    made.push(dir);
    return dir;
  }

  /** A hostile form of a file: what it is, how to make it in its folder, what the command says. */
  interface Hostile {
    what: string;
    make: (dir: string) => void;
    stderr: string;
  }

  /**
   * The hostile forms of the project file `file` (it holds one valid document), which messages
   * call `name`; `bombLine` is the line of the alias bomb's alias that crosses the limit.
   */
  function hostileForms(file: string, name: string, bombLine: number): Hostile[] {
    const at = (message: string): string => `error: ${file}: ${message}\n`;
    const replace = (dir: string): string => {
      fs.rmSync(path.join(dir, file));
      return path.join(dir, file);
    };
    return [
      {
        what: "6 MiB",
        make: (dir) => sparseFile(dir, file, SIX_MIB),
        stderr: at(`${name} is 6 MiB, over the limit of 5 MiB`),
      },
      {
        what: "3 GiB (more than Node reads into one string)",
        make: (dir) => sparseFile(dir, file, THREE_GIB),
        stderr: at(`${name} is 3072 MiB, over the limit of 5 MiB`),
      },
      {
        what: "a named pipe",
        make: (dir) => {
          replace(dir);
          writers.push(fedPipe(dir, file));
        },
        stderr: at(`${name} ${NOT_A_FILE}`),
      },
      {
        what: "a link to /dev/null",
        make: (dir) => fs.symlinkSync("/dev/null", replace(dir)),
        stderr: at(`${name} ${NOT_A_FILE}`),
      },
      {
        what: "an alias bomb",
        make: (dir) => fs.appendFileSync(path.join(dir, file), billionLaughs(9)),
        stderr: `error: ${file}:${bombLine}: l5[0]: ${BOMB}\n`,
      },
      {
        what: "10,000 documents",
        make: (dir) => fs.appendFileSync(path.join(dir, file), MANY_DOCUMENTS),
        stderr: at(
          `a ${name.replace(/^the /, "")} holds one YAML document; remove the \`---\` and what follows`,
        ),
      },
    ];
  }

  for (const { what, make, stderr } of hostileForms(
    "stacks/Pulumi.dev.yaml",
    "the stack file",
    8,
  )) {
    it(`render refuses a stack file that is ${what}, naming it`, () => {
      const dir = project();
      make(dir);
      expect(run(render, ["--stack", "dev"], dir)).to.deep.equal(refused(stderr));
    });
  }

  for (const { what, make, stderr } of hostileForms(
    "stacks/dev.images.lock.yaml",
    "the image lock",
    7,
  )) {
    it(`render refuses an image lock that is ${what}, naming it`, () => {
      const dir = project();
      fs.writeFileSync(path.join(dir, "stacks/dev.images.lock.yaml"), "images: {}\n");
      make(dir);
      const said = stderr.replace("a image lock holds", "an image lock holds");
      expect(run(render, ["--stack", "dev"], dir)).to.deep.equal(refused(said));
    });
  }

  it("render refuses a stack file that is a link to /dev/zero", () => {
    const dir = project();
    fs.rmSync(path.join(dir, "stacks/Pulumi.dev.yaml"));
    fs.symlinkSync("/dev/zero", path.join(dir, "stacks/Pulumi.dev.yaml"));
    expect(run(render, ["--stack", "dev"], dir)).to.deep.equal(
      refused(`error: stacks/Pulumi.dev.yaml: the stack file ${NOT_A_FILE}`),
    );
  });

  it("render refuses a stack file with a !!js/function tag, at its line", () => {
    const dir = project();
    fs.writeFileSync(
      path.join(dir, "stacks/Pulumi.dev.yaml"),
      'config:\n  wso2-mi:namespace: !!js/function "function () {}"\n',
    );
    const result = run(render, ["--stack", "dev"], dir);
    expect({ ...result, stderr: result.stderr.split(" (")[0] }).to.deep.equal(
      refused(`error: stacks/Pulumi.dev.yaml:2: ${JS_TAG}`),
    );
  });

  for (const { what, make, stderr } of hostileForms("Pulumi.yaml", "the Pulumi project file", 9)) {
    it(`render refuses a Pulumi.yaml that is ${what}, naming it`, () => {
      const dir = project();
      make(dir);
      expect(run(render, ["--stack", "dev"], dir)).to.deep.equal(refused(stderr));
    });
  }

  it("render refuses a Pulumi.yaml with a !!js/function tag, at its line", () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), 'name: !!js/function "function () {}"\n');
    const result = run(render, ["--stack", "dev"], dir);
    expect({ ...result, stderr: result.stderr.split(" (")[0] }).to.deep.equal(
      refused(`error: Pulumi.yaml:1: ${JS_TAG}`),
    );
  });

  describe("plan --before/--after", () => {
    /** A file the folder's marker lists: render's, so plan reads it. */
    const file = "ns/service-b.yaml";
    /**
     * Render output folders `before` (one Service) and `out` (two) in a new folder, `out`'s
     * second file removed for the case to put in its place (its marker still lists it); that
     * folder.
     */
    function outFolder(): string {
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-hostile-plan-"));
      made.push(cwd);
      const service = (name: string): Manifest => ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: "ns" },
      });
      writeOutDir([service("a")], path.join(cwd, "before"));
      writeOutDir([service("a"), service("b")], path.join(cwd, "out"));
      fs.rmSync(path.join(cwd, "out", file));
      return cwd;
    }

    const at = (message: string): string => `error: out/${file}: ${message}\n`;
    const cases: Hostile[] = [
      {
        what: "6 MiB",
        make: (dir) => sparseFile(dir, file, SIX_MIB),
        stderr: at("the file is 6 MiB, over the limit of 5 MiB"),
      },
      {
        what: "3 GiB",
        make: (dir) => sparseFile(dir, file, THREE_GIB),
        stderr: at("the file is 3072 MiB, over the limit of 5 MiB"),
      },
      {
        what: "a named pipe",
        make: (dir) => writers.push(fedPipe(dir, file)),
        stderr: at(`the file ${NOT_A_FILE}`),
      },
      {
        what: "a link to /dev/zero",
        make: (dir) => fs.symlinkSync("/dev/zero", path.join(dir, file)),
        stderr: at(`the file ${NOT_A_FILE}`),
      },
      {
        what: "a link to nowhere",
        make: (dir) => fs.symlinkSync("nowhere.yaml", path.join(dir, file)),
        stderr: at("the file does not exist"),
      },
      {
        what: "an alias bomb",
        make: (dir) => fs.writeFileSync(path.join(dir, file), billionLaughs(9)),
        stderr: `error: out/${file}:6: l5[0]: ${BOMB}\n`,
      },
      {
        what: "10,000 documents",
        make: (dir) => fs.writeFileSync(path.join(dir, file), `a: 1\n${MANY_DOCUMENTS}`),
        stderr: at(
          "holds more than 1000 YAML documents; a render output file holds one Kubernetes object",
        ),
      },
    ];
    for (const { what, make, stderr } of cases) {
      it(`refuses a file of the folder that is ${what}, naming it`, () => {
        const cwd = outFolder();
        make(path.join(cwd, "out"));
        expect(run(plan, ["--before", "before", "--after", "out"], cwd)).to.deep.equal(
          refused(stderr),
        );
      });
    }
  });
});
