import { expect } from "chai";
import * as os from "node:os";
import { RegistryClient, resolveDigest } from "../../../provider/registry/client";
import {
  FaultProxy,
  freePort,
  pushImage,
  startRegistry,
  startSilentServer,
  type TestRegistry,
} from "./harness";
import { expectRegistryError, removeTempDirs, writeDockerConfig } from "./support";

/** A non-loopback IPv4 address of this machine: Docker would talk HTTPS to it. */
function externalAddress(): string {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((info) => info !== undefined && info.family === "IPv4" && !info.internal);
  if (address === undefined)
    throw new Error("this machine has no non-loopback IPv4 address for the insecure-registry test");
  return address.address;
}

describe("registry client: faults, retries and unreachable registries", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let dockerConfig: string;
  let digest: string;
  let image: string;
  const head = (status: number) => ({ method: "HEAD", path: "/v2/team/app/manifests/v1", status });

  before(async () => {
    registry = await startRegistry();
    proxy = await new FaultProxy(registry.host).start();
    dockerConfig = writeDockerConfig({});
    digest = (await pushImage(registry, "team/app", "v1")).digest;
    image = `${proxy.host}/team/app:v1`;
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
    removeTempDirs();
  });
  beforeEach(() => proxy.reset());

  it("waits out a 429 with Retry-After in seconds, then resolves", async () => {
    proxy.faults = [{ status: 429, headers: { "Retry-After": "1" } }];
    expect((await resolveDigest(image, { dockerConfig })).digest).to.equal(digest);
    expect(proxy.requests).to.deep.equal([head(429), head(200)]);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    const date = new Date(Date.now() + 1000).toUTCString();
    proxy.faults = [{ status: 429, headers: { "Retry-After": date } }];
    expect((await resolveDigest(image, { dockerConfig })).digest).to.equal(digest);
    expect(proxy.requests).to.deep.equal([head(429), head(200)]);
  });

  it("retries 503 and 502 with backoff, then resolves", async () => {
    proxy.faults = [{ status: 503 }, { status: 502 }, { status: 500 }];
    expect((await resolveDigest(image, { dockerConfig })).digest).to.equal(digest);
    expect(proxy.requests).to.deep.equal([head(503), head(502), head(500), head(200)]);
  });

  it("gives up after `retries` retries with an unreachable error", async () => {
    proxy.faults = Array.from({ length: 5 }, () => ({ status: 503 }));
    await expectRegistryError(resolveDigest(image, { dockerConfig, retries: 2 }), {
      kind: "unreachable",
      image,
      registry: proxy.host,
      says: `the registry answered 503 Service Unavailable on all 3 attempts. Try again later.`,
    });
    expect(proxy.requests).to.deep.equal([head(503), head(503), head(503)]);
  });

  it("does not retry with `retries: 0`, nor a 4xx other than 429", async () => {
    proxy.faults = [{ status: 503 }];
    await expectRegistryError(resolveDigest(image, { dockerConfig, retries: 0 }), {
      kind: "unreachable",
      image,
      registry: proxy.host,
    });
    expect(proxy.requests).to.deep.equal([head(503)]);

    proxy.reset();
    proxy.faults = [{ status: 400 }, { status: 400 }];
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "protocol",
      image,
      registry: proxy.host,
      says: `the registry answered 400 Bad Request to a manifest request. Check that the address points at an OCI distribution registry.`,
    });
    expect(proxy.requests.map((r) => `${r.method} ${r.status}`)).to.deep.equal([
      "HEAD 400",
      "GET 400",
    ]);
  });

  it("hashes the manifest from a GET when the registry sends no Docker-Content-Digest", async () => {
    proxy.stripDigest = true;
    for (const kind of ["oci-index", "docker"] as const) {
      proxy.requests = [];
      const pushed = await pushImage(registry, `nodigest/${kind}`, "v1", kind);
      expect(
        (await resolveDigest(`${proxy.host}/nodigest/${kind}:v1`, { dockerConfig })).digest,
      ).to.equal(pushed.digest);
      expect(proxy.requests.map((r) => r.method)).to.deep.equal(["HEAD", "GET"]);
    }
  });

  it("rejects a malformed Docker-Content-Digest", async () => {
    proxy.digestOverride = "sha256:not-hex";
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "protocol",
      image,
      registry: proxy.host,
      says: `the registry answered with a Docker-Content-Digest that is not a valid digest. Check that the address points at an OCI distribution registry.`,
    });
  });

  it("fails fast with unreachable on a dead port (connection refused)", async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const deadImage = `${dead}/team/app:v1`;
    await expectRegistryError(resolveDigest(deadImage, { dockerConfig }), {
      kind: "unreachable",
      image: deadImage,
      registry: dead,
      says: `the connection to http://${dead} was refused. Check the registry address and port, and that the registry is running.`,
    });
  });

  it("fails with timeout when the registry accepts the connection and never answers", async () => {
    const silent = await startSilentServer();
    const silentImage = `${silent.host}/team/app:v1`;
    try {
      await expectRegistryError(resolveDigest(silentImage, { dockerConfig, timeoutMs: 300 }), {
        kind: "timeout",
        image: silentImage,
        registry: silent.host,
        says: `no answer from http://${silent.host} within 0.3 s. Check that the registry is up and reachable, or raise the timeout.`,
      });
      expect(silent.connections).to.equal(1);
    } finally {
      await silent.stop();
    }
  });

  it("uses HTTPS for a non-loopback registry unless it is listed as insecure", async () => {
    const external = await new FaultProxy(registry.host).start(externalAddress());
    const externalImage = `${external.host}/team/app:v1`;
    try {
      const error = await expectRegistryError(resolveDigest(externalImage, { dockerConfig }), {
        kind: "protocol",
        image: externalImage,
        registry: external.host,
      });
      expect(error.message).to.match(
        new RegExp(
          `^Cannot resolve image "${externalImage}" on registry ${external.host}: the TLS connection to https://${external.host} failed \\([A-Z_]+\\)\\. If the registry serves plain HTTP, list it in insecureRegistries`,
        ),
      );
      for (const insecure of [
        external.host,
        external.host.split(":")[0],
        `http://${external.host}`,
      ]) {
        const client = new RegistryClient({ dockerConfig, insecureRegistries: [insecure] });
        expect((await client.resolve(externalImage)).digest).to.equal(digest);
        client.close();
      }
    } finally {
      await external.stop();
    }
  });
});
