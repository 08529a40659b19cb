/** The image-refresh provider's methods, against a registry client stub (no network). */
import { quote } from "../../components/model/rules/at";
import { expect } from "chai";
import {
  createImageDigestProvider,
  IMAGE_DIGEST_TYPE,
  imageDigestInputs,
  UNKNOWN_VALUE,
  type ImageDigestInputs,
  type ImageDigestOutputs,
  type ImageDigestProvider,
  type RegistryClientModule,
} from "../../provider/imageDigest";
import { readImageReference } from "../../components/model/rules/imageReference";
import { providerConfig } from "../../provider/serialization";
import {
  RegistryError,
  type RegistryErrorKind,
  type ResolveOptions,
} from "../../provider/registry/client";

const IMAGE = "registry.example.com/team/hello:1.0.0";
const REPO = "registry.example.com/team/hello";
const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const SECRET = "pl4nted-Pa55word";

/** A registry that serves `digests` by image, or fails with `failures`, and records lookups. */
class StubRegistry {
  readonly digests = new Map<string, string>();
  readonly failures = new Map<string, RegistryErrorKind>();
  readonly lookups: { image: string; options?: ResolveOptions }[] = [];

  readonly client: RegistryClientModule = {
    readImageReference,
    resolveDigest: (image, options) => {
      this.lookups.push({ image, options });
      const kind = this.failures.get(image);
      if (kind !== undefined) {
        return Promise.reject(
          new RegistryError(
            image,
            "registry.example.com",
            kind,
            `Cannot resolve image "${image}" on registry registry.example.com: ${kind}.`,
          ),
        );
      }
      const digest = this.digests.get(image);
      if (digest === undefined) throw new Error(`the stub has no ${image}`);
      return Promise.resolve({ digest, pinned: `${REPO}@${digest}` });
    },
  };
}

interface Setup {
  registry: StubRegistry;
  provider: ImageDigestProvider;
  warnings: string[];
}

function setup(digest: string | undefined = A): Setup {
  const registry = new StubRegistry();
  if (digest !== undefined) registry.digests.set(IMAGE, digest);
  const warnings: string[] = [];
  const provider = createImageDigestProvider(
    () => registry.client,
    (m) => warnings.push(m),
  );
  return { registry, provider, warnings };
}

const INPUTS: ImageDigestInputs = { image: IMAGE, onUnreachable: "fail" };

/** The state after a create with digest `digest`. */
function state(digest: string, inputs: ImageDigestInputs = INPUTS): ImageDigestOutputs {
  return { ...inputs, digest, pinned: `${REPO}@${digest}` };
}

