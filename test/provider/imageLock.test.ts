/**
 * The image-refresh provider with a lock and with a tag policy, against a registry client stub
 * (no network): a locked image asks no registry in check, diff and read, and create / update
 * check the locked digest exists before the outputs take it.
 */
import { expect } from "chai";
import {
  createImageDigestProvider,
  imageDigestInputs,
  type ImageDigestInputs,
  type ImageDigestOutputs,
  type ImageDigestProvider,
  type RegistryClientModule,
} from "../../provider/imageDigest";
import { readImageReference } from "../../components/model/rules/imageReference";
import { RegistryError, type RegistryErrorKind } from "../../provider/registry/client";
import type { TagPolicy } from "../../components/model/types";

const IMAGE = "registry.example.com/team/orders:2.4.0";
const REPO = "registry.example.com/team/orders";
const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const LOCK = { tag: "2.4.0", digest: A, pinned: `${REPO}@${A}` };
const SEMVER: Exclude<TagPolicy, { kind: "digest" }> = {
  kind: "semver",
  range: "^2.4.0",
  prereleases: false,
};

/** A registry that holds `manifests`, answers policies with `chosen`, and records every call. */
class Stub {
  readonly manifests = new Set<string>([A]);
  readonly calls: string[] = [];
  failure: RegistryErrorKind | undefined;
  chosen = { tag: "2.4.7", digest: B };

  private fail(image: string): Promise<never> {
    const kind = this.failure ?? "not-found";
    return Promise.reject(
      new RegistryError(image, "registry.example.com", kind, `the registry said ${kind}`),
    );
  }

  readonly client: RegistryClientModule = {
    readImageReference,
    resolveDigest: (image) => {
      this.calls.push(`resolve ${image}`);
      if (this.failure !== undefined) return this.fail(image);
      return Promise.resolve({ digest: B, pinned: `${REPO}@${B}` });
    },
    resolveByPolicy: (image, policy) => {
      this.calls.push(`policy ${image} ${policy.kind}`);
      if (this.failure !== undefined) return this.fail(image);
      const { tag, digest } = this.chosen;
      return Promise.resolve({ digest, pinned: `${REPO}@${digest}`, tag });
    },
    verifyDigest: (image, digest) => {
      this.calls.push(`verify ${image} ${digest}`);
      if (this.failure !== undefined) return this.fail(image);
      return this.manifests.has(digest) ? Promise.resolve() : this.fail(image);
    },
  };
}

function setup(): { stub: Stub; provider: ImageDigestProvider; warnings: string[] } {
  const stub = new Stub();
  const warnings: string[] = [];
  const provider = createImageDigestProvider(
    () => stub.client,
    (m) => warnings.push(m),
  );
  return { stub, provider, warnings };
}

const LOCKED: ImageDigestInputs = imageDigestInputs(IMAGE, {
  mode: "digest",
  onUnreachable: "fail",
  insecureRegistries: [],
  locked: LOCK,
});

function state(inputs: ImageDigestInputs, digest: string, tag?: string): ImageDigestOutputs {
  return { ...inputs, digest, pinned: `${REPO}@${digest}`, ...(tag === undefined ? {} : { tag }) };
}

