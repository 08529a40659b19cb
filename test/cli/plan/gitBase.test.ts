import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { expect } from "chai";
import { loadStackInput } from "../../../cli/common/stackInput";
import { crYaml, listFiles, ROOT } from "../run";
import { cleanUp, runPlan, scratch } from "./support";

/** The files of the example `dev` stack, as the stack names them. */
const DEV_FILES = [
  "Pulumi.yaml",
  "stacks/Pulumi.dev.yaml",
  "stacks/integration_controller_conf.yaml",
];

function git(repo: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=Plan Test", "-c", "user.email=plan@example.com", ...args],
    { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** A git repository with the dev stack's files under `sub` (and `.` for the repository's top). */
function devRepository(sub = "."): { repo: string; project: string } {
  const repo = scratch("wso2-mi-plan-git-");
  const project = path.join(repo, sub);
  const files = [
    ...DEV_FILES,
    ...listFiles(path.join(ROOT, "stacks/dev")).map((f) => `stacks/dev/${f}`),
  ];
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
  }
  git(repo, "init", "-q");
  commit(repo, "the dev stack");
  return { repo, project };
}

function commit(repo: string, message: string): void {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", message);
}

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

/** Every file of the repository, `.git` included, with a hash of its content. */
function snapshot(repo: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of listFiles(repo)) {
    const content = fs.readFileSync(path.join(repo, file));
    out[file] = crypto.createHash("sha256").update(content).digest("hex");
  }
  return out;
}

/**
 * Leaves only the header (type and size) of the loose object that holds `file` at HEAD, so that
 * `git ls-tree -l` still tells its size but reading its content (`git cat-file`) fails: a plan
 * that requests the blob fails with "cannot read files".
 */
function keepOnlyHeader(repo: string, file: string): void {
  const object = git(repo, "rev-parse", `HEAD:${file}`).trim();
  const loose = path.join(repo, ".git", "objects", object.slice(0, 2), object.slice(2));
  const size = fs.statSync(path.join(repo, file)).size;
  fs.chmodSync(loose, 0o644);
  fs.writeFileSync(loose, zlib.deflateSync(Buffer.from(`blob ${size}\0`)));
}

/** How many objects the dev stack of the project in `dir` has now. */
function objectCount(dir: string): number {
  return loadStackInput(dir, { stack: "dev" }).list.length;
}

const HELLO = "stacks/dev/hello-world.yaml";

