/**
 * `render --resolve-images` against a real registry: it pins what `pulumi up` would deploy,
 * follows a re-pushed tag, fails clearly with nothing on stdout, and without the flag never
 * touches the network.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { renderMain } from "../../cli/render/main";
import type { CliIo } from "../../cli/common/io";
import { IMAGE_DIGEST_TYPE } from "../../provider/imageDigest";
import { crYaml, ensureBuilt, listFiles, ROOT, type Result } from "../cli/run";
import { runProgram } from "../components/harness";
import { pushImage, type SilentServer, type TestRegistry } from "./registry/harness";
import { authField, writeDockerConfig } from "./registry/support";
import {
  crWithImage,
  refreshProject,
  startRegistries,
  stopRegistries,
  type Registries,
} from "./support";

interface Container {
  image: string;
  imagePullPolicy: string;
}

interface Rendered {
  kind: string;
  metadata: { name: string };
  spec: {
    template?: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Container[] };
    };
  };
}

/** `render` in the project `projectDir`, started in `cwd` (default: the project). */
async function render(argv: string[], projectDir: string, cwd?: string): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    projectDir,
    ...(cwd === undefined ? {} : { cwd }),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  };
  const code = await renderMain(argv, io);
  return { code, stdout, stderr };
}

/** The containers of every Deployment printed, by Deployment name. */
function containers(stdout: string): Record<string, Container[]> {
  const out: Record<string, Container[]> = {};
  for (const object of loadAll(stdout) as Rendered[]) {
    if (object.kind === "Deployment") {
      out[object.metadata.name] = object.spec.template?.spec.containers ?? [];
    }
  }
  return out;
}

function images(stdout: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(containers(stdout)).map(([name, list]) => [name, list[0].image]),
  );
}

/** A project whose stack `dev` sets `imageRefresh` lines and whose CRs run the images given. */
function project(refresh: string[], crImages: Record<string, string>): string {
  const crs = Object.fromEntries(
    Object.entries(crImages).map(([name, image]) => [name, crWithImage(name, image)]),
  );
  return refreshProject(refresh, crs, ["wso2-mi:namespace: apps"]);
}

