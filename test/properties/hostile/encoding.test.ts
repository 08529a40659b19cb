/**
 * Bytes are not silently changed (issue 15): input that is not UTF-8 is an error naming the file
 * and the line, in every command and for every input file, never text with U+FFFD in it; a
 * byte-order mark is removed where YAML allows one (before a document) and refused, with its
 * line, anywhere else, so that none ends up inside a field name or value.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { decodeText, withoutByteOrderMarks } from "../../../components/model/input/inputFile";
import { main as plan } from "../../../cli/plan/main";
import { main as render } from "../../../cli/render/main";
import { crYaml, run } from "../../cli/run";
import { cleanUp, project, scratch } from "../../cli/plan/support";
import { COMMANDS, everyCommand, type CommandRun } from "./commands";

const STACK = [
  "config:",
  "  wso2-mi:namespace: apps",
  "  wso2-mi:crs: [crs]",
  "  wso2-mi:controllerConfig: controller.yaml",
  "",
].join("\n");

const CONTROLLER = [
  "apiVersion: v1",
  "kind: ConfigMap",
  "metadata:",
  "  name: integration-config",
  "data:",
  '  minReplicas: "2"',
  "",
].join("\n");

/** What `pulumi up` hands the program for {@link STACK}. */
const PROGRAM_CONFIG = {
  "wso2-mi:namespace": "apps",
  "wso2-mi:crs": '["crs"]',
  "wso2-mi:controllerConfig": "controller.yaml",
};

/** The CR `hello` with an env variable whose value is `value` (line 9 of the file). */
function helloCr(value: string): string {
  return crYaml("hello", ["env:", "  - name: GREETING", `    value: ${value}`]);
}

/** A project of the stack `dev` whose files are the defaults with `files` (bytes or text) over them. */
function bytesProject(files: Record<string, string | Buffer>): string {
  const dir = project({
    "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
    "stacks/Pulumi.dev.yaml": STACK,
    "controller.yaml": CONTROLLER,
    "crs/hello.yaml": helloCr("hi"),
  });
  for (const [file, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, file), content);
  return dir;
}

