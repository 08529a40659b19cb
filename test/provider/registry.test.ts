/**
 * The image-refresh provider against a real registry (CNCF distribution on loopback): the
 * provider as the engine runs it (serialized, in a fresh `node`), re-pushed and unchanged tags,
 * every failure, `onUnreachable: keep`, and no credential anywhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import {
  imageDigestProvider,
  type ImageDigestInputs,
  type ImageDigestOutputs,
} from "../../provider/imageDigest";
import { resolveStackImages } from "../../provider/pinImages";
import { serializeProvider } from "../../provider/serialization";
import { integration, stack } from "../builders/fixtures";
import { freePort, pushImage, type SilentServer, type TestRegistry } from "./registry/harness";
import { authField, writeDockerConfig } from "./registry/support";
import { startRegistries, stopRegistries, type Registries } from "./support";
import { runInEngine, type CallResult } from "./engine";

/** The value a call returned; fails the test with the error otherwise. */
function ok<T>(result: CallResult | undefined): T {
  if (result === undefined || "error" in result) {
    throw new Error(`the call failed: ${result === undefined ? "no result" : result.error}`);
  }
  return result.ok as T;
}

interface Checked {
  inputs?: ImageDigestInputs;
  failures?: { property: string; reason: string }[];
}

describe("image refresh: the provider against a real registry", function () {
  this.timeout(120_000);
  let registries: Registries;
  let open: TestRegistry;
  let basic: TestRegistry;
  let silent: SilentServer;
  let text: string;

  before(async () => {
    registries = await startRegistries();
    ({ open, basic, silent } = registries);
    const serialized = await serializeProvider(imageDigestProvider);
    expect(serialized.containsSecrets).to.equal(false);
    text = serialized.text;
  });

  after(() => stopRegistries(registries));

  it("resolves a tag in the engine's process, and diff follows the tag when it is re-pushed", async () => {
    const image = `${open.host}/team/hello:1.0.0`;
    const first = await pushImage(open, "team/hello", "1.0.0", "docker", "one");
    const inputs: ImageDigestInputs = { image, onUnreachable: "fail" };
    const created = runInEngine(text, [
      ["check", {}, inputs],
      ["create", { ...inputs, digest: undefined }],
    ]).results;
    const checked = ok<Checked>(created[0]);
    const state = ok<{ id: string; outs: ImageDigestOutputs }>(created[1]).outs;
    const pinnedOne = `${open.host}/team/hello:1.0.0@${first.digest}`;
    expect(checked.inputs).to.deep.equal({ ...inputs, digest: first.digest, pinned: pinnedOne });
    expect(state).to.deep.equal({ ...inputs, digest: first.digest, pinned: pinnedOne });

    const unchanged = runInEngine(text, [["check", inputs, inputs]]).results;
    const again = ok<Checked>(unchanged[0]).inputs;
    expect(runInEngine(text, [["diff", image, state, again]]).results).to.deep.equal([
      { ok: { changes: false } },
    ]);

    const second = await pushImage(open, "team/hello", "1.0.0", "docker", "two");
    expect(second.digest).not.to.equal(first.digest);
    const [moved] = runInEngine(text, [["check", inputs, inputs]]).results;
    const news = ok<Checked>(moved).inputs as ImageDigestInputs;
    expect(news.digest).to.equal(second.digest);
    const later = runInEngine(text, [
      ["diff", image, state, news],
      ["diff", image, state, inputs],
      ["update", image, state, news],
      ["read", image, state],
    ]).results;
    const pinnedTwo = `${open.host}/team/hello:1.0.0@${second.digest}`;
    expect(later).to.deep.equal([
      { ok: { changes: true } },
      { ok: { changes: true } },
      { ok: { outs: { ...inputs, digest: second.digest, pinned: pinnedTwo } } },
      { ok: { id: image, props: { ...inputs, digest: second.digest, pinned: pinnedTwo } } },
    ]);
  });

  it("updates once a state pinned without its tag (repo@sha256:...), to the same digest", async () => {
    const image = `${open.host}/team/upgraded:2.1`;
    const pushed = await pushImage(open, "team/upgraded", "2.1", "docker", "up");
    const inputs: ImageDigestInputs = { image, onUnreachable: "fail" };
    const before = {
      ...inputs,
      digest: pushed.digest,
      pinned: `${open.host}/team/upgraded@${pushed.digest}`,
    };
    const pinned = `${open.host}/team/upgraded:2.1@${pushed.digest}`;
    const [checked] = runInEngine(text, [["check", before, inputs]]).results;
    const news = ok<Checked>(checked).inputs as ImageDigestInputs;
    const run = runInEngine(text, [
      ["diff", image, before, news],
      ["update", image, before, news],
      ["diff", image, { ...before, pinned }, news],
    ]).results;
    expect(run).to.deep.equal([
      { ok: { changes: true } },
      { ok: { outs: { ...inputs, digest: pushed.digest, pinned } } },
      { ok: { changes: false } },
    ]);
  });

  it("refreshes with a provider serialized before the model moved, as stacks hold it in their state", async () => {
    const stored = fs.readFileSync(
      path.join(__dirname, "..", "fixtures", "provider", "imageDigest.before-model-layout.js"),
      "utf8",
    );
    expect(stored).to.include('REFERENCE_MODULE: "./provider/reference"');
    expect(stored).to.include('CLIENT_MODULE: "./provider/registry/client"');
    const image = `${open.host}/team/stored:1.0.0`;
    const first = await pushImage(open, "team/stored", "1.0.0", "docker", "one");
    const second = await pushImage(open, "team/stored", "1.0.0", "docker", "two");
    const inputs: ImageDigestInputs = { image, onUnreachable: "fail" };
    const old = {
      ...inputs,
      digest: first.digest,
      pinned: `${open.host}/team/stored@${first.digest}`,
    };
    const pinned = `${open.host}/team/stored:1.0.0@${second.digest}`;
    expect(
      runInEngine(stored, [
        ["read", image, old],
        ["diff", image, old, inputs],
      ]).results,
    ).to.deep.equal([
      { ok: { id: image, props: { ...inputs, digest: second.digest, pinned } } },
      { ok: { changes: true } },
    ]);
  });

  it("resolves an OCI index and a Docker manifest list to the index's digest", async () => {
    const index = await pushImage(open, "team/multi", "oci", "oci-index", "x");
    const list = await pushImage(open, "team/multi", "docker", "docker-list", "y");
    const results = runInEngine(text, [
      ["create", { image: `${open.host}/team/multi:oci`, onUnreachable: "fail" }],
      ["create", { image: `${open.host}/team/multi:docker`, onUnreachable: "fail" }],
    ]).results;
    const digests = results.map((r) => ok<{ outs: ImageDigestOutputs }>(r).outs.digest);
    expect(digests).to.deep.equal([index.digest, list.digest]);
  });

  it("uses stack secret credentials from configure, and stores none of them", async () => {
    await pushImage(basic, "private/app", "2.0", "docker", "p");
    const image = `${basic.host}/private/app:2.0`;
    const config = {
      "wso2-mi:registryCredentials": JSON.stringify({
        [basic.host]: { username: basic.username, password: basic.password },
      }),
    };
    const run = runInEngine(
      text,
      [
        ["check", {}, { image, onUnreachable: "fail" }],
        ["create", { image, onUnreachable: "fail" }],
      ],
      config,
    );
    const outs = ok<{ outs: ImageDigestOutputs }>(run.results[1]).outs;
    expect(outs.pinned).to.match(
      new RegExp(`^${basic.host}/private/app:2\\.0@sha256:[a-f0-9]{64}$`),
    );
    const everything = JSON.stringify(run) + text;
    expect(everything).not.to.include(basic.password);
    expect(everything).not.to.include(authField(basic.username, basic.password));
  });

  it("reads credentials from the Docker config in the engine's environment", async () => {
    await pushImage(basic, "private/env", "1", "docker", "e");
    const dockerConfig = writeDockerConfig({
      auths: { [basic.host]: { auth: authField(basic.username, basic.password) } },
    });
    const image = `${basic.host}/private/env:1`;
    const env = { ...process.env, DOCKER_CONFIG: dockerConfig.replace(/\/config\.json$/, "") };
    const run = runInEngine(text, [["create", { image, onUnreachable: "fail" }]], {}, env);
    expect(ok<{ outs: ImageDigestOutputs }>(run.results[0]).outs.image).to.equal(image);
    expect(JSON.stringify(run)).not.to.include(basic.password);
  });

  it("leaves the provider the program registers unconfigured after render's round trip", async () => {
    const pushed = await pushImage(basic, "private/render", "1", "docker", "r");
    const image = `${basic.host}/private/render:1`;
    const dockerConfig = writeDockerConfig({
      auths: { [basic.host]: { auth: authField(basic.username, basic.password) } },
    });
    const refresh = {
      mode: "digest" as const,
      onUnreachable: "fail" as const,
      insecureRegistries: [],
    };
    const refreshing = integration({ image, imageRefresh: refresh });
    const digests = await resolveStackImages(stack([refreshing]), {
      project: "wso2-mi",
      dockerConfig,
    });
    expect([...digests]).to.deep.equal([
      [
        `${refreshing.namespace}/${refreshing.name}`,
        { digest: pushed.digest, pinned: `${basic.host}/private/render:1@${pushed.digest}` },
      ],
    ]);
    expect(imageDigestProvider.settings).to.deep.equal({});
    const after = await serializeProvider(imageDigestProvider);
    expect(after.text).to.equal(text);
    for (const secret of [
      basic.password,
      authField(basic.username, basic.password),
      dockerConfig,
    ]) {
      expect(after.text).not.to.include(secret);
    }
  });

  describe("failures: each names the image and the registry, pins nothing, shows no credential", () => {
    /** The check of `image` in the engine's process: its failure reason. */
    function failure(
      image: string,
      config: Record<string, string> = {},
      timeoutMs?: number,
    ): string {
      const inputs = { image, onUnreachable: "fail", ...(timeoutMs ? { timeoutMs } : {}) };
      const [result] = runInEngine(text, [["check", {}, inputs]], config).results;
      const checked = ok<Checked>(result);
      expect(checked.inputs, "nothing pinned").to.equal(undefined);
      expect(checked.failures?.map((f) => f.property)).to.deep.equal(["image"]);
      const reason = checked.failures?.[0].reason ?? "";
      expect(reason).to.include(`"${image}"`);
      return reason;
    }

    it("an unknown tag", async () => {
      await pushImage(open, "team/known", "1", "docker", "k");
      const reason = failure(`${open.host}/team/known:2`);
      expect(reason).to.include(`registry ${open.host}`);
    });

    it("missing and wrong credentials", async () => {
      await pushImage(basic, "private/locked", "1", "docker", "l");
      const image = `${basic.host}/private/locked:1`;
      const wrong = "not-the-Pa55word";
      const missing = failure(image);
      const refused = failure(image, {
        "wso2-mi:registryCredentials": JSON.stringify({
          [basic.host]: { username: basic.username, password: wrong },
        }),
      });
      for (const reason of [missing, refused]) {
        expect(reason).to.include(`registry ${basic.host}`);
        expect(reason).not.to.include(wrong);
        expect(reason).not.to.include(basic.password);
      }
    });

    it("a dead port", async () => {
      const host = `127.0.0.1:${await freePort()}`;
      expect(failure(`${host}/team/gone:1`)).to.include(`registry ${host}`);
    });

    it("a registry that never answers", () => {
      expect(failure(`${silent.host}/team/silent:1`, {}, 500)).to.include(
        `registry ${silent.host}`,
      );
    });
  });

  describe("onUnreachable: keep", () => {
    it("keeps the state's digest when the registry is down, and still fails on an unknown tag", async () => {
      const host = `127.0.0.1:${await freePort()}`;
      const image = `${host}/team/kept:1`;
      const digest = `sha256:${"e".repeat(64)}`;
      const inputs: ImageDigestInputs = { image, onUnreachable: "keep" };
      const state = { ...inputs, digest, pinned: `${host}/team/kept@${digest}` };
      const run = runInEngine(text, [
        ["check", state, inputs],
        ["diff", image, state, inputs],
      ]);
      expect(run.results).to.deep.equal([{ ok: { inputs: state } }, { ok: { changes: false } }]);
      expect(run.stderr).to.include(`keeping the digest deployed before, ${digest}`);

      await pushImage(open, "team/kept", "1", "docker", "k");
      const missing = `${open.host}/team/kept:2`;
      const [checked] = runInEngine(text, [
        ["check", { ...state, image: missing }, { image: missing, onUnreachable: "keep" }],
      ]).results;
      expect(ok<Checked>(checked).failures).to.have.length(1);
    });
  });
});
