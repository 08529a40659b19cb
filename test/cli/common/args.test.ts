/** Every command's flags behave alike: did-you-mean, one value per flag, npm's `--`. */
import { expect } from "chai";
import { main as importFile } from "../../../cli/import-file/main";
import { main as plan } from "../../../cli/plan/main";
import { main as reconciler } from "../../../cli/reconciler/main";
import { main as render } from "../../../cli/render/main";
import { main as start } from "../../../cli/start/main";
import type { CliIo } from "../../../cli/common/io";
import { run } from "../run";

type Main = (argv: readonly string[], io: CliIo) => number;

/** Each command, and flags that make it run (for the checks that add one flag to them). */
const COMMANDS: [string, Main, string[]][] = [
  ["render", render, ["--stack", "dev"]],
  ["start", start, ["--stack", "dev"]],
  ["plan", plan, ["--before", "a", "--after", "b"]],
  ["import-file", importFile, ["--stack", "dev"]],
  [
    "reconciler",
    reconciler,
    ["--stack", "dev", "--repo", "https://github.com/acme/i.git", "--org", "acme"],
  ],
];

describe("command-line flags, every command alike", () => {
  it("covers every command", () => {
    expect(COMMANDS.map(([name]) => name)).to.deep.equal([
      "render",
      "start",
      "plan",
      "import-file",
      "reconciler",
    ]);
  });

  for (const [name, main, valid] of COMMANDS) {
    describe(name, () => {
      it("suggests the flag closest to a misspelt one", () => {
        const result = run(main, ["--stak", "dev"]);
        expect(result.code).to.equal(2);
        expect(result.stdout).to.equal("");
        expect(result.stderr.split("\n")[0]).to.equal(
          `${name}: Unknown option '--stak'; did you mean --stack?`,
        );
      });

      it("refuses a flag that takes one value given twice", () => {
        const result = run(main, [...valid, valid[0], valid[1]]);
        expect(result.code).to.equal(2);
        expect(result.stderr.split("\n")[0]).to.equal(
          `${name}: ${valid[0]} is given more than once; give it once (it takes one value)`,
        );
      });

      it("names the flags npm kept for itself when run as `npm run` without `--`", () => {
        const env = { npm_lifecycle_event: name, npm_config_stack: "true" };
        const result = run(main, ["dev"], undefined, { env });
        expect(result.code).to.equal(2);
        expect(result.stdout).to.equal("");
        const npmRun = name === "start" ? "npm start --" : `npm run ${name} --`;
        expect(result.stderr.split("\n")[0]).to.equal(
          `${name}: npm took --stack for itself and did not pass it on: put the command's ` +
            `flags after \`--\`, as in \`${npmRun} --stack ...\``,
        );
      });

      it("reminds that flags go after `--` when npm passed none", () => {
        const env = { npm_lifecycle_event: name };
        const result = run(main, ["dev"], undefined, { env });
        expect(result.code).to.equal(2);
        expect(result.stderr.split("\n")[0]).to.match(
          /\(run through npm, the command's flags go after `--`: `npm (start|run [a-z-]+) -- --(stack|before) \.\.\.`\)$/,
        );
        // The same mistake, not run by npm: no word about npm.
        expect(run(main, ["dev"]).stderr.split("\n")[0]).not.to.include("npm");
      });
    });
  }

  it("accepts --crs more than once, and ignores npm's settings under another script", () => {
    const env = { npm_lifecycle_event: "test", npm_config_stack: "true" };
    const result = run(
      render,
      ["--crs", "stacks/dev/hello-world.yaml", "--crs", "stacks/dev/jms-example.yaml"],
      undefined,
      { env },
    );
    expect(result.stderr).to.equal("");
    expect(result.code).to.equal(0);
  });
});