describe("image refresh: the ImageDigest provider", () => {
  it("has its own type token", () => {
    expect(IMAGE_DIGEST_TYPE).to.equal("pulumi-nodejs:dynamic/wso2:ImageDigest");
  });

  it("builds its inputs from an integration's settings, seconds as milliseconds", () => {
    expect(
      imageDigestInputs(IMAGE, {
        mode: "digest",
        onUnreachable: "keep",
        insecureRegistries: ["r:5000"],
        timeoutSeconds: 3,
      }),
    ).to.deep.equal({
      image: IMAGE,
      onUnreachable: "keep",
      insecureRegistries: ["r:5000"],
      timeoutMs: 3000,
    });
    expect(
      imageDigestInputs(IMAGE, {
        mode: "annotation",
        onUnreachable: "fail",
        insecureRegistries: [],
      }),
    ).to.deep.equal({ image: IMAGE, onUnreachable: "fail" });
  });

  describe("check", () => {
    it("adds the registry's digest and the pinned reference to the inputs", async () => {
      const { provider, registry } = setup();
      const result = await provider.check({}, {
        ...INPUTS,
        __provider: "text",
      } as ImageDigestInputs);
      expect(result).to.deep.equal({ inputs: { ...INPUTS, digest: A, pinned: `${REPO}@${A}` } });
      expect(registry.lookups).to.deep.equal([{ image: IMAGE, options: {} }]);
    });

    it("passes the non-secret settings, and the credentials configure read, to the client", async () => {
      const { provider, registry } = setup();
      await provider.configure({
        config: providerConfig(
          {
            "wso2-mi:imageRefresh": JSON.stringify({
              enabled: true,
              dockerConfig: "/ci/config.json",
            }),
            "wso2-mi:registryCredentials": JSON.stringify({
              "registry.example.com": { username: "ci", password: SECRET },
            }),
          },
          "wso2-mi",
        ),
      });
      await provider.check(
        {},
        { ...INPUTS, insecureRegistries: ["registry.example.com"], timeoutMs: 2500 },
      );
      expect(registry.lookups).to.deep.equal([
        {
          image: IMAGE,
          options: {
            dockerConfig: "/ci/config.json",
            credentials: { "registry.example.com": { username: "ci", password: SECRET } },
            insecureRegistries: ["registry.example.com"],
            timeoutMs: 2500,
          },
        },
      ]);
    });

    it("leaves an unknown image unknown, with no lookup", async () => {
      const { provider, registry } = setup();
      const news = { ...INPUTS, image: UNKNOWN_VALUE };
      expect(await provider.check({}, news)).to.deep.equal({ inputs: news });
      expect(registry.lookups).to.deep.equal([]);
    });

    it("uses an image pinned by digest as is, with no lookup", async () => {
      const { provider, registry } = setup();
      const image = `${REPO}@${B}`;
      expect(await provider.check({}, { ...INPUTS, image })).to.deep.equal({
        inputs: { image, onUnreachable: "fail", digest: B, pinned: image },
      });
      expect(registry.lookups).to.deep.equal([]);
    });

    it("keeps a pinned image with a tag as written: the Deployment runs what the CR says", async () => {
      const { provider, registry } = setup();
      for (const image of [`${REPO}:1.0.0@${B}`, `hello@${B}`]) {
        expect(await provider.check({}, { ...INPUTS, image })).to.deep.equal({
          inputs: { image, onUnreachable: "fail", digest: B, pinned: image },
        });
      }
      expect(registry.lookups).to.deep.equal([]);
    });

    it("refuses an image whose '@' holds no valid digest, with the parser's message and no lookup", async () => {
      const { provider, registry } = setup();
      const images = [`${REPO}@latest`, `${REPO}@x@${B}`, `${REPO}@${B.toUpperCase()}`];
      const reasons = [];
      for (const image of images) {
        const result = await provider.check({}, { ...INPUTS, image });
        reasons.push(result.failures?.map((f) => `${f.property}: ${f.reason}`));
      }
      const digest = (text: string): string =>
        `digest ${quote(text)} is not valid: write "sha256:" and 64 lower-case hex digits`;
      expect(reasons).to.deep.equal([
        [`image: Invalid image reference ${quote(`${REPO}@latest`)}: ${digest("latest")}.`],
        [`image: Invalid image reference ${quote(`${REPO}@x@${B}`)}: ${digest(`x@${B}`)}.`],
        [
          `image: Invalid image reference ${quote(`${REPO}@${B.toUpperCase()}`)}: digest algorithm ` +
            '"SHA256" is not supported: write "sha256:" and 64 lower-case hex digits (or ' +
            '"sha512:" and 128), the algorithms the OCI image spec registers.',
        ],
      ]);
      expect(registry.lookups).to.deep.equal([]);
    });

    it("fails with the client's message, naming image and registry, and no inputs", async () => {
      const { provider, registry } = setup();
      registry.failures.set(IMAGE, "not-found");
      expect(await provider.check({}, INPUTS)).to.deep.equal({
        failures: [
          {
            property: "image",
            reason: `Cannot resolve image "${IMAGE}" on registry registry.example.com: not-found.`,
          },
        ],
      });
    });
  });

  describe("diff", () => {
    it("reports no change when the registry's digest is the state's", async () => {
      const { provider } = setup(A);
      const { inputs } = await provider.check(INPUTS, INPUTS);
      expect(await provider.diff(IMAGE, state(A), inputs as ImageDigestInputs)).to.deep.equal({
        changes: false,
      });
    });

    it("reports a change when the tag moved", async () => {
      const { provider } = setup(B);
      const { inputs } = await provider.check(INPUTS, INPUTS);
      expect(await provider.diff(IMAGE, state(A), inputs as ImageDigestInputs)).to.deep.equal({
        changes: true,
      });
    });

    it("asks the registry itself when the inputs were not checked", async () => {
      const moved = setup(B);
      expect(await moved.provider.diff(IMAGE, state(A), INPUTS)).to.deep.equal({ changes: true });
      const same = setup(A);
      expect(await same.provider.diff(IMAGE, state(A), INPUTS)).to.deep.equal({ changes: false });
      expect(same.registry.lookups).to.have.length(1);
    });

    it("replaces the resource when the image itself changes", async () => {
      const { provider } = setup(A);
      const news = { ...INPUTS, image: `${REPO}:2.0.0` };
      expect(await provider.diff(IMAGE, state(A), news)).to.deep.equal({
        changes: true,
        replaces: ["image"],
      });
    });

    it("reports a possible change for an unknown image", async () => {
      const { provider, registry } = setup(A);
      expect(
        await provider.diff(IMAGE, state(A), { ...INPUTS, image: UNKNOWN_VALUE }),
      ).to.deep.equal({ changes: true });
      expect(registry.lookups).to.deep.equal([]);
    });

    it("ignores a change of settings alone", async () => {
      const { provider } = setup(A);
      const news = { ...INPUTS, timeoutMs: 1000, digest: A, pinned: `${REPO}@${A}` };
      expect(await provider.diff(IMAGE, state(A), news)).to.deep.equal({ changes: false });
    });
  });

  describe("onUnreachable", () => {
    const KEEP: ImageDigestInputs = { ...INPUTS, onUnreachable: "keep" };

    for (const kind of ["unreachable", "timeout"] as const) {
      it(`keeps the state's digest when the registry is ${kind}, with a warning`, async () => {
        const { provider, registry, warnings } = setup();
        registry.failures.set(IMAGE, kind);
        expect(await provider.check(state(A, KEEP), KEEP)).to.deep.equal({
          inputs: { ...KEEP, digest: A, pinned: `${REPO}@${A}` },
        });
        expect(warnings).to.deep.equal([
          `Cannot resolve image "${IMAGE}" on registry registry.example.com: ${kind}.; keeping ` +
            `the digest deployed before, ${A} (imageRefresh.onUnreachable: keep)`,
        ]);
      });
    }

    it("fails when there is no digest to keep, or the image changed", async () => {
      const { provider, registry, warnings } = setup();
      registry.failures.set(IMAGE, "unreachable");
      const fresh = await provider.check({}, KEEP);
      const moved = await provider.check(state(A, { ...KEEP, image: `${REPO}:0.9` }), KEEP);
      for (const result of [fresh, moved]) {
        expect(result.inputs).to.equal(undefined);
        expect(result.failures?.map((f) => f.property)).to.deep.equal(["image"]);
      }
      expect(warnings).to.deep.equal([]);
    });

    it("never keeps through an auth or not-found failure", async () => {
      for (const kind of ["auth", "not-found", "protocol"] as const) {
        const { provider, registry } = setup();
        registry.failures.set(IMAGE, kind);
        const result = await provider.check(state(A, KEEP), KEEP);
        expect(result.failures?.[0].reason, kind).to.include(`: ${kind}.`);
      }
    });

    it("fails when unreachable by default", async () => {
      const { provider, registry } = setup();
      registry.failures.set(IMAGE, "unreachable");
      const result = await provider.check(state(A), INPUTS);
      expect(result.failures?.[0].reason).to.equal(
        `Cannot resolve image "${IMAGE}" on registry registry.example.com: unreachable.`,
      );
    });
  });

  describe("create, update, read", () => {
    it("creates with the checked digest, the image as id", async () => {
      const { provider, registry } = setup(B);
      const checked = { ...INPUTS, digest: A, pinned: `${REPO}@${A}` };
      expect(await provider.create(checked)).to.deep.equal({ id: IMAGE, outs: state(A) });
      expect(registry.lookups).to.deep.equal([]);
    });

    it("creates from unchecked inputs by asking the registry", async () => {
      const { provider } = setup(B);
      expect(await provider.create(INPUTS)).to.deep.equal({ id: IMAGE, outs: state(B) });
    });

    it("throws a message without a stack trace when the registry fails", async () => {
      const { provider, registry } = setup();
      registry.failures.set(IMAGE, "auth");
      let thrown: unknown;
      try {
        await provider.create(INPUTS);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect((thrown as Error).message).to.equal(
        `Cannot resolve image "${IMAGE}" on registry registry.example.com: auth.`,
      );
      expect((thrown as Error).stack).to.equal("");
    });

    it("updates to the new digest", async () => {
      const { provider } = setup(B);
      const news = { ...INPUTS, digest: B, pinned: `${REPO}@${B}` };
      expect(await provider.update(IMAGE, state(A), news)).to.deep.equal({ outs: state(B) });
    });

    it("reads the registry's digest now, for pulumi refresh", async () => {
      const { provider } = setup(B);
      expect(await provider.read(IMAGE, state(A))).to.deep.equal({ id: IMAGE, props: state(B) });
      expect(await provider.read(IMAGE)).to.deep.equal({ id: IMAGE, props: state(B) });
    });

    it("keeps the state's digest on refresh when unreachable and keep", async () => {
      const { provider, registry, warnings } = setup();
      registry.failures.set(IMAGE, "unreachable");
      const keep: ImageDigestInputs = { ...INPUTS, onUnreachable: "keep" };
      expect(await provider.read(IMAGE, state(A, keep))).to.deep.equal({
        id: IMAGE,
        props: state(A, keep),
      });
      expect(warnings).to.have.length(1);
    });
  });

  describe("configure", () => {
    it("rejects malformed credentials without showing them", async () => {
      const { provider } = setup();
      let thrown: unknown;
      try {
        await provider.configure({
          config: providerConfig({ "wso2-mi:registryCredentials": `{"r": "${SECRET}"` }, "wso2-mi"),
        });
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).to.equal(
        'registryCredentials is not valid JSON; expected a mapping of registry host to {"username": ' +
          '"...", "password": "..."} (the value is a secret and is not shown)',
      );
    });

    it("keeps what it read on the provider it configured only", async () => {
      const { provider } = setup();
      const other = setup().provider;
      await provider.configure({
        config: providerConfig(
          {
            "wso2-mi:registryCredentials": JSON.stringify({
              r: { username: "u", password: SECRET },
            }),
          },
          "wso2-mi",
        ),
      });
      expect(JSON.stringify(provider.settings)).to.include(SECRET);
      expect(other.settings).to.deep.equal({});
    });
  });
});
