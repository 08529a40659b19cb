/**
 * The public entry (`components/index.ts`) as the README shows it: the README's own-program
 * snippet, run as written under Pulumi's mocks, registers exactly what the stack program does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { InputError, loadStack } from "../../components";
import { installMocks, runProgram, stackConfig } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
const PROJECT = "wso2-mi";

/** The TypeScript block under the README's "Using the component in your own program". */
function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split("## Using the component in your own program")[1] ?? "";
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error("the README has no own-program snippet");
  return block[1];
}

describe("the public entry, components/index.ts", () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-program-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs the README's snippet under mocks, registering what the stack program registers", async () => {
    const snippet = readmeSnippet();
    expect(snippet).to.include('from "./components"');
    // The snippet as a program file of the project: its imports and __dirname point at the project.
    const file = path.join(dir, "index.ts");
    fs.writeFileSync(
      file,
      snippet
        .replace('from "./components"', `from ${JSON.stringify(path.join(ROOT, "components"))}`)
        .replaceAll("__dirname", JSON.stringify(ROOT)),
    );
    const config = stackConfig(ROOT, PROJECT, "dev");
    const expected = await runProgram(ROOT, PROJECT, "dev", config);

    const inputs = installMocks(PROJECT, "dev", config);
    const exported = await pulumi.runtime.runInPulumiStack(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const program = require(file) as Record<string, unknown>;
      return Promise.resolve(program);
    });

    const names = expected.registrations.map((r) => `${r.type}::${r.name}`);
    expect(names).to.have.length(24);
    expect([...inputs.keys()].sort()).to.deep.equal(names.sort());
    expect(Object.keys(exported ?? {})).to.deep.equal(["integrations"]);
  });

  it("loadStack throws one InputError listing every problem: the stack file's and the CRs'", () => {
    let thrown: unknown;
    try {
      loadStack({
        baseDir: ROOT,
        stack: "dev",
        config: { [`${PROJECT}:namespace`]: "Not_A_Namespace", [`${PROJECT}:crs`]: "missing/" },
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(InputError);
    const problems = (thrown as InputError).problems.filter((p) => p.severity === "error");
    expect(problems.map((p) => [p.file, p.path])).to.deep.equal([
      ["stacks/Pulumi.dev.yaml", "wso2-mi:namespace"],
      ["missing/", undefined],
    ]);
    expect((thrown as InputError).message).to.match(/^2 problems in the input:\n/);
  });

  it("loadStack reads the project's name from Pulumi.yaml when not given", () => {
    const resolved = loadStack({
      baseDir: ROOT,
      stack: "dev",
      config: stackConfig(ROOT, PROJECT, "dev"),
    });
    expect(resolved.integrations.map((i) => `${i.namespace}/${i.name}`)).to.have.length(6);
  });
});
