/**
 * Hostile input files: devices, pipes and very large files named as CRs or as the
 * controller config are refused without reading them whole (or blocking); CR paths from the
 * stack config resolve relative to the project, not the working directory, and a missing one
 * is reported by the path as written; the program registers nothing when any of that fails.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { readInputFile, unreadProblem } from "../../../components/model/input/inputFile";
import { InputError, Problems, formatProblem } from "../../../components/model/problems";
import { loadStackByName } from "../../../components/model/loadStack";
import { stackConfigFromFile } from "../../../components/model/settings/stack";
import { MAX_YAML_BYTES } from "../../../components/model/input/yamlLimits";
import { crYaml, tempProject } from "../../cli/run";
import { installMocks, runRefusedProgram } from "../../components/harness";
import { billionLaughs, sparseFile } from "./support";

const TOO_LARGE =
  "the file is 6 MiB, over the limit of 5 MiB; split it into several files (a folder of CR " +
  "files is read whole)";

/** The problems `loadStackByName(dir, "dev")` throws, as printed; fails when nothing is thrown. */
function problemsOf(dir: string): string[] {
  try {
    loadStackByName(dir, "dev");
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("expected an InputError");
}

/** A project whose dev stack sets `config` (lines under `config:`), holding `files`. */
function project(config: string[], files: Record<string, string> = {}): string {
  return tempProject({
    "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
    "stacks/Pulumi.dev.yaml": ["config:", ...config.map((l) => `  ${l}`), ""].join("\n"),
    ...files,
  });
}

/** What a missing CR folder's error adds. */
const NO_FOLDER =
  "; a stack with no integrations keeps an empty folder (a .gitkeep keeps it in git), and a " +
  "stack no longer wanted is removed with `pulumi destroy`";

describe("hostile input files", () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tracked = (dir: string): string => {
    made.push(dir);
    return dir;
  };

  it("reads a regular file up to 5 MiB, and refuses devices, folders and larger files", () => {
    const dir = tracked(fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-hostile-")));
    fs.writeFileSync(path.join(dir, "max.yaml"), "x".repeat(MAX_YAML_BYTES));
    sparseFile(dir, "big.yaml");
    expect(readInputFile(path.join(dir, "max.yaml"))).to.deep.equal({
      text: "x".repeat(MAX_YAML_BYTES),
    });
    expect(readInputFile(path.join(dir, "big.yaml"))).to.deep.equal({
      reason: "too-large",
      problem: TOO_LARGE,
      bytes: 6 * 1024 * 1024,
    });
    const notAFile = {
      reason: "not-a-file",
      problem: "is not a regular file (a folder, device or pipe?)",
    };
    expect(readInputFile("/dev/zero")).to.deep.equal(notAFile);
    expect(readInputFile(dir)).to.deep.equal(notAFile);
    expect(readInputFile(path.join(dir, "none.yaml"))).to.deep.equal({
      reason: "missing",
      problem: "no such file",
    });
  });

  it("says which file was not read and why, in one line", () => {
    const dir = tracked(fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-hostile-")));
    sparseFile(dir, "big.yaml", 3 * 1024 * 1024 * 1024);
    const read = (file: string): string => {
      const result = readInputFile(file);
      return "text" in result ? result.text : unreadProblem(result, "the stack file");
    };
    expect(read(path.join(dir, "big.yaml"))).to.equal(
      "the stack file is 3072 MiB, over the limit of 5 MiB",
    );
    expect(read("/dev/zero")).to.equal(
      "the stack file is not a regular file (a folder, device or pipe?)",
    );
    expect(read(path.join(dir, "none.yaml"))).to.equal("the stack file does not exist");
    expect(read(path.join(dir, "big.yaml", "x"))).to.equal(
      `the stack file cannot be read: ENOTDIR: not a directory, stat '${path.join(dir, "big.yaml", "x")}'`,
    );
  });

  it("stackConfigFromFile (the program's tests) refuses a device as the stack file", () => {
    const problems = new Problems();
    expect(stackConfigFromFile("/dev/null", "wso2-mi", problems)).to.deep.equal({});
    expect(problems.list.map(formatProblem)).to.deep.equal([
      "error: /dev/null: the stack file is not a regular file (a folder, device or pipe?)",
    ]);
  });

  it("refuses /dev/zero, a pipe and a 6 MiB file named as CRs, each by its path", () => {
    const dir = tracked(
      project(['wso2-mi:crs: ["/dev/zero", "crs", "big.yaml", "ok.yaml"]'], {
        "ok.yaml": crYaml("ok"),
      }),
    );
    fs.mkdirSync(path.join(dir, "crs"));
    execFileSync("mkfifo", [path.join(dir, "crs", "pipe.yaml")]);
    sparseFile(dir, "big.yaml");
    expect(problemsOf(dir)).to.deep.equal([
      "error: /dev/zero: is not a regular file (a folder, device or pipe?)",
      "error: crs/pipe.yaml: is not a regular file (a folder, device or pipe?)",
      `error: big.yaml: ${TOO_LARGE}`,
    ]);
  });

  it("refuses /dev/zero and a 6 MiB file named as the controller config", () => {
    const devZero = tracked(
      project(["wso2-mi:controllerConfig: /dev/zero"], { "stacks/dev/ok.yaml": crYaml("ok") }),
    );
    expect(problemsOf(devZero)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:2: wso2-mi:controllerConfig: "/dev/zero" is not a file; ' +
        "name the controller config file",
    ]);
    const big = tracked(
      project(["wso2-mi:controllerConfig: conf.yaml"], { "stacks/dev/ok.yaml": crYaml("ok") }),
    );
    sparseFile(big, "conf.yaml");
    expect(problemsOf(big)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:2: wso2-mi:controllerConfig: "conf.yaml" is 6 MiB, over the ' +
        "limit of 5 MiB",
    ]);
  });

  it("resolves CR paths against the project, not the working directory, and names a missing one as written", () => {
    const parent = tracked(fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-hostile-")));
    fs.mkdirSync(path.join(parent, "shared"));
    fs.writeFileSync(path.join(parent, "shared", "outside.yaml"), crYaml("outside"));
    const dir = path.join(parent, "project");
    fs.renameSync(
      project(['wso2-mi:crs: ["crs", "../shared/outside.yaml"]'], {
        "crs/inside.yaml": crYaml("inside"),
      }),
      dir,
    );
    expect(process.cwd()).to.not.equal(dir);
    const names = loadStackByName(dir, "dev").integrations.map((i) => i.name);
    expect(names).to.deep.equal(["inside", "outside"]);

    fs.writeFileSync(
      path.join(dir, "stacks", "Pulumi.dev.yaml"),
      'config:\n  wso2-mi:crs: ["crs", "crs/missing.yaml", "../shared/gone/"]\n',
    );
    expect(problemsOf(dir)).to.deep.equal([
      "error: crs/missing.yaml: no such file or folder",
      "error: ../shared/gone/: no such file or folder" + NO_FOLDER,
    ]);
  });

  it("makes the program register nothing and log the path when a CR path is missing or hostile", async () => {
    const dir = tracked(project([], { "crs/ok.yaml": crYaml("ok") }));
    const inputs = installMocks("wso2-mi", "dev", {
      "wso2-mi:crs": JSON.stringify(["crs", "nowhere", "/dev/zero"]),
    });
    const { message, log } = await runRefusedProgram(dir);
    expect(message).to.equal("2 problems in the stack's input, listed above; nothing was deployed");
    expect(log.errors).to.deep.equal([
      "/dev/zero: is not a regular file (a folder, device or pipe?)",
      `nowhere: no such file or folder${NO_FOLDER}`,
    ]);
    expect([...inputs.keys()]).to.deep.equal([]);
  });

  it("makes the program register nothing when a CR file is an alias bomb", async () => {
    const dir = tracked(
      project([], { "crs/bomb.yaml": billionLaughs(9), "crs/ok.yaml": crYaml("ok") }),
    );
    const inputs = installMocks("wso2-mi", "dev", { "wso2-mi:crs": "crs" });
    const { log } = await runRefusedProgram(dir);
    expect(log.errors).to.deep.equal([
      "crs/bomb.yaml:6: l5[0]: YAML aliases: they expand this file by more than 100000 values " +
        '(a "billion laughs" alias bomb?); write the repeated parts out or alias less',
    ]);
    expect([...inputs.keys()]).to.deep.equal([]);
  });
});
