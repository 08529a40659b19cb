/**
 * The image lock as the engine runs the provider (serialized, in a fresh `node`), against a real
 * registry behind the fault-injecting proxy: a preview (check, diff) and a refresh (read) of a
 * locked image make no registry request, even during an outage; `up` (create, update) HEADs the
 * locked digest before the outputs, which the Deployment takes, change; a deleted digest fails
 * the update and leaves the state as it was.
 */
import { expect } from "chai";
import {
  imageDigestInputs,
  imageDigestProvider,
  type ImageDigestInputs,
  type ImageDigestOutputs,
} from "../../provider/imageDigest";
import { serializeProvider } from "../../provider/serialization";
import { runInEngineAsync, type CallResult } from "./engine";
import {
  deleteManifest,
  FaultProxy,
  pushImage,
  startRegistry,
  type TestRegistry,
} from "./registry/harness";
import { removeTempDirs } from "./registry/support";

function ok<T>(result: CallResult | undefined): T {
  if (result === undefined || "error" in result) {
    throw new Error(`the call failed: ${result === undefined ? "no result" : result.error}`);
  }
  return result.ok as T;
}

const OUTAGE = Array.from({ length: 50 }, () => ({ status: 503, body: "down for maintenance" }));

describe("image lock: the serialized provider in the engine, against a real registry", function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let text: string;

  before(async () => {
    registry = await startRegistry();
    proxy = await new FaultProxy(registry.host).start();
    text = (await serializeProvider(imageDigestProvider)).text;
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
    removeTempDirs();
  });
  beforeEach(() => proxy.reset());

  function locked(image: string, tag: string, digest: string, repo: string): ImageDigestInputs {
    return imageDigestInputs(image, {
      mode: "digest",
      onUnreachable: "fail",
      insecureRegistries: [],
      timeoutSeconds: 2,
      locked: { tag, digest, pinned: `${repo}@${digest}` },
    });
  }

  it("previews and refreshes a locked image with no registry request, during an outage too", async () => {
    const one = await pushImage(registry, "lock/app", "1.0.0", "docker", "one");
    const repo = `${proxy.host}/lock/app`;
    const image = `${repo}:1.0.0`;
    const inputs = locked(image, "1.0.0", one.digest, repo);
    const state: ImageDigestOutputs = {
      ...inputs,
      digest: one.digest,
      pinned: `${repo}@${one.digest}`,
    };
    proxy.faults.push(...OUTAGE);
    const moved = locked(image, "1.0.0", `sha256:${"e".repeat(64)}`, repo);
    const run = await runInEngineAsync(text, [
      ["check", state, inputs],
      ["diff", image, state, { ...inputs, digest: one.digest, pinned: state.pinned }],
      ["check", state, moved],
      ["diff", image, state, moved],
      ["read", image, state],
    ]);
    expect(run.results).to.deep.equal([
      { ok: { inputs: { ...inputs, digest: one.digest, pinned: state.pinned } } },
      { ok: { changes: false } },
      { ok: { inputs: { ...moved, digest: moved.lock?.digest, pinned: moved.lock?.pinned } } },
      { ok: { changes: true } },
      { ok: { id: image, props: state } },
    ]);
    expect(proxy.requests).to.deep.equal([]);

    // The same outage fails a preview of the image without its lock: the proxy is in the way.
    const unlocked: ImageDigestInputs = { image, onUnreachable: "fail", timeoutMs: 2000 };
    const [checked] = (await runInEngineAsync(text, [["check", {}, unlocked]])).results;
    const failures = ok<{ failures?: { reason: string }[] }>(checked).failures ?? [];
    expect(failures.length).to.equal(1);
    expect(failures[0].reason).to.contain("503");
    expect(proxy.requests.length).to.be.greaterThan(0);
  });

  it("up: HEADs the locked digest before it changes the outputs; a deleted digest fails and changes nothing", async () => {
    const one = await pushImage(registry, "lock/up", "1.0.0", "docker", "one");
    const two = await pushImage(registry, "lock/up", "1.0.0", "docker", "two");
    const repo = `${proxy.host}/lock/up`;
    const image = `${repo}:1.0.0`;
    const before = locked(image, "1.0.0", one.digest, repo);
    const state: ImageDigestOutputs = {
      ...before,
      digest: one.digest,
      pinned: `${repo}@${one.digest}`,
    };
    const after = locked(image, "1.0.0", two.digest, repo);
    const [updated] = (await runInEngineAsync(text, [["update", image, state, after]])).results;
    expect(ok<{ outs: ImageDigestOutputs }>(updated).outs).to.deep.equal({
      ...after,
      digest: two.digest,
      pinned: `${repo}@${two.digest}`,
    });
    expect(proxy.requests).to.deep.equal([
      { method: "HEAD", path: `/v2/lock/up/manifests/${two.digest}`, status: 200 },
    ]);

    proxy.reset();
    await deleteManifest(registry, "lock/up", two.digest);
    const run = await runInEngineAsync(text, [
      ["update", image, state, after],
      ["create", after],
    ]);
    const message =
      `${image}: the image lock's digest ${two.digest} (tag 1.0.0) is not in its registry any ` +
      "more (deleted, or never pushed there). Nothing was rolled out; move the lock to a digest " +
      "the registry holds with `npm run images -- --stack <stack> --update` and review that change";
    expect(run.results).to.deep.equal([{ error: message }, { error: message }]);
    expect(proxy.requests.map((r) => [r.method, r.path, r.status])).to.deep.equal([
      ["HEAD", `/v2/lock/up/manifests/${two.digest}`, 404],
      ["HEAD", `/v2/lock/up/manifests/${two.digest}`, 404],
    ]);
  });
});