/** `text` in Latin-1, as an editor set to Windows-1252 saves it. */
function latin1(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** Every run refused the input with `line` (`file:line: message`, `error: ` first but for the program). */
function expectRefused(runs: CommandRun[], line: string, commands: readonly string[]): void {
  expect(runs.map((r) => r.command)).to.deep.equal(commands);
  for (const result of runs) {
    const where = `${result.command}: ${result.stderr}`;
    expect(result.code, where).to.equal(1);
    expect(result.stdout, where).to.equal("");
    const expected = result.command === "program" ? line : `error: ${line}`;
    expect(result.stderr.split("\n"), where).to.include(expected);
    if (result.command === "plan --base") {
      expect(result.stderr.split("\n"), where).to.include(`error: HEAD:${line}`);
    }
    expect(result.stderr + result.stdout, where).not.to.include("\uFFFD");
  }
}

const NOT_UTF8 = (column: number): string =>
  `is not UTF-8 text: the byte 0xE9 at column ${column} is not valid UTF-8 (a file saved in ` +
  "another encoding, such as Latin-1 or Windows-1252?); save it as UTF-8";

const ALL = COMMANDS;
const WITHOUT_PROGRAM = COMMANDS.filter((c) => c !== "program");

describe("hostile bytes: input that is not UTF-8, and byte-order marks", () => {
  after(cleanUp);

  describe("decodeText", () => {
    it("names the line and column of the first byte that is not UTF-8", () => {
      expect(decodeText(latin1("a: 1\nb: caf\u00e9\n"))).to.deep.equal({
        line: 2,
        problem: NOT_UTF8(7),
      });
      // Overlong forms, surrogates and truncated sequences are not UTF-8 either.
      for (const bad of [
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xe2, 0x82],
        [0xf5, 0x80, 0x80, 0x80],
      ]) {
        const result = decodeText(Buffer.from([0x61, 0x0a, ...bad]));
        expect(result, String(bad)).to.have.property("line", 2);
      }
      expect(decodeText(Buffer.from("h\u00e9 \u20ac \u{1F600}\n", "utf8"))).to.deep.equal({
        text: "h\u00e9 \u20ac \u{1F600}\n",
      });
    });

    it("says UTF-16 text is UTF-16", () => {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a: 1\n", "utf16le")]);
      expect(decodeText(utf16)).to.deep.equal({
        line: 1,
        problem: "is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8",
      });
    });

    it("removes the byte-order mark that starts a file", () => {
      expect(decodeText(Buffer.from("\uFEFFa: 1\n"))).to.deep.equal({ text: "a: 1\n" });
    });
  });

  describe("withoutByteOrderMarks", () => {
    it("removes a byte-order mark before a document, and refuses one anywhere else", () => {
      const bom = "\uFEFF";
      expect(withoutByteOrderMarks(`${bom}a: 1\n---\n${bom}b: 2\n${bom}---\nc: 3\n`)).to.deep.equal(
        {
          text: "a: 1\n---\nb: 2\n---\nc: 3\n",
        },
      );
      expect(withoutByteOrderMarks(`a: 1\n${bom}b: 2\n`)).to.deep.equal({
        line: 2,
        problem:
          "a byte-order mark (U+FEFF, invisible in most editors) at column 1; one may only " +
          "start a file or a YAML document: remove it",
      });
      expect(withoutByteOrderMarks(`a: "x${bom}"\n`)).to.have.property("line", 1);
    });
  });

  describe("every command refuses it, naming the file and the line", () => {
    it("a CR file", async () => {
      const dir = bytesProject({ "crs/hello.yaml": latin1(helloCr("caf\u00e9")) });
      const runs = await everyCommand(dir, { programConfig: PROGRAM_CONFIG });
      expectRefused(runs, `crs/hello.yaml:9: ${NOT_UTF8(17)}`, ALL);
    });

    it("a CR file in UTF-16", async () => {
      const text = Buffer.from(`\uFEFF${helloCr("hi")}`, "utf16le");
      const dir = bytesProject({ "crs/hello.yaml": text });
      const runs = await everyCommand(dir, { programConfig: PROGRAM_CONFIG });
      expectRefused(
        runs,
        "crs/hello.yaml:1: is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8",
        ALL,
      );
    });

    it("the controller config", async () => {
      const text = latin1(
        CONTROLLER.replace(
          "name: integration-config",
          "name: integration-config\n  # r\u00e9sum\u00e9",
        ),
      );
      const dir = bytesProject({ "controller.yaml": text });
      const runs = await everyCommand(dir, { programConfig: PROGRAM_CONFIG });
      expectRefused(runs, `controller.yaml:5: the controller config ${NOT_UTF8(6)}`, ALL);
    });

    it("the stack file (Pulumi reads it for the program)", async () => {
      const dir = bytesProject({ "stacks/Pulumi.dev.yaml": latin1(`${STACK}# \u00e9\n`) });
      const runs = await everyCommand(dir);
      expectRefused(
        runs,
        `stacks/Pulumi.dev.yaml:5: the stack file ${NOT_UTF8(3)}`,
        WITHOUT_PROGRAM,
      );
    });

    it("the project file", async () => {
      const dir = bytesProject({
        "Pulumi.yaml": latin1("name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n# \u00e9\n"),
      });
      const runs = await everyCommand(dir);
      expectRefused(runs, `Pulumi.yaml:4: the Pulumi project file ${NOT_UTF8(3)}`, WITHOUT_PROGRAM);
    });

    it("a config file the stack mounts (configFiles)", async () => {
      const dir = bytesProject({
        "stacks/Pulumi.dev.yaml":
          STACK +
          "  wso2-mi:configFiles:\n" +
          "    - file: conf/deployment.toml\n" +
          "      mountPath: /home/wso2carbon/wso2mi-4.2.0/conf/deployment.toml\n",
      });
      fs.mkdirSync(path.join(dir, "conf"));
      fs.writeFileSync(
        path.join(dir, "conf/deployment.toml"),
        latin1('[server]\nhostname = "caf\u00e9"\n'),
      );
      const runs = await everyCommand(dir);
      const problem =
        'wso2-mi:configFiles[0].file: "conf/deployment.toml", line 2, ' +
        NOT_UTF8(16).replace("; save it as UTF-8", "") +
        "; mount binary files (keystores) from a Secret with secretFiles, or save a text file as UTF-8";
      expectRefused(runs, `stacks/Pulumi.dev.yaml:6: ${problem}`, WITHOUT_PROGRAM);
    });

    it("a byte-order mark inside a CR's field name", async () => {
      const text = helloCr("hi").replace("  - name: GREETING", "  - \uFEFFname: GREETING");
      const dir = bytesProject({ "crs/hello.yaml": text });
      const runs = await everyCommand(dir, { programConfig: PROGRAM_CONFIG });
      expectRefused(
        runs,
        "crs/hello.yaml:8: YAML syntax: a byte-order mark (U+FEFF, invisible in most editors) at " +
          "column 7; one may only start a file or a YAML document: remove it",
        ALL,
      );
    });
  });

  it("every command reads CRs joined with their byte-order marks, field names intact", async () => {
    const joined = `\uFEFF${helloCr("hi")}---\n\uFEFF${crYaml("other")}`;
    const dir = bytesProject({ "crs/hello.yaml": joined });
    const runs = await everyCommand(dir, { programConfig: PROGRAM_CONFIG });
    expect(runs.map((r) => r.command)).to.deep.equal(ALL);
    for (const result of runs) {
      expect(result.code, `${result.command}: ${result.stderr}`).to.equal(0);
      expect(result.stdout + result.stderr).not.to.include("\uFEFF");
    }
    const rendered = runs[0].stdout;
    expect(rendered).to.include("name: hello-deployment");
    expect(rendered).to.include("name: other-deployment");
  });

  it("plan --live refuses a live export that is not UTF-8, naming it and the line", () => {
    const dir = bytesProject({
      "team-a.yaml": latin1("apiVersion: v1\nkind: List\nitems: []\n# caf\u00e9\n"),
    });
    const result = run(plan, ["--live", "team-a.yaml", "--stack", "dev"], dir);
    expect(result).to.deep.equal({
      code: 1,
      stdout: "",
      stderr: `error: team-a.yaml:4: the live objects file ${NOT_UTF8(6)}\n`,
    });
  });

  it("plan --live reads a live export that starts with a byte-order mark", () => {
    const dir = bytesProject({ "team-a.yaml": "\uFEFFapiVersion: v1\nkind: List\nitems: []\n" });
    const result = run(plan, ["--live", "team-a.yaml", "--stack", "dev"], dir);
    expect(result.code, result.stderr).to.equal(0);
  });

  it("plan refuses a render output file that is not UTF-8, naming it and the line", () => {
    const dir = bytesProject({});
    const good = path.join(scratch(), "out");
    const out = path.join(scratch(), "out");
    for (const folder of [good, out]) {
      expect(run(render, ["--stack", "dev", "--out", folder], dir).code).to.equal(0);
    }
    const file = path.join(out, "apps", "deployment-hello-deployment.yaml");
    const text = fs.readFileSync(file, "utf8").replace("value: hi", "value: h\u00e9");
    fs.writeFileSync(file, latin1(text));
    const line = text.split("\n").findIndex((l) => l.includes("value: h")) + 1;
    const column = text.split("\n")[line - 1].indexOf("\u00e9") + 1;
    const result = run(plan, ["--before", good, "--after", out], dir);
    expect(result).to.deep.equal({
      code: 1,
      stdout: "",
      stderr: `error: ${path.join(out, "apps", "deployment-hello-deployment.yaml")}:${line}: the file ${NOT_UTF8(column)}\n`,
    });
  });
});
