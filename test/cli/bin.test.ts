/**
 * `bin/wso2-mi.js`, the fast way to run the commands: it runs the compiled JavaScript in dist/
 * (never Pulumi, TypeScript or the schema models for render), finds the project from any
 * subfolder, and takes paths from the folder it was started in.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main as plan } from "../../cli/plan/main";
import { main as render } from "../../cli/render/main";
import { ensureBuilt, ROOT, run, type Result } from "./run";

const BIN = path.join(ROOT, "bin", "wso2-mi.js");

/** A preload that lists, at exit, every module the process loaded, on stderr as JSON. */
const RECORD_MODULES = `process.on("exit", () => process.stderr.write("MODULES " + JSON.stringify(Object.keys(require.cache)) + "\\n"));`;

/** Runs `node bin/wso2-mi.js <args>` in `cwd`, with a clean environment. */
function bin(
  args: string[],
  cwd = ROOT,
  node: string[] = [],
  extraEnv: Record<string, string> = {},
): Result {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD"),
  );
  const result = spawnSync(process.execPath, [...node, BIN, ...args], {
    cwd,
    env: { ...env, NODE_OPTIONS: "", ...extraEnv },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("bin/wso2-mi.js", function () {
  this.timeout(300_000);
  before(ensureBuilt);

  it("renders the dev stack from dist/, loading neither Pulumi, TypeScript nor schema models", () => {
    const recorder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-bin-")), "r.js");
    fs.writeFileSync(recorder, RECORD_MODULES);
    const result = bin(["render", "--stack", "dev"], ROOT, ["--require", recorder]);
    fs.rmSync(path.dirname(recorder), { recursive: true, force: true });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal(run(render, ["--stack", "dev"]).stdout);
    const line = result.stderr.split("\n").find((l) => l.startsWith("MODULES "));
    const modules = JSON.parse(line?.slice("MODULES ".length) ?? "[]") as string[];
    const ours = modules.filter((m) => !m.includes(`${path.sep}node_modules${path.sep}`));
    expect(ours.length).to.be.greaterThan(10);
    expect(
      ours.filter((m) => m !== BIN && m !== recorder && !m.startsWith(path.join(ROOT, "dist"))),
    ).to.deep.equal([]);
    const packages = new Set(
      modules
        .map((m) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(m)?.[1])
        .filter((p): p is string => p !== undefined),
    );
    expect([...packages]).to.deep.equal(["js-yaml"]);
  });

  it("loads no Pulumi for any offline command", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-bin-"));
    const recorder = path.join(dir, "r.js");
    fs.writeFileSync(recorder, RECORD_MODULES);
    const commands = [
      ["start"],
      ["import-file", "--stack", "dev"],
      ["plan", "--stack", "dev", "--base", "HEAD"],
      ["reconciler", "--stack", "prod", "--repo", "https://github.com/acme/i.git", "--org", "acme"],
    ];
    try {
      for (const args of commands) {
        const result = bin(args, ROOT, ["--require", recorder]);
        expect(result.code, result.stderr).to.equal(0);
        const line = result.stderr.split("\n").find((l) => l.startsWith("MODULES ")) ?? "";
        const modules = JSON.parse(line.slice("MODULES ".length)) as string[];
        expect(modules.length, args[0]).to.be.greaterThan(10);
        expect(
          modules.filter((m) => /node_modules[\\/]@pulumi[\\/]/.test(m)),
          args[0],
        ).to.deep.equal([]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds the project from a subfolder and reads paths from there", () => {
    const result = bin(
      ["render", "--stack", "dev", "--crs", "dev/hello-world.yaml"],
      path.join(ROOT, "stacks"),
    );
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal(
      run(render, ["--stack", "dev", "--crs", "stacks/dev/hello-world.yaml"]).stdout,
    );
  });

  it("uses its own project outside any project, and writes --out where it was started", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-bin-"));
    try {
      const result = bin(["render", "--stack", "dev", "--out", "dev"], dir);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.equal(
        `wrote 15 files and .render-out to ${path.join(dir, "dev")}\n`,
      );
      expect(fs.existsSync(path.join(dir, "dev", "integrations-dev"))).to.equal(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("serves plan --live from dist/, its files from where npm started it (INIT_CWD)", () => {
    const project = path.join(ROOT, "test/fixtures/live/operator");
    const started = path.join(project, "crs");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-bin-"));
    const recorder = path.join(dir, "r.js");
    fs.writeFileSync(recorder, RECORD_MODULES);
    const args = ["--live", "../team-a.yaml", "../team-b.yaml", "--stack", "migrate"];
    try {
      // As `npm run plan -- ...` runs it: in the package's folder, INIT_CWD where it was typed.
      const result = bin(["plan", ...args, "--format", "markdown"], ROOT, ["--require", recorder], {
        npm_lifecycle_event: "plan",
        INIT_CWD: started,
      });
      expect(result.code, result.stderr).to.equal(0);
      const expected = run(plan, [...args, "--format", "markdown"], project, { cwd: started });
      expect(expected.code, expected.stderr).to.equal(0);
      expect(result.stdout).to.equal(expected.stdout);
      const line = result.stderr.split("\n").find((l) => l.startsWith("MODULES ")) ?? "";
      const modules = JSON.parse(line.slice("MODULES ".length)) as string[];
      const ours = modules.filter((m) => !m.includes(`${path.sep}node_modules${path.sep}`));
      expect(ours.length).to.be.greaterThan(10);
      expect(
        ours.filter((m) => m !== BIN && m !== recorder && !m.startsWith(path.join(ROOT, "dist"))),
      ).to.deep.equal([]);
      expect(modules.filter((m) => /node_modules[\\/]@pulumi[\\/]/.test(m))).to.deep.equal([]);
      const misspelt = bin(["plan", "--live", "x.yaml", "--stak", "migrate"], started);
      expect(misspelt.code).to.equal(2);
      expect(misspelt.stderr).to.match(/^plan: Unknown option '--stak'; did you mean --stack\?/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers --help, and a missing or misspelt command with the usage and exit code 2", () => {
    expect(bin(["--help"])).to.include({ code: 0, stderr: "" });
    expect(bin(["--help"]).stdout).to.match(/^usage: wso2-mi <command> \[flags\]/);
    const misspelt = bin(["rendr", "--stack", "dev"]);
    expect(misspelt.code).to.equal(2);
    expect(misspelt.stdout).to.equal("");
    expect(misspelt.stderr).to.match(
      /^wso2-mi: unknown command "rendr"; did you mean render\?\n\nusage: /,
    );
    expect(bin([]).code).to.equal(2);
    expect(bin(["plan", "--help"]).stdout).to.match(/^usage: npm run plan -- /);
  });
});
