/**
 * A single-value flag given twice is a usage error in every command (issue 15): `parseArgs`
 * alone keeps the last one silently (`--stack dev --stack prod` would render prod). Flags that
 * take several values (`--crs`) and switches stay as they are; an argument in a message is shown
 * as every value, at most 60 characters of it.
 */
import { expect } from "chai";
import { main as importFile } from "../../../cli/import-file/main";
import { main as plan } from "../../../cli/plan/main";
import { main as reconciler } from "../../../cli/reconciler/main";
import { main as render } from "../../../cli/render/main";
import { main as start } from "../../../cli/start/main";
import type { CliIo } from "../../../cli/common/io";
import { crYaml, run } from "../../cli/run";
import { cleanUp, project } from "../../cli/plan/support";

type Main = (argv: readonly string[], io: CliIo) => number;

/** Each command, and a valid flag set of it with one single-value flag twice, by flag. */
const COMMANDS: { name: string; main: Main; flags: Record<string, string[]> }[] = [
  {
    name: "render",
    main: render,
    flags: {
      stack: ["--stack", "dev", "--stack", "prod"],
      "controller-config": ["--stack", "dev", "--controller-config", "a", "--controller-config=b"],
      namespace: ["--stack", "dev", "--namespace", "a", "--namespace", "a"],
      out: ["--stack", "dev", "--out", "a", "--out", "b"],
      "docker-config": [
        "--stack",
        "dev",
        "--resolve-images",
        "--docker-config",
        "a",
        "--docker-config",
        "b",
      ],
    },
  },
  { name: "start", main: start, flags: { stack: ["--stack", "dev", "--stack=prod"] } },
  {
    name: "import-file",
    main: importFile,
    flags: {
      stack: ["--stack", "dev", "--stack", "prod"],
      out: ["--stack", "dev", "--out", "a.json", "--out", "b.json"],
    },
  },
  {
    name: "plan",
    main: plan,
    flags: {
      before: ["--before", "a", "--before", "b", "--after", "c"],
      after: ["--before", "a", "--after", "b", "--after", "c"],
      stack: ["--stack", "dev", "--stack", "prod", "--base", "HEAD"],
      base: ["--stack", "dev", "--base", "HEAD", "--base", "main"],
      format: ["--before", "a", "--after", "b", "--format", "json", "--format", "text"],
      "controller-config": [
        "--live",
        "a.yaml",
        "--crs",
        "crs",
        "--controller-config",
        "a",
        "--controller-config",
        "b",
      ],
      namespace: ["--live", "a.yaml", "--stack", "dev", "--namespace", "a", "--namespace=b"],
    },
  },
  {
    name: "reconciler",
    main: reconciler,
    flags: Object.fromEntries(
      [
        "stack",
        "repo",
        "org",
        "branch",
        "repo-dir",
        "namespace",
        "git-auth-secret",
        "docker-config-secret",
        "access-token-secret",
        "name",
      ].map((flag) => {
        const given: Record<string, string> = {
          stack: "dev",
          repo: "https://github.com/acme/integrations.git",
          org: "acme",
        };
        const argv = Object.entries(given).flatMap(([f, v]) => [`--${f}`, v]);
        return [flag, [...argv, `--${flag}`, given[flag] ?? "x", `--${flag}`, "y"]];
      }),
    ),
  },
];

describe("hostile flags: a single-value flag given twice", () => {
  // A throwaway project: were a flag taken twice, what it wrote would land there.
  let dir: string;
  before(() => {
    dir = project({
      "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
      "stacks/Pulumi.dev.yaml": "config:\n  wso2-mi:crs: [crs]\n",
      "stacks/Pulumi.prod.yaml": "config:\n  wso2-mi:crs: [crs]\n",
      "crs/a.yaml": crYaml("a"),
    });
  });
  after(cleanUp);

  it("covers every single-value flag of every command", () => {
    expect(COMMANDS.map((c) => `${c.name}: ${Object.keys(c.flags).join(" ")}`)).to.deep.equal([
      "render: stack controller-config namespace out docker-config",
      "start: stack",
      "import-file: stack out",
      "plan: before after stack base format controller-config namespace",
      "reconciler: stack repo org branch repo-dir namespace git-auth-secret docker-config-secret access-token-secret name",
    ]);
  });

  for (const { name, main, flags } of COMMANDS) {
    for (const [flag, argv] of Object.entries(flags)) {
      it(`${name} --${flag} twice: exit code 2, saying so, nothing written`, () => {
        const result = run(main, argv, dir);
        expect(result.code, result.stderr).to.equal(2);
        expect(result.stdout).to.equal("");
        expect(result.stderr.split("\n")[0]).to.equal(
          `${name}: --${flag} is given more than once; give it once (it takes one value)`,
        );
      });
    }
  }

  it("takes --crs more than once, and switches twice", () => {
    const result = run(render, ["--crs", "crs/a.yaml", "--crs", "crs", "--help", "--help"], dir);
    expect(result.code, result.stderr).to.equal(0);
  });

  it("shows at most 60 characters of an argument it does not know", () => {
    const long = `--${"x".repeat(5000)}`;
    for (const main of [render, start, importFile, plan, reconciler]) {
      const { code, stderr } = run(main, ["--stack", "dev", long], dir);
      expect(code).to.equal(2);
      expect(stderr.split("\n")[0]).to.match(/"--x{58}"\.\.\. \(5002 characters\)/);
    }
    const stray = run(render, ["--stack", "dev", "y".repeat(5000)], dir);
    expect(stray.stderr.split("\n")[0]).to.equal(
      `render: unexpected argument "${"y".repeat(60)}"... (5000 characters)`,
    );
  });
});