describe("plan --stack --base: against a git revision", () => {
  after(cleanUp);

  it("plans the committed change of a CR and a new CR, touching neither working tree nor index", () => {
    const { repo } = devRepository();
    const hello = fs.readFileSync(path.join(repo, HELLO), "utf8");
    write(repo, HELLO, hello.replace("hello-world-mi:1.0.0", "hello-world-mi:1.1.0"));
    write(repo, "stacks/dev/zeta.yaml", crYaml("zeta"));
    commit(repo, "change hello-world, add zeta");
    const before = snapshot(repo);

    const result = runPlan(["--stack", "dev", "--base", "HEAD~1"], repo);

    expect(result.stderr).to.equal("");
    expect(result.code).to.equal(0);
    expect(result.stdout).to.equal(
      [
        "~  Ingress integrations-dev/ei-operator-ingress",
        "      + spec.rules[dev.integrations.example.com].http.paths[/zeta-service(/|$)(.*)]: " +
          "{backend: {service: {name: zeta-service, port: {number: 8290}}}, path: /zeta-service(/|$)(.*), pathType: ImplementationSpecific}",
        "~  Deployment integrations-dev/hello-world-deployment",
        "      ~ spec.template.spec.containers[micro-integrator].image: docker.io/wso2/hello-world-mi:1.0.0 => docker.io/wso2/hello-world-mi:1.1.0",
        "+  Deployment integrations-dev/zeta-deployment",
        "+  Service integrations-dev/zeta-service",
        "",
        `Plan: 2 to create, 2 to update, 0 to replace, 0 to delete, ${objectCount(repo) - 4} unchanged.`,
        "",
      ].join("\n"),
    );
    expect(snapshot(repo)).to.deep.equal(before);
    expect(git(repo, "status", "--porcelain")).to.equal("");
  });

  it("plans uncommitted changes against HEAD, and nothing when there are none", () => {
    const { repo } = devRepository();
    expect(
      runPlan(["--stack", "dev", "--base", "HEAD", "--expect-no-changes"], repo).code,
    ).to.equal(0);
    fs.rmSync(path.join(repo, HELLO));
    const result = runPlan(["--stack", "dev", "--base", "HEAD", "--format", "json"], repo);
    const plan = JSON.parse(result.stdout) as Record<string, { name: string }[]>;
    expect(plan.delete.map((e) => e.name)).to.deep.equal([
      "hello-world-deployment",
      "hello-world-service",
    ]);
    expect(plan.update.map((e) => e.name)).to.deep.equal(["ei-operator-ingress"]);
    expect(git(repo, "status", "--porcelain")).to.equal(` D ${HELLO}\n`);
  });

  it("carries the input's warnings into the markdown and the json, and prints them on stderr", () => {
    const { repo } = devRepository();
    write(
      repo,
      "stacks/dev/zeta.yaml",
      crYaml("zeta", ["env:", "  - name: A", '    value: "1"', "  - name: A", '    value: "2"']),
    );
    const warning =
      'stacks/dev/zeta.yaml:10: spec.env[1].name: "A" is also set by spec.env[0]; the last one wins';
    const markdown = runPlan(["--stack", "dev", "--base", "HEAD", "--format", "markdown"], repo);
    expect(markdown.code).to.equal(0);
    expect(markdown.stderr).to.equal(`warning: ${warning}\n`);
    expect(markdown.stdout).to.contain(
      "**1 warning in the input:**\n\n" +
        '- warning: `stacks/dev/zeta.yaml:10` `spec.env[1].name`: "A" is also set by spec.env[0]; the last one wins\n',
    );
    const json = runPlan(["--stack", "dev", "--base", "HEAD", "--format", "json"], repo);
    expect((JSON.parse(json.stdout) as { problems: unknown[] }).problems).to.deep.equal([
      {
        severity: "warning",
        file: "stacks/dev/zeta.yaml",
        line: 10,
        field: "spec.env[1].name",
        message: '"A" is also set by spec.env[0]; the last one wins',
      },
    ]);
  });

  it("works for a project in a folder of the repository, with the markdown heading", () => {
    const { repo, project } = devRepository("infra/wso2");
    write(project, "stacks/dev/zeta.yaml", crYaml("zeta"));
    commit(repo, "add zeta");
    const result = runPlan(["--stack", "dev", "--base", "HEAD~1", "--format", "markdown"], project);
    expect(result.stdout.split("\n").slice(0, 3)).to.deep.equal([
      "### Plan for stack `dev` against `HEAD~1`",
      "",
      `**Plan: 2 to create, 1 to update, 0 to replace, 0 to delete, ${objectCount(project) - 3} unchanged.**`,
    ]);
  });

  it("a stack that did not exist at the base is created whole", () => {
    const { repo } = devRepository();
    write(
      repo,
      "stacks/Pulumi.qa.yaml",
      "config:\n  wso2-mi:namespace: qa\n  wso2-mi:crs: [stacks/qa]\n",
    );
    write(repo, "stacks/qa/one.yaml", crYaml("one"));
    commit(repo, "add the qa stack");
    const result = runPlan(["--stack", "qa", "--base", "HEAD~1"], repo);
    expect(result.stdout).to.equal(
      [
        "+  Ingress qa/ei-operator-ingress",
        "+  Deployment qa/one-deployment",
        "+  Service qa/one-service",
        "",
        "Plan: 3 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("a CR path the stack names that was missing at the base held nothing then", () => {
    const { repo } = devRepository();
    const stack = fs.readFileSync(path.join(repo, "stacks/Pulumi.dev.yaml"), "utf8");
    write(
      repo,
      "stacks/Pulumi.dev.yaml",
      stack.replace("- stacks/dev\n", "- stacks/dev\n    - stacks/extra\n"),
    );
    commit(repo, "name a folder that does not exist yet");
    write(repo, "stacks/extra/x.yaml", crYaml("extra-one"));
    const result = runPlan(["--stack", "dev", "--base", "HEAD"], repo);
    expect(result.stderr).to.equal("");
    expect(result.stdout).to.contain("+  Deployment integrations-dev/extra-one-deployment\n");
  });

  it("invalid input at the base is an error naming REF:file and line", () => {
    const { repo } = devRepository();
    const hello = fs.readFileSync(path.join(repo, HELLO), "utf8");
    write(repo, HELLO, hello.replace("minReplicas: 1", "minReplica: 1"));
    commit(repo, "a typo");
    write(repo, HELLO, hello);
    commit(repo, "fixed");
    const result = runPlan(["--stack", "dev", "--base", "HEAD~1"], repo);
    expect(result).to.deep.equal({
      code: 1,
      stdout: "",
      stderr: `error: HEAD~1:${HELLO}:9: spec.deploySpec.minReplica: unknown field; did you mean "minReplicas"?\n`,
    });
  });

  it("a CR file over the size limit at the base is one error naming REF:file, its blob never read", () => {
    const { repo } = devRepository();
    const big = "stacks/dev/big.yaml";
    write(repo, big, `#${"x".repeat(6 * 1024 * 1024 - 2)}\n`);
    commit(repo, "a 6 MiB CR file");
    keepOnlyHeader(repo, big);
    fs.rmSync(path.join(repo, big));
    const result = runPlan(["--stack", "dev", "--base", "HEAD"], repo);
    expect(result).to.deep.equal({
      code: 1,
      stdout: "",
      stderr:
        `error: HEAD:${big}: the file is 6 MiB, over the limit of 5 MiB; ` +
        "split it into several files (a folder of CR files is read whole)\n",
    });
  });

  it("a file over the size limit that is not YAML, in a CR folder at the base, is ignored unread", () => {
    const { repo } = devRepository();
    const notes = "stacks/dev/notes.bin";
    write(repo, notes, "x".repeat(6 * 1024 * 1024));
    commit(repo, "a 6 MiB file beside the CRs");
    keepOnlyHeader(repo, notes);
    const result = runPlan(["--stack", "dev", "--base", "HEAD", "--expect-no-changes"], repo);
    expect(result.stderr).to.equal("");
    expect(result.code).to.equal(0);
  });

  it("1 for a revision git does not know, or a folder outside any repository", () => {
    const { repo } = devRepository();
    const unknown = runPlan(["--stack", "dev", "--base", "origin/nope"], repo);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(
      /^error: --base origin\/nope: no such commit; name a branch, tag or commit the repository has \(in CI, check out with history: fetch-depth: 0\) \(git: .*\)\n$/,
    );
    const outside = scratch();
    for (const file of DEV_FILES)
      write(outside, file, fs.readFileSync(path.join(ROOT, file), "utf8"));
    const result = runPlan(["--stack", "dev", "--base", "HEAD"], outside);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(
      /^error: --base HEAD: the project folder is not in a git repository/,
    );
  });
});