describe("image refresh: the provider with an image lock", () => {
  it("takes the lock from the integration's settings, with the policy", () => {
    expect(LOCKED).to.deep.equal({ image: IMAGE, onUnreachable: "fail", lock: LOCK });
    const withPolicy = imageDigestInputs(IMAGE, {
      mode: "digest",
      onUnreachable: "keep",
      insecureRegistries: [],
      policy: SEMVER,
      locked: LOCK,
    });
    expect(withPolicy).to.deep.equal({
      image: IMAGE,
      onUnreachable: "keep",
      policy: SEMVER,
      lock: LOCK,
    });
  });

  it("check, diff and read ask no registry: the locked digest is the answer", async () => {
    const { stub, provider } = setup();
    stub.failure = "unreachable";
    const checked = await provider.check({}, LOCKED);
    expect(checked).to.deep.equal({ inputs: { ...LOCKED, digest: A, pinned: LOCK.pinned } });
    const news = checked.inputs ?? LOCKED;
    expect(await provider.diff(IMAGE, state(LOCKED, A), news)).to.deep.equal({ changes: false });
    expect(await provider.diff(IMAGE, state(LOCKED, B), news)).to.deep.equal({ changes: true });
    const read = await provider.read(IMAGE, state(LOCKED, A));
    expect(read).to.deep.equal({ id: IMAGE, props: state(LOCKED, A) });
    expect(stub.calls).to.deep.equal([]);
  });

  it("diff: a lock added to a state made without one is an update, a replace only for a new image", async () => {
    const { stub, provider } = setup();
    const unlocked = state({ image: IMAGE, onUnreachable: "fail" }, A);
    expect(await provider.diff(IMAGE, unlocked, LOCKED)).to.deep.equal({ changes: true });
    expect(
      await provider.diff(IMAGE, state(LOCKED, A), { ...LOCKED, image: `${REPO}:3` }),
    ).to.deep.equal({ changes: true, replaces: ["image"] });
    expect(stub.calls).to.deep.equal([]);
  });

  it("create and update check the registry still holds the locked digest", async () => {
    const { stub, provider } = setup();
    const created = await provider.create(LOCKED);
    expect(created).to.deep.equal({ id: IMAGE, outs: state(LOCKED, A) });
    const unlocked = state({ image: IMAGE, onUnreachable: "fail" }, B);
    expect(await provider.update(IMAGE, unlocked, LOCKED)).to.deep.equal({
      outs: state(LOCKED, A),
    });
    expect(stub.calls).to.deep.equal([`verify ${IMAGE} ${A}`, `verify ${IMAGE} ${A}`]);
  });

  it("fails clearly, and outputs nothing for the Deployment, when the locked digest is gone", async () => {
    const { stub, provider } = setup();
    stub.manifests.clear();
    for (const call of [
      () => provider.create(LOCKED),
      () => provider.update(IMAGE, state(LOCKED, B), LOCKED),
    ]) {
      let thrown: unknown;
      try {
        await call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect((thrown as Error).message).to.equal(
        `${IMAGE}: the image lock's digest ${A} (tag 2.4.0) is not in its registry any more ` +
          "(deleted, or never pushed there). Nothing was rolled out; move the lock to a digest " +
          "the registry holds with `npm run images -- --stack <stack> --update` and review that change",
      );
      expect((thrown as Error).stack).to.equal("");
    }
  });

  it("with onUnreachable: keep, keeps what was deployed when the registry cannot be reached", async () => {
    const { stub, provider, warnings } = setup();
    stub.failure = "unreachable";
    const keep = { ...LOCKED, onUnreachable: "keep" as const };
    const before = state({ image: IMAGE, onUnreachable: "keep" }, B);
    const updated = await provider.update(IMAGE, before, keep);
    expect(updated).to.deep.equal({ outs: state({ image: IMAGE, onUnreachable: "keep" }, B) });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain(`could not be checked, so the digest deployed before, ${B}`);
    let thrown: unknown;
    try {
      await provider.update(IMAGE, before, LOCKED);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).to.equal(
      `${IMAGE}: the registry said unreachable (checking the image lock's digest ${A}; nothing was rolled out)`,
    );
  });
});

describe("image refresh: the provider with a tag policy", () => {
  const inputs = imageDigestInputs(IMAGE, {
    mode: "digest",
    onUnreachable: "fail",
    insecureRegistries: [],
    policy: SEMVER,
  });

  it("resolves the newest tag the policy deploys, and names it", async () => {
    const { stub, provider } = setup();
    const checked = await provider.check({}, inputs);
    expect(checked).to.deep.equal({
      inputs: { ...inputs, digest: B, pinned: `${REPO}@${B}`, tag: "2.4.7" },
    });
    expect(await provider.create(checked.inputs ?? inputs)).to.deep.equal({
      id: IMAGE,
      outs: state(inputs, B, "2.4.7"),
    });
    expect(stub.calls).to.deep.equal([`policy ${IMAGE} semver`]);
  });

  it("diff: a new tag with the same digest is a change (the Deployment names the tag)", async () => {
    const { provider } = setup();
    const news = { ...inputs, digest: B, pinned: `${REPO}@${B}`, tag: "2.4.8" };
    expect(await provider.diff(IMAGE, state(inputs, B, "2.4.7"), news)).to.deep.equal({
      changes: true,
    });
    expect(await provider.diff(IMAGE, state(inputs, B, "2.4.8"), news)).to.deep.equal({
      changes: false,
    });
  });

  it("with a lock, deploys the locked tag and names it, asking no registry", async () => {
    const { stub, provider } = setup();
    const locked = { ...inputs, lock: { ...LOCK, tag: "2.4.3" } };
    expect(await provider.check({}, locked)).to.deep.equal({
      inputs: { ...locked, digest: A, pinned: LOCK.pinned, tag: "2.4.3" },
    });
    expect(stub.calls).to.deep.equal([]);
  });
});
