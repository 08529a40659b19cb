/**
 * Registry integrity and what the client reports (issue 15), against the real registry behind
 * the fault-injecting proxy: a manifest fetched with GET is hashed, and the digest pinned is that
 * hash; a Docker-Content-Digest that disagrees with the body is an error naming the registry and
 * the image; redirects are followed to HTTP(S) only, and an error names the URL that was asked,
 * never `null`; nothing the registry sends back (reason phrases, bodies) and no credential
 * (Basic or Bearer tokens, a URL's login) is in a message.
 */
import { createHash } from "node:crypto";
import { expect } from "chai";
import { resolveDigest } from "../../../provider/registry/client";
import { redact } from "../../../provider/registry/errors";
import { FaultProxy, freePort, pushImage, startRegistry, type TestRegistry } from "./harness";
import { expectRegistryError, removeTempDirs, writeDockerConfig } from "./support";

const PLANTED = "pl4nted-registry-s3cret";

describe("registry client: integrity, redirects and what it reports", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let dockerConfig: string;
  let digest: string;
  let image: string;

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

  it("pins the hash of the manifest a GET received, which its header agrees with", async () => {
    // HEAD answers without a digest, so the client fetches the manifest.
    proxy.faults = [{ status: 200 }];
    const resolved = await resolveDigest(image, { dockerConfig });
    expect(resolved.digest).to.equal(digest);
    expect(proxy.requests.map((r) => r.method)).to.deep.equal(["HEAD", "GET"]);
  });

  it("refuses a Docker-Content-Digest that disagrees with the manifest received", async () => {
    const other = `sha256:${createHash("sha256").update("another manifest").digest("hex")}`;
    proxy.faults = [{ status: 200 }];
    proxy.digestOverride = other;
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "protocol",
      image,
      registry: proxy.host,
      says:
        `the manifest received hashes to ${digest}, but the registry's Docker-Content-Digest ` +
        `says ${other}; nothing was pinned. The answer was changed on the way (a proxy?) or the ` +
        "registry is broken: check it and try again.",
    });
  });

  it("refuses a GET answer that is no manifest, whatever its header says", async () => {
    proxy.faults = [
      { status: 200 },
      { status: 200, headers: { "Docker-Content-Digest": digest }, body: "<html>login</html>" },
    ];
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "protocol",
      image,
      registry: proxy.host,
      says:
        "the registry's answer to the manifest request is not an image manifest. Check that " +
        "the address points at an OCI distribution registry.",
    });
  });

  for (const location of ["file:///etc/passwd", "ftp://mirror.example.com/x", "data:,{}"]) {
    it(`does not follow a redirect to ${location.split(":")[0]}:, and says where from`, async () => {
      proxy.faults = [{ status: 307, headers: { Location: location } }];
      const error = await expectRegistryError(resolveDigest(image, { dockerConfig }), {
        kind: "protocol",
        image,
        registry: proxy.host,
        says:
          `http://${proxy.host} redirected the request to a ${location.split(":")[0]}: URL, not ` +
          "HTTP(S). Check that the address points at an OCI distribution registry.",
      });
      expect(error.message).not.to.include("null");
      expect(proxy.requests).to.have.length(1);
    });
  }

  it("names the URL it was redirected to when that fails, without the login it held", async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    proxy.faults = [
      {
        status: 307,
        headers: { Location: `http://ci:${PLANTED}@${dead}/v2/team/app/manifests/v1` },
      },
    ];
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "unreachable",
      image,
      registry: proxy.host,
      says:
        `the connection to http://${dead} was refused. Check the registry address and port, ` +
        "and that the registry is running.",
      secrets: [PLANTED],
    });
  });

  it("shows no reason phrase or body the registry sent, only the status", async () => {
    const sent = {
      reason: `Gone Bearer ${PLANTED} password=${PLANTED}`,
      body: JSON.stringify({ errors: [{ code: "DENIED", message: PLANTED, detail: PLANTED }] }),
    };
    proxy.faults = [
      { status: 418, ...sent },
      { status: 418, ...sent },
    ];
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "protocol",
      image,
      registry: proxy.host,
      says:
        "the registry answered 418 I'm a Teapot to a manifest request. Check that the address " +
        "points at an OCI distribution registry.",
      secrets: [PLANTED],
    });
    proxy.faults = Array.from({ length: 4 }, () => ({ status: 503, ...sent }));
    await expectRegistryError(resolveDigest(image, { dockerConfig, retries: 1 }), {
      kind: "unreachable",
      image,
      registry: proxy.host,
      says: "the registry answered 503 Service Unavailable on all 2 attempts. Try again later.",
      secrets: [PLANTED],
    });
  });

  it("redacts credentials it does not know of: Basic and Bearer tokens, a URL's login", () => {
    expect(
      redact(
        "Authorization: Basic Y2k6cGw0bnRlZA== then bearer eyJhbGciOi.x-y_z and " +
          "https://ci:pl4nted@registry.example.com/v2/ and ssh://user@host, Basic",
        [],
      ),
    ).to.equal(
      "Authorization: Basic *** then bearer *** and https://***@registry.example.com/v2/ and " +
        "ssh://***@host, Basic",
    );
  });
});
