import { expect } from "chai";
import { RegistryClient, resolveDigest } from "../../../provider/registry/client";
import {
  FaultProxy,
  freePort,
  pushImage,
  startRegistry,
  type ImageKind,
  type TestRegistry,
} from "./harness";
import { expectRegistryError, removeTempDirs, writeDockerConfig } from "./support";

describe("registry client against a real registry without auth", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let dockerConfig: string;

  before(async () => {
    registry = await startRegistry();
    proxy = await new FaultProxy(registry.host).start();
    dockerConfig = writeDockerConfig({});
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
    removeTempDirs();
  });
  beforeEach(() => proxy.reset());

  const kinds: [ImageKind, string][] = [
    ["docker", "a Docker v2 manifest"],
    ["oci", "an OCI manifest"],
    ["oci-index", "an OCI index (to the index's digest)"],
    ["docker-list", "a Docker manifest list (to the list's digest)"],
  ];
  for (const [kind, what] of kinds) {
    it(`resolves a tag of ${what} and pins it`, async () => {
      const pushed = await pushImage(registry, `kinds/${kind}`, "1.0", kind);
      const resolved = await resolveDigest(`${registry.host}/kinds/${kind}:1.0`, { dockerConfig });
      expect(resolved).to.deep.equal({
        digest: pushed.digest,
        pinned: `${registry.host}/kinds/${kind}:1.0@${pushed.digest}`,
      });
      expect(pushed.children).to.have.length(
        kind.endsWith("index") || kind.endsWith("list") ? 2 : 0,
      );
      expect(pushed.children).not.to.include(resolved.digest);
    });
  }

  it("sends one HEAD with all four manifest media types and reads Docker-Content-Digest", async () => {
    const pushed = await pushImage(registry, "team/head", "v1");
    const resolved = await resolveDigest(`${proxy.host}/team/head:v1`, { dockerConfig });
    expect(resolved.digest).to.equal(pushed.digest);
    expect(proxy.requests).to.deep.equal([
      { method: "HEAD", path: "/v2/team/head/manifests/v1", status: 200 },
    ]);
  });

  it("gives the new digest after the tag is re-pushed with a new config, and the same one after an identical re-push", async () => {
    const client = new RegistryClient({ dockerConfig });
    const image = `${registry.host}/team/moving:stable`;
    const first = await pushImage(registry, "team/moving", "stable", "docker", "first");
    expect((await client.resolve(image)).digest).to.equal(first.digest);

    const second = await pushImage(registry, "team/moving", "stable", "docker", "second");
    expect(second.digest).not.to.equal(first.digest);
    expect((await client.resolve(image)).digest).to.equal(second.digest);

    const again = await pushImage(registry, "team/moving", "stable", "docker", "second");
    expect(again.digest).to.equal(second.digest);
    expect((await client.resolve(image)).digest).to.equal(second.digest);
    client.close();
  });

  it("resolves `latest` when the reference has no tag, through `localhost`, and says so", async () => {
    const pushed = await pushImage(registry, "team/untagged", "latest", "oci");
    const port = registry.host.split(":")[1];
    const resolved = await resolveDigest(`localhost:${port}/team/untagged`, { dockerConfig });
    expect(resolved).to.deep.equal({
      digest: pushed.digest,
      pinned: `localhost:${port}/team/untagged:latest@${pushed.digest}`,
    });
  });

  it("returns a pinned image's digest without asking any registry", async () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    const dead = `127.0.0.1:${await freePort()}`;
    expect(await resolveDigest(`${dead}/team/app@${digest}`)).to.deep.equal({
      digest,
      pinned: `${dead}/team/app@${digest}`,
    });
    expect(await resolveDigest(`${proxy.host}/team/app:1.0@${digest}`)).to.deep.equal({
      digest,
      pinned: `${proxy.host}/team/app:1.0@${digest}`,
    });
    expect(await resolveDigest(`nginx@${digest}`)).to.deep.equal({
      digest,
      pinned: `docker.io/library/nginx@${digest}`,
    });
    expect(proxy.requests).to.deep.equal([]);
  });

  it("fails with not-found naming the tag for an unknown tag", async () => {
    await pushImage(registry, "team/known", "v1");
    const image = `${registry.host}/team/known:v2`;
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "not-found",
      image,
      registry: registry.host,
      says: `the tag "v2" is not in repository "team/known" (MANIFEST_UNKNOWN). Check the tag, or push the image first.`,
    });
  });

  it("fails with not-found naming the repository for an unknown repository", async () => {
    const image = `${registry.host}/team/never-pushed:v1`;
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "not-found",
      image,
      registry: registry.host,
      says: `the repository "team/never-pushed" does not exist (NAME_UNKNOWN). Check the image name, or push the image first.`,
    });
  });

  it("resolves many images at once, one request each, and the same image once while in flight", async () => {
    const pushed = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pushImage(registry, `many/app${i}`, "v1", "docker", `seed${i}`),
      ),
    );
    proxy.reset();
    const client = new RegistryClient({ dockerConfig });
    const images = pushed.map((_, i) => `${proxy.host}/many/app${i}:v1`);
    const resolved = await Promise.all(
      [...images, images[0], images[0]].map((image) => client.resolve(image)),
    );
    client.close();
    expect(resolved.map((r) => r.digest)).to.deep.equal([
      ...pushed.map((p) => p.digest),
      pushed[0].digest,
      pushed[0].digest,
    ]);
    expect(proxy.requests.length).to.equal(20);
    expect(new Set(proxy.requests.map((r) => `${r.method} ${r.path}`)).size).to.equal(20);
  });

  it("rejects an invalid reference with a plain Error before any request", async () => {
    let caught: unknown;
    try {
      await resolveDigest(`${proxy.host}/Team/App:v1`);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(Error);
    expect((caught as Error).message).to.equal(
      `Invalid image reference "${proxy.host}/Team/App:v1": the repository name must be lower case: "Team" should be "team".`,
    );
    expect(proxy.requests).to.deep.equal([]);
  });
});
