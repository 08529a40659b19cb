/**
 * `npm run images` against a real registry (through the fault proxy, which counts requests): the
 * lock it writes, a re-pushed tag that changes nothing until `--update` moves the lock, the plan
 * of that move, `--check`'s exit codes, `--only`, and a semver policy across paginated tags.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { imagesMain, type ImagesOptions } from "../../../cli/images/main";
import type { CliIo } from "../../../cli/common/io";
import { main as plan } from "../../../cli/plan/main";
import { main as render, renderMain } from "../../../cli/render/main";
import {
  deleteManifest,
  FaultProxy,
  pushImage,
  startRegistry,
  type Pushed,
  type TestRegistry,
} from "../../provider/registry/harness";
import { removeTempDirs } from "../../provider/registry/support";
import { crYaml, run, tempProject, type Result } from "../run";

const LOCK = "stacks/dev.images.lock.yaml";
const T1 = new Date("2026-12-01T06:00:00.123Z");
const T2 = new Date("2026-12-02T06:00:00Z");

async function images(
  argv: string[],
  cwd: string,
  now = T1,
  options: ImagesOptions = {},
): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { projectDir: cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await imagesMain(argv, io, { now: () => now, ...options });
  return { code, stdout, stderr };
}

function git(repo: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=Images Test", "-c", "user.email=images@example.com", ...args],
    { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** A project whose stack `dev` refreshes images (`refresh` lines added) and runs `crImages`. */
function project(crImages: Record<string, string>, refresh: string[] = []): string {
  const files: Record<string, string> = {
    "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
    "stacks/Pulumi.dev.yaml": [
      "config:",
      "  wso2-mi:crs: crs",
      "  wso2-mi:namespace: apps",
      "  wso2-mi:imageRefresh:",
      "    enabled: true",
      ...refresh.map((l) => `    ${l}`),
      "",
    ].join("\n"),
  };
  for (const [name, image] of Object.entries(crImages)) {
    files[`crs/${name}.yaml`] = crYaml(name).replace(`docker.io/wso2/${name}:1.0.0`, image);
  }
  return tempProject(files);
}

interface Deployment {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { template: { spec: { containers: { image: string }[] } } };
}

/** The Deployments of an offline render of `dev`, by name. */
function rendered(dir: string): Record<string, Deployment> {
  const result = run(render, ["--stack", "dev"], dir);
  if (result.code !== 0) throw new Error(result.stderr);
  const objects = (loadAll(result.stdout) as Deployment[]).filter((o) => o.kind === "Deployment");
  return Object.fromEntries(objects.map((o) => [o.metadata.name, o]));
}

function imageOf(dir: string, name: string): string {
  return rendered(dir)[`${name}-deployment`].spec.template.spec.containers[0].image;
}

