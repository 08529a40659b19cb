/** `npm run images`: flags, usage errors and what it says without asking any registry. */
import * as fs from "node:fs";
import { expect } from "chai";
import { parseImagesArgs } from "../../../cli/images/args";
import { imagesMain } from "../../../cli/images/main";
import type { CliIo } from "../../../cli/common/io";
import { crYaml, ROOT, tempProject, type Result } from "../run";

async function images(argv: string[], cwd = ROOT): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { projectDir: cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await imagesMain(argv, io);
  return { code, stdout, stderr };
}

describe("images: flags", () => {
  it("reads --stack, --update with --only (repeated or listed), --check and --docker-config", () => {
    expect(parseImagesArgs(["--stack", "prod"])).to.deep.equal({
      ok: true,
      args: { stack: "prod", update: false, check: false, help: false },
    });
    expect(
      parseImagesArgs(["--stack=prod", "--update", "--only", "a/b", "c/d", "--only=e/f"]),
    ).to.deep.equal({
      ok: true,
      args: { stack: "prod", update: true, check: false, help: false, only: ["a/b", "e/f", "c/d"] },
    });
    expect(parseImagesArgs(["--stack", "p", "--check", "--docker-config", "c.json"])).to.deep.equal(
      {
        ok: true,
        args: { stack: "p", update: false, check: true, help: false, dockerConfig: "c.json" },
      },
    );
  });

  it("refuses what it cannot do, with exit code 2 and the usage", async () => {
    const cases: [string[], string][] = [
      [[], "--stack NAME is required"],
      [
        ["--stack", "p", "--update", "--check"],
        "--check reads the lock as it is; run it apart from --update",
      ],
      [["--stack", "p", "--only", "a/b"], "--only is read only with --update"],
      [
        ["--stack", "p", "--update", "--only", "orders"],
        '--only takes NS/NAME, e.g. integrations-prod/orders-api, not "orders"',
      ],
      [["--stack", "p", "extra"], 'unexpected argument "extra"'],
      [["--stack", "p", "--docker-config="], "--docker-config needs a non-empty value"],
    ];
    expect(cases.length).to.equal(6);
    for (const [argv, message] of cases) {
      const result = await images(argv);
      expect([result.code, result.stdout], argv.join(" ")).to.deep.equal([2, ""]);
      expect(result.stderr.split("\n")[0]).to.equal(`images: ${message}`);
      expect(result.stderr).to.contain("usage: npm run images -- --stack NAME");
    }
    const help = await images(["--help"]);
    expect([help.code, help.stderr]).to.deep.equal([0, ""]);
    expect(help.stdout).to.contain("Exit codes: 0 done, 1 invalid input");
  });
});

describe("images: before any registry", () => {
  it("says a stack that does not refresh images has nothing to lock", async () => {
    const result = await images(["--stack", "dev"]);
    expect(result).to.deep.equal({
      code: 0,
      stdout: "",
      stderr:
        "note: stack dev does not refresh images (wso2-mi:imageRefresh.enabled is not true): there is nothing to lock\n",
    });
  });

  it("writes no lock for a stack none of whose integrations refreshes its image", async () => {
    const pinned = `docker.io/wso2/hello@sha256:${"a".repeat(64)}`;
    const dir = tempProject({
      "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
      "stacks/Pulumi.dev.yaml":
        "config:\n  wso2-mi:crs: crs\n  wso2-mi:imageRefresh:\n    enabled: true\n",
      "crs/hello.yaml": crYaml("hello").replace("docker.io/wso2/hello:1.0.0", pinned),
    });
    try {
      const result = await images(["--stack", "dev", "--update"], dir);
      expect(result).to.deep.equal({
        code: 0,
        stdout: "IMAGE  POLICY  LOCKED  REGISTRY NOW  STATUS  USED BY\n",
        stderr: "note: no integration of stack dev refreshes its image: no lock written\n",
      });
      expect(fs.existsSync(`${dir}/stacks/dev.images.lock.yaml`)).to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops at an invalid lock, naming its line, and writes nothing", async () => {
    const dir = tempProject({
      "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
      "stacks/Pulumi.dev.yaml":
        "config:\n  wso2-mi:crs: crs\n  wso2-mi:imageRefresh:\n    enabled: true\n",
      "stacks/dev.images.lock.yaml": [
        "images:",
        "  docker.io/wso2/hello:1.0.0:",
        "    tag: [1]",
        `    digest: sha256:${"a".repeat(64)}`,
        "    registry: docker.io",
        '    changed: "2026-12-01T00:00:00Z"',
        "",
      ].join("\n"),
      "crs/hello.yaml": crYaml("hello"),
    });
    try {
      const result = await images(["--stack", "dev", "--update"], dir);
      expect([result.code, result.stdout]).to.deep.equal([1, ""]);
      expect(result.stderr.split("\n")[0]).to.equal(
        'error: stacks/dev.images.lock.yaml:3: images["docker.io/wso2/hello:1.0.0"].tag: expected a string, got a list',
      );
      expect(fs.readFileSync(`${dir}/stacks/dev.images.lock.yaml`, "utf8")).to.contain("tag: [1]");
      const missing = await images(["--stack", "dev", "--docker-config", "nope.json"], dir);
      expect([missing.code, missing.stderr]).to.deep.equal([
        1,
        "error: --docker-config: no such file: nope.json\n",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