describe("image refresh: render --resolve-images against a real registry", function () {
  this.timeout(120_000);
  let registries: Registries;
  let open: TestRegistry;
  let basic: TestRegistry;
  let silent: SilentServer;

  before(async () => {
    registries = await startRegistries();
    ({ open, basic, silent } = registries);
  });

  after(() => stopRegistries(registries));

  it("pins the registry's digest, follows a re-pushed tag, and prints the same for an unchanged one", async () => {
    const first = await pushImage(open, "team/hello", "1.0.0", "docker", "r1");
    const dir = project(["enabled: true"], {
      hello: `${open.host}/team/hello:1.0.0`,
      out: `${open.host}/team/hello:1.0.0`,
    });
    fs.writeFileSync(
      path.join(dir, "crs/out.yaml"),
      crYaml("out")
        .replace("docker.io/wso2/out:1.0.0", `${open.host}/team/hello:1.0.0`)
        .replace(
          "  name: out\n",
          '  name: out\n  annotations:\n    integrations.wso2.com/image-refresh: "false"\n',
        ),
    );
    const argv = ["--stack", "dev", "--resolve-images"];
    const one = await render(argv, dir);
    expect(one.stderr).to.equal("");
    expect(one.code).to.equal(0);
    expect(images(one.stdout)).to.deep.equal({
      "hello-deployment": `${open.host}/team/hello:1.0.0@${first.digest}`,
      "out-deployment": `${open.host}/team/hello:1.0.0`,
    });
    expect((await render(argv, dir)).stdout).to.equal(one.stdout);

    const second = await pushImage(open, "team/hello", "1.0.0", "docker", "r2");
    const two = await render(argv, dir);
    expect(two.code).to.equal(0);
    expect(images(two.stdout)["hello-deployment"]).to.equal(
      `${open.host}/team/hello:1.0.0@${second.digest}`,
    );
    expect(two.stdout.replace(second.digest, first.digest)).to.equal(one.stdout);
  });

  it("annotates the digest and keeps the tag in annotation mode", async () => {
    const pushed = await pushImage(open, "team/annotated", "2", "oci", "a");
    const dir = project(["enabled: true", "mode: annotation"], {
      hello: `${open.host}/team/annotated:2`,
    });
    const result = await render(["--stack", "dev", "--resolve-images"], dir);
    expect(result.code).to.equal(0);
    const deployment = (loadAll(result.stdout) as Rendered[]).find((o) => o.kind === "Deployment");
    expect(deployment?.spec.template?.metadata.annotations).to.deep.equal({
      "integrations.wso2.com/image-digest": pushed.digest,
    });
    expect(
      deployment?.spec.template?.spec.containers.map((c) => [c.image, c.imagePullPolicy]),
    ).to.deep.equal([[`${open.host}/team/annotated:2`, "Always"]]);
  });

  it("fails naming the CR, the image and the registry, with nothing on stdout or on disk", async () => {
    await pushImage(open, "team/there", "1", "docker", "t");
    const image = `${open.host}/team/there:9`;
    const dir = project(["enabled: true"], { hello: image });
    const out = path.join(dir, "out");
    const result = await render(["--stack", "dev", "--resolve-images", "--out", "out"], dir);
    expect(result).to.deep.equal({
      code: 1,
      stdout: "",
      stderr:
        `error: crs/hello.yaml:6: spec.image: Cannot resolve image "${image}" on registry ` +
        `${open.host}: the tag "9" is not in repository "team/there" (MANIFEST_UNKNOWN). Check the ` +
        "tag, or push the image first.\n",
    });
    expect(fs.existsSync(out)).to.equal(false);
  });

  it("reads a private registry's credentials from --docker-config, and prints none", async () => {
    const pushed = await pushImage(basic, "private/app", "1", "docker", "b");
    const image = `${basic.host}/private/app:1`;
    const dir = project(["enabled: true"], { hello: image });
    const dockerConfig = writeDockerConfig({
      auths: { [basic.host]: { auth: authField(basic.username, basic.password) } },
    });
    const argv = ["--stack", "dev", "--resolve-images"];
    const denied = await render(argv, dir);
    expect(denied.code).to.equal(1);
    expect(denied.stdout).to.equal("");
    expect(denied.stderr).to.match(
      new RegExp(
        `^error: crs/hello\\.yaml:6: spec\\.image: Cannot resolve image "${image}" on registry ${basic.host}: the registry requires authentication`,
      ),
    );
    const allowed = await render([...argv, "--docker-config", dockerConfig], dir);
    expect(allowed.stderr).to.equal("");
    expect(images(allowed.stdout)).to.deep.equal({
      "hello-deployment": `${basic.host}/private/app:1@${pushed.digest}`,
    });
    const printed = JSON.stringify([denied, allowed]);
    expect(printed).not.to.include(basic.password);
    expect(printed).not.to.include(authField(basic.username, basic.password));
  });

  it("takes the Docker config from the stack's imageRefresh.dockerConfig", async () => {
    await pushImage(basic, "private/stack", "1", "docker", "s");
    const dockerConfig = writeDockerConfig({
      auths: { [basic.host]: { auth: authField(basic.username, basic.password) } },
    });
    const dir = project(["enabled: true", `dockerConfig: ${JSON.stringify(dockerConfig)}`], {
      hello: `${basic.host}/private/stack:1`,
    });
    const result = await render(["--stack", "dev", "--resolve-images"], dir);
    expect(result.stderr).to.equal("");
    expect(result.code).to.equal(0);
  });

  it("registers in the program exactly what it renders, given the digest render resolved", async () => {
    const pushed = await pushImage(open, "team/same", "3", "docker", "same");
    const dir = project(["enabled: true"], { hello: `${open.host}/team/same:3` });
    const rendered = await render(["--stack", "dev", "--resolve-images"], dir);
    const run = await runProgram(
      dir,
      "wso2-mi",
      "dev",
      {
        "wso2-mi:namespace": "apps",
        "wso2-mi:crs": "crs",
        "wso2-mi:imageRefresh": '{"enabled":true}',
      },
      (type, inputs) =>
        type === IMAGE_DIGEST_TYPE
          ? {
              ...inputs,
              digest: pushed.digest,
              pinned: `${open.host}/team/same:3@${pushed.digest}`,
            }
          : inputs,
    );
    const deployment = run.registrations.find((r) => r.type === "kubernetes:apps/v1:Deployment");
    const fromRender = (loadAll(rendered.stdout) as Rendered[]).find(
      (o) => o.kind === "Deployment",
    );
    expect(JSON.parse(JSON.stringify(deployment?.inputs))).to.deep.equal(fromRender);
  });

  describe("without --resolve-images", () => {
    it("stays offline, prints the tags, and says they were not resolved", async () => {
      const image = `${silent.host}/team/offline:1`;
      const dir = project(["enabled: true"], { hello: image, bye: image });
      const before = silent.connections;
      const result = await render(["--stack", "dev"], dir);
      expect(result.code).to.equal(0);
      expect(images(result.stdout)).to.deep.equal({
        "bye-deployment": image,
        "hello-deployment": image,
      });
      expect(result.stderr).to.equal(
        "note: stacks/Pulumi.dev.yaml:4: wso2-mi:imageRefresh: images were not resolved: 2 " +
          "integrations show their tag where `pulumi up` deploys the registry's digest; add " +
          "--resolve-images to pin them\n",
      );
      expect(silent.connections).to.equal(before);
    });

    it("says nothing when the stack does not refresh images", async () => {
      const dir = project([], { hello: `${silent.host}/team/offline:1` });
      const result = await render(["--stack", "dev"], dir);
      expect(result.code).to.equal(0);
      expect(result.stderr).to.equal("");
    });
  });

  describe("flags", () => {
    it("resolves when the stack's imageRefresh is off, and without a stack", async () => {
      const pushed = await pushImage(open, "team/asked", "4", "docker", "asked");
      const image = `${open.host}/team/asked:4`;
      const dir = project([], { hello: image });
      const pinned = `${open.host}/team/asked:4@${pushed.digest}`;
      const withStack = await render(["--stack", "dev", "--resolve-images"], dir);
      expect(withStack.stderr).to.equal("");
      expect(withStack.code).to.equal(0);
      expect(images(withStack.stdout)).to.deep.equal({ "hello-deployment": pinned });
      const offline = await render(["--stack", "dev"], dir);
      expect(images(offline.stdout)).to.deep.equal({ "hello-deployment": image });
      const flagsOnly = await render(["--crs", "crs", "--resolve-images"], dir);
      expect(flagsOnly.stderr).to.equal("");
      expect(flagsOnly.code).to.equal(0);
      expect(images(flagsOnly.stdout)).to.deep.equal({ "hello-deployment": pinned });
    });

    it("resolves through the compiled bin, run from the CR folder without a stack", async () => {
      ensureBuilt();
      const pushed = await pushImage(open, "team/bin", "5", "docker", "bin");
      const dir = project([], { hello: `${open.host}/team/bin:5` });
      const result = spawnSync(
        process.execPath,
        [path.join(ROOT, "bin", "wso2-mi.js"), "render", "--crs", ".", "--resolve-images"],
        { cwd: path.join(dir, "crs"), encoding: "utf8", timeout: 60_000 },
      );
      expect(result.stderr).to.equal("");
      expect(result.status).to.equal(0);
      expect(images(result.stdout)).to.deep.equal({
        "hello-deployment": `${open.host}/team/bin:5@${pushed.digest}`,
      });
    });

    it("notes that there is nothing to resolve when every CR opts out", async () => {
      const dir = project([], { hello: `${silent.host}/team/offline:1` });
      fs.writeFileSync(
        path.join(dir, "crs/hello.yaml"),
        crYaml("hello")
          .replace("docker.io/wso2/hello:1.0.0", `${silent.host}/team/offline:1`)
          .replace(
            "  name: hello\n",
            '  name: hello\n  annotations:\n    integrations.wso2.com/image-refresh: "false"\n',
          ),
      );
      const before = silent.connections;
      const result = await render(["--stack", "dev", "--resolve-images"], dir);
      expect(result.code).to.equal(0);
      expect(result.stderr).to.equal(
        "note: stacks/Pulumi.dev.yaml: --resolve-images found nothing to resolve: every CR opts " +
          'out (integrations.wso2.com/image-refresh: "false") or is pinned by digest\n',
      );
      expect(silent.connections).to.equal(before);
    });

    it("reads credentials from $DOCKER_CONFIG, and --docker-config from where it was started", async () => {
      const pushed = await pushImage(basic, "private/env", "1", "docker", "env");
      const dir = project([], { hello: `${basic.host}/private/env:1` });
      const dockerConfig = writeDockerConfig({
        auths: { [basic.host]: { auth: authField(basic.username, basic.password) } },
      });
      const pinned = { "hello-deployment": `${basic.host}/private/env:1@${pushed.digest}` };
      const saved = process.env.DOCKER_CONFIG;
      process.env.DOCKER_CONFIG = path.dirname(dockerConfig);
      try {
        const fromEnv = await render(["--stack", "dev", "--resolve-images"], dir);
        expect(fromEnv.stderr).to.equal("");
        expect(images(fromEnv.stdout)).to.deep.equal(pinned);
      } finally {
        if (saved === undefined) delete process.env.DOCKER_CONFIG;
        else process.env.DOCKER_CONFIG = saved;
      }
      const started = path.dirname(dockerConfig);
      const fromFlag = await render(
        ["--stack", "dev", "--resolve-images", "--docker-config", path.basename(dockerConfig)],
        dir,
        started,
      );
      expect(fromFlag.stderr).to.equal("");
      expect(images(fromFlag.stdout)).to.deep.equal(pinned);
    });

    it("refuses --docker-config without --resolve-images, and a missing file", async () => {
      const dir = project(["enabled: true"], { hello: `${silent.host}/team/offline:1` });
      const usage = await render(["--stack", "dev", "--docker-config", "x.json"], dir);
      expect(usage.code).to.equal(2);
      expect(usage.stderr).to.match(
        /^render: --docker-config is only read with --resolve-images\n\nusage: /,
      );
      const missing = await render(
        ["--stack", "dev", "--resolve-images", "--docker-config", "nope.json"],
        dir,
      );
      expect(missing).to.deep.equal({
        code: 1,
        stdout: "",
        stderr: "error: --docker-config: no such file: nope.json\n",
      });
    });

    it("writes the pinned objects with --out", async () => {
      const pushed = await pushImage(open, "team/files", "1", "docker", "f");
      const dir = project(["enabled: true"], { hello: `${open.host}/team/files:1` });
      const result = await render(["--stack", "dev", "--resolve-images", "--out", "out"], dir);
      expect(result.code).to.equal(0);
      expect(listFiles(path.join(dir, "out"))).to.include("apps/deployment-hello-deployment.yaml");
      const text = fs.readFileSync(
        path.join(dir, "out/apps/deployment-hello-deployment.yaml"),
        "utf8",
      );
      expect(text).to.include(`image: ${open.host}/team/files:1@${pushed.digest}`);
    });
  });
});
