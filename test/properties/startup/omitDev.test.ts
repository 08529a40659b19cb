/**
 * It must start: an install without devDependencies (`npm ci --omit=dev`, as deployment images
 * make it; here the same packages, hard-linked from this install by package-lock.json's own
 * marks, which takes no time) runs the stack program the way Pulumi's nodejs runtime does: the runtime finds the
 * project's own `typescript` and `ts-node` (else it falls back to a bundled TypeScript 3.8 that
 * cannot read this project), registers ts-node with the project's tsconfig and type-checks
 * `index.ts` and everything it imports, then requires it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { loadStackInput } from "../../../cli/common/stackInput";
import { stackConfig } from "../../components/harness";
import { ROOT } from "../../cli/run";
import { runInEngine } from "../../provider/engine";
import { REGISTER_AS_PULUMI, serializeUnderTsNode } from "../../provider/tsNode";

/**
 * What `@pulumi/pulumi/cmd/run/run.js` does for a TypeScript program (`typescript: true` in
 * Pulumi.yaml), then the program under Pulumi's mocks: every registration's `type::name`.
 */
const RUNTIME = `
${REGISTER_AS_PULUMI}
const path = require("path");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const { config } = JSON.parse(input);
  const pulumi = require("@pulumi/pulumi");
  const names = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        names.push(args.type + "::" + args.name);
        return { id: args.name, state: args.inputs };
      },
      call: () => ({}),
    },
    "wso2-mi",
    "dev",
    false,
  );
  pulumi.runtime.setAllConfig(config, []);
  await pulumi.runtime.runInPulumiStack(async () => require(path.resolve("index.ts")));
  let seen = -1;
  while (seen !== names.length) {
    seen = names.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  process.stdout.write(JSON.stringify({ ...TS_RUNTIME, names }));
});
`;

/** The project's files as git has them, without the tests and the bench. */
function projectFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split("\0").filter((f) => f !== "" && !/^(test|bench)\//.test(f));
}

/**
 * The packages `npm ci --omit=dev` installs: every entry of package-lock.json's `packages` that
 * npm has not marked `dev` (a package only development needs), as `node_modules/...` paths.
 */
function productionPackages(): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; link?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([where, entry]) => where.startsWith("node_modules/") && entry.dev !== true)
    .map(([where]) => where);
}

/**
 * `from` (a package folder) at `to`, its files hard links to the installed ones (a copy across
 * file systems): the install's own files, at no cost in time or space. Nested `node_modules`
 * folders are left out: they are packages of their own.
 */
function linkPackage(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") linkPackage(source, target);
    } else if (entry.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(source), target);
    } else {
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
      }
    }
  }
}

describe("startup: an install without devDependencies runs the program as Pulumi's runtime does", function () {
  this.timeout(180_000);
  let dir: string;
  let missing: string[] = [];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-omit-dev-"));
    for (const file of projectFiles()) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    const packages = productionPackages();
    missing = packages.filter((p) => !fs.existsSync(path.join(ROOT, p)));
    for (const p of packages) {
      if (!missing.includes(p)) linkPackage(path.join(ROOT, p), path.join(dir, p));
    }
  });

  after(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("holds every production package and no development tool", () => {
    expect(missing, "run npm ci first").to.deep.equal([]);
    for (const dev of ["mocha", "tsx", "@types/mocha", "eslint", "chai"]) {
      expect(fs.existsSync(path.join(dir, "node_modules", dev)), dev).to.equal(false);
    }
  });

  it("compiles index.ts with the project's TypeScript and ts-node, type-checked, and registers the stack's objects", () => {
    const config = stackConfig(ROOT, "wso2-mi", "dev");
    const run = spawnSync(process.execPath, ["-e", RUNTIME], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: "" },
      input: JSON.stringify({ config }),
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(run.status, run.stderr).to.equal(0);
    const out = JSON.parse(run.stdout) as {
      typescript: string;
      typescriptVersion: string;
      tsnode: string;
      names: string[];
    };
    expect(out.typescript).to.equal(
      path.join("node_modules", "typescript", "lib", "typescript.js"),
    );
    expect(out.typescriptVersion).to.match(/^5\./);
    expect(out.tsnode.startsWith(path.join("node_modules", "ts-node"))).to.equal(true);
    const expected = loadStackInput(ROOT, { stack: "dev" }).list.map(
      (o) => `${o.metadata?.namespace}/${o.metadata?.name}`,
    );
    const kubernetes = out.names.filter((n) => n.startsWith("kubernetes:"));
    expect(kubernetes).to.have.length(expected.length);
    for (const name of expected) {
      expect(
        kubernetes.filter((n) => n.endsWith(`::${name}`)),
        name,
      ).to.have.length(1);
    }
  });

  it("serializes the image-refresh provider under ts-node, and its process loads the registry client with ts-node (no tsx)", () => {
    const serialized = serializeUnderTsNode(dir);
    const pinned = `registry.example.com/team/hello@sha256:${"d".repeat(64)}`;
    const run = runInEngine(
      serialized.text,
      [["check", {}, { image: pinned, onUnreachable: "fail" }]],
      {},
      process.env,
      dir,
    );
    expect(run.results).to.deep.equal([
      {
        ok: {
          inputs: {
            image: pinned,
            onUnreachable: "fail",
            digest: `sha256:${"d".repeat(64)}`,
            pinned,
          },
        },
      },
    ]);
    expect(run.stderr).to.equal("");
  });

  it("builds the commands' dist/ there (npm's `prepare`), and bin/wso2-mi.js runs plan --live from it, without tsx", () => {
    // npm ci links each installed package's bins; `npm run build` finds tsc there.
    fs.mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
    fs.symlinkSync("../typescript/bin/tsc", path.join(dir, "node_modules", ".bin", "tsc"));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD"),
    );
    const build = spawnSync("npm", ["run", "build", "--loglevel=warn"], {
      cwd: dir,
      env: { ...env, NODE_OPTIONS: "" },
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(build.status, build.stderr + build.stdout).to.equal(0);
    expect(fs.existsSync(path.join(dir, "dist", "cli", "main.js"))).to.equal(true);
    const fixture = path.join("test", "fixtures", "live", "operator");
    const args = ["--live", "team-a.yaml", "team-b.yaml", "--stack", "migrate", "--format", "json"];
    const run = spawnSync(
      process.execPath,
      [path.join(dir, "bin", "wso2-mi.js"), "plan", ...args],
      {
        cwd: path.join(ROOT, fixture),
        env: { ...env, NODE_OPTIONS: "" },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).not.to.include("tsx");
    const plan = JSON.parse(run.stdout) as { update: unknown[] };
    expect(plan.update.length).to.be.greaterThan(0);
  });
});