describe("images: the image lock against a real registry", function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const made: string[] = [];

  before(async () => {
    registry = await startRegistry();
    proxy = await new FaultProxy(registry.host).start();
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
    removeTempDirs();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => proxy.reset());

  function newProject(...args: Parameters<typeof project>): string {
    const dir = project(...args);
    made.push(dir);
    return dir;
  }

  it("locks, holds the lock through a re-push, and moves it with --update: the plan is the digest change", async () => {
    const hello1 = await pushImage(registry, "team/hello", "1.0.0", "docker", "h1");
    const other = await pushImage(registry, "team/other", "2.0", "oci", "o1");
    const hello = `${proxy.host}/team/hello:1.0.0`;
    const dir = newProject({ hello, other: `${proxy.host}/team/other:2.0` });

    const unlocked = await images(["--stack", "dev", "--check"], dir);
    expect(unlocked.code).to.equal(7);
    expect(unlocked.stdout.split("\n")[0]).to.match(
      /^IMAGE +POLICY +LOCKED +REGISTRY NOW +STATUS +USED BY$/,
    );
    expect(unlocked.stdout.match(/ unlocked /g)?.length).to.equal(2);

    const locked = await images(["--stack", "dev", "--update"], dir);
    expect([locked.code, locked.stderr]).to.deep.equal([0, `wrote ${LOCK}: 2 added\n`]);
    const text = fs.readFileSync(path.join(dir, LOCK), "utf8");
    expect(text.split("\n").slice(4).join("\n")).to.equal(
      [
        "images:",
        `  "${hello}":`,
        '    tag: "1.0.0"',
        `    digest: "${hello1.digest}"`,
        `    registry: "${proxy.host}"`,
        '    changed: "2026-12-01T06:00:00Z"',
        `  "${proxy.host}/team/other:2.0":`,
        '    tag: "2.0"',
        `    digest: "${other.digest}"`,
        `    registry: "${proxy.host}"`,
        '    changed: "2026-12-01T06:00:00Z"',
        "",
      ].join("\n"),
    );
    // An unchanged run writes nothing new: the same bytes, the same `changed`.
    const again = await images(["--stack", "dev", "--update"], dir, T2);
    expect(again.stderr).to.equal(`${LOCK} is up to date\n`);
    expect(fs.readFileSync(path.join(dir, LOCK), "utf8")).to.equal(text);
    expect((await images(["--stack", "dev", "--check"], dir)).code).to.equal(0);

    // Locked: render deploys the lock's digest and asks no registry.
    proxy.reset();
    expect(imageOf(dir, "hello")).to.equal(`${proxy.host}/team/hello:1.0.0@${hello1.digest}`);
    const hello2 = await pushImage(registry, "team/hello", "1.0.0", "docker", "h2");
    expect(imageOf(dir, "hello")).to.equal(`${proxy.host}/team/hello:1.0.0@${hello1.digest}`);
    expect(proxy.requests).to.deep.equal([]);

    const moved = await images(["--stack", "dev", "--check"], dir);
    expect(moved.code).to.equal(7);
    const row = moved.stdout.split("\n").find((l) => l.startsWith(hello)) ?? "";
    expect(row.split(/ {2,}/)).to.deep.equal([
      hello,
      "digest",
      `1.0.0@${hello1.digest.slice(0, 19)}`,
      `1.0.0@${hello2.digest.slice(0, 19)}`,
      "moved",
      "apps/hello",
    ]);
    expect(moved.stderr).to.contain("error: images moved or are not locked;");

    // The pull request that moves the lock: exactly the digest change of hello's Deployment.
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "locked");
    const update = await images(["--stack", "dev", "--update"], dir, T2);
    expect(update.stderr).to.equal(`wrote ${LOCK}: 1 moved\n`);
    expect(git(dir, "status", "--porcelain")).to.equal(` M ${LOCK}\n`);
    const lock = fs.readFileSync(path.join(dir, LOCK), "utf8");
    expect(lock).to.contain(
      `    digest: "${hello2.digest}"\n    registry: "${proxy.host}"\n    changed: "2026-12-02T06:00:00Z"`,
    );
    expect(lock).to.contain(
      `    digest: "${other.digest}"\n    registry: "${proxy.host}"\n    changed: "2026-12-01T06:00:00Z"`,
    );
    const planned = run(plan, ["--stack", "dev", "--base", "HEAD", "--format", "json"], dir);
    expect([planned.code, planned.stderr]).to.deep.equal([0, ""]);
    const json = JSON.parse(planned.stdout) as Record<
      string,
      { name: string; changes?: unknown[] }[]
    >;
    expect(json.create.length + json.delete.length + json.replace.length).to.equal(0);
    expect(json.update).to.deep.equal([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: "apps",
        name: "hello-deployment",
        changes: [
          {
            path: "spec.template.spec.containers[micro-integrator].image",
            before: `${proxy.host}/team/hello:1.0.0@${hello1.digest}`,
            after: `${proxy.host}/team/hello:1.0.0@${hello2.digest}`,
          },
        ],
      },
    ]);
    expect(imageOf(dir, "hello")).to.equal(`${proxy.host}/team/hello:1.0.0@${hello2.digest}`);

    // The locked digest deleted from the registry (the tag moved on): missing, exit 1.
    const hello3 = await pushImage(registry, "team/hello", "1.0.0", "docker", "h3");
    await deleteManifest(registry, "team/hello", hello2.digest);
    const missing = await images(["--stack", "dev", "--check"], dir);
    expect(missing.code).to.equal(1);
    expect(missing.stdout).to.match(/ missing {2}apps\/hello\n/);
    expect(missing.stdout).to.contain(`1.0.0@${hello3.digest.slice(0, 19)}`);
    expect(missing.stderr).to.contain("error: a locked digest is missing from its registry");
  });

  it("--update --only moves only the images of the integrations named", async () => {
    const a1 = await pushImage(registry, "only/a", "1", "docker", "a1");
    const b1 = await pushImage(registry, "only/b", "1", "docker", "b1");
    const dir = newProject({ a: `${proxy.host}/only/a:1`, b: `${proxy.host}/only/b:1` });
    expect((await images(["--stack", "dev", "--update"], dir)).code).to.equal(0);
    const a2 = await pushImage(registry, "only/a", "1", "docker", "a2");
    await pushImage(registry, "only/b", "1", "docker", "b2");
    const only = await images(["--stack", "dev", "--update", "--only", "apps/a"], dir, T2);
    expect([only.code, only.stderr]).to.deep.equal([0, `wrote ${LOCK}: 1 moved\n`]);
    expect(imageOf(dir, "a")).to.equal(`${proxy.host}/only/a:1@${a2.digest}`);
    expect(imageOf(dir, "b")).to.equal(`${proxy.host}/only/b:1@${b1.digest}`);
    expect(a1.digest).not.to.equal(a2.digest);

    // Long runs say how far they are on stderr (here: at once, one image at a time).
    const slow = await images(["--stack", "dev"], dir, T1, { progressMs: 0, concurrency: 1 });
    expect([slow.code, slow.stderr]).to.deep.equal([0, "images: 1 of 2 looked up\n"]);

    const unknown = await images(["--stack", "dev", "--update", "--only", "apps/zeta"], dir);
    expect([unknown.code, unknown.stdout]).to.deep.equal([1, ""]);
    expect(unknown.stderr).to.equal(
      "error: command line: --only: the stack has no integration apps/zeta; its integrations that refresh images are apps/a, apps/b\n",
    );
  });

  it("semver: locks the newest matching tag from a registry with more tags than one page", async () => {
    const pushed = new Map<string, Pushed>();
    for (const tag of [
      ...Array.from({ length: 25 }, (_, i) => `1.0.${i}`),
      "2.0.0",
      "1.1.0-rc.1",
    ]) {
      pushed.set(tag, await pushImage(registry, "sem/app", tag, "docker", tag));
    }
    const written = `${proxy.host}/sem/app:1.0.0`;
    const dir = newProject({ app: written }, ["policy:", '  semver: "^1.0.0"']);
    proxy.tagsPageLimit = 10;
    const result = await images(["--stack", "dev", "--update"], dir);
    expect(result.code).to.equal(0);
    expect(proxy.requests.filter((r) => r.path.includes("/tags/list")).length).to.equal(3);
    const digest = pushed.get("1.0.24")?.digest ?? "";
    expect(fs.readFileSync(path.join(dir, LOCK), "utf8")).to.contain(
      `  "${written}":\n    tag: "1.0.24"\n    digest: "${digest}"\n`,
    );
    // The CR keeps its tag; the Deployment runs the chosen digest and names the chosen tag.
    expect(fs.readFileSync(path.join(dir, "crs/app.yaml"), "utf8")).to.contain(`image: ${written}`);
    const deployment = rendered(dir)["app-deployment"];
    expect(deployment.metadata.annotations).to.deep.equal({
      "integrations.wso2.com/image-tag": "1.0.24",
    });
    expect(deployment.spec.template.spec.containers[0].image).to.equal(
      `${proxy.host}/sem/app:1.0.24@${digest}`,
    );

    await pushImage(registry, "sem/app", "1.0.25", "docker", "1.0.25");
    const check = await images(["--stack", "dev", "--check"], dir);
    expect(check.code).to.equal(7);
    expect(check.stdout).to.contain(`1.0.24@${digest.slice(0, 19)}`);
    expect(check.stdout).to.match(/1\.0\.25@sha256:[0-9a-f]{12} +moved/);
  });

  it("render --resolve-images on a locked stack checks the locked digests and resolves no tag", async () => {
    const pinned = await pushImage(registry, "resolve/app", "1", "docker", "r1");
    const dir = newProject({ app: `${proxy.host}/resolve/app:1` });
    expect((await images(["--stack", "dev", "--update"], dir)).code).to.equal(0);
    await pushImage(registry, "resolve/app", "1", "docker", "r2");
    proxy.reset();
    const io = capture(dir);
    expect(await renderMain(["--stack", "dev", "--resolve-images"], io)).to.equal(0);
    expect(io.out.stdout).to.contain(`image: ${proxy.host}/resolve/app:1@${pinned.digest}`);
    expect(proxy.requests).to.deep.equal([
      { method: "HEAD", path: `/v2/resolve/app/manifests/${pinned.digest}`, status: 200 },
    ]);
    await deleteManifest(registry, "resolve/app", pinned.digest);
    const failed = capture(dir);
    const code = await renderMain(["--stack", "dev", "--resolve-images"], failed);
    expect(code).to.equal(1);
    expect(failed.out.stdout).to.equal("");
    expect(failed.out.stderr).to.equal(
      `error: crs/app.yaml:6: spec.image: ${proxy.host}/resolve/app:1: the image lock's digest ` +
        `${pinned.digest} (tag 1) is not in its registry any more (deleted, or never pushed ` +
        "there). Nothing was rolled out; move the lock to a digest the registry holds with " +
        "`npm run images -- --stack <stack> --update` and review that change\n",
    );
  });
});

function capture(cwd: string): CliIo & { out: { stdout: string; stderr: string } } {
  const out = { stdout: "", stderr: "" };
  return {
    projectDir: cwd,
    out,
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
  };
}
