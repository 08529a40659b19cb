import { expect } from "chai";
import { parseChallenges, TokenCache } from "../../../provider/registry/auth";
import { configKeyHost, dockerConfigCredentials } from "../../../provider/registry/dockerConfig";
import { CredentialError, redact } from "../../../provider/registry/errors";
import { retryAfterMs, Transport } from "../../../provider/registry/http";
import { ensureRegistryTools, TokenServer } from "./harness";
import { authField, removeTempDirs, tempDir, writeDockerConfig } from "./support";

describe("registry client pieces", () => {
  after(removeTempDirs);

  it("parses WWW-Authenticate challenges: quoted, unquoted, escaped, several", () => {
    expect(
      parseChallenges(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push",error="insufficient_scope"',
      ),
    ).to.deep.equal([
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.example.com/token",
          service: "registry.example.com",
          scope: "repository:a/b:pull,push",
          error: "insufficient_scope",
        },
      },
    ]);
    expect(
      parseChallenges('Basic realm="a \\"quoted\\" realm", Bearer realm=https://x/t, service=svc'),
    ).to.deep.equal([
      { scheme: "basic", params: { realm: 'a "quoted" realm' } },
      { scheme: "bearer", params: { realm: "https://x/t", service: "svc" } },
    ]);
    expect(parseChallenges("Basic")).to.deep.equal([{ scheme: "basic", params: {} }]);
  });

  it("reads Retry-After as seconds or an HTTP date, capped and never negative", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("3", 10_000, now)).to.equal(3000);
    expect(retryAfterMs(" 0 ", 10_000, now)).to.equal(0);
    expect(retryAfterMs("120", 10_000, now)).to.equal(10_000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", 10_000, now)).to.equal(5000);
    expect(retryAfterMs("Wed, 31 Dec 2025 23:00:00 GMT", 10_000, now)).to.equal(0);
    expect(retryAfterMs("soon", 10_000, now)).to.equal(undefined);
    expect(retryAfterMs("-1", 10_000, now)).to.equal(undefined);
    expect(retryAfterMs(undefined, 10_000, now)).to.equal(undefined);
  });

  it("reduces Docker config keys to host[:port]", () => {
    expect(
      [
        "https://index.docker.io/v1/",
        "http://Reg.Example.com:5000/v2/",
        "reg.example.com/path",
        "localhost:5000",
      ].map(configKeyHost),
    ).to.deep.equal([
      "index.docker.io",
      "reg.example.com:5000",
      "reg.example.com",
      "localhost:5000",
    ]);
  });

  it("finds Docker Hub credentials under any of Docker's keys for it", async () => {
    for (const key of [
      "https://index.docker.io/v1/",
      "index.docker.io",
      "docker.io",
      "registry-1.docker.io",
    ]) {
      const file = writeDockerConfig({
        auths: {
          "other.io": { auth: authField("x", "y") },
          [key]: { auth: authField("hub", "pw") },
        },
      });
      const found = await dockerConfigCredentials("docker.io", file, true, 5000);
      expect(found?.credential).to.deep.equal({
        kind: "password",
        username: "hub",
        password: "pw",
      });
      expect(found?.source).to.equal(`the Docker config file ${file} (auths["${key}"])`);
    }
  });

  it("has no credentials for an unknown registry, an empty entry, or a missing default file", async () => {
    const file = writeDockerConfig({
      auths: { "a.io": { auth: authField("u", "p") }, "b.io": {} },
    });
    expect(await dockerConfigCredentials("c.io", file, true, 5000)).to.equal(undefined);
    expect(await dockerConfigCredentials("b.io", file, true, 5000)).to.equal(undefined);
    expect(
      await dockerConfigCredentials("a.io", `${tempDir()}/missing.json`, false, 5000),
    ).to.equal(undefined);
  });

  it("rejects a named missing file, a non-object and a broken auth field, without quoting secrets", async () => {
    const missing = `${tempDir()}/missing.json`;
    const broken = writeDockerConfig({
      auths: { "a.io": { auth: Buffer.from("no-colon-SECRET").toString("base64") } },
    });
    const array = writeDockerConfig([]);
    const failures: [string, string][] = [
      [missing, `the Docker config file ${missing} does not exist`],
      [array, `the Docker config file ${array} should hold a JSON object`],
      [
        broken,
        `the "auth" field in the Docker config file ${broken} (auths["a.io"]) is not base64 of "username:password"; run docker login again`,
      ],
    ];
    for (const [file, message] of failures) {
      let caught: unknown;
      try {
        await dockerConfigCredentials("a.io", file, true, 5000);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(CredentialError);
      expect((caught as Error).message).to.equal(message);
    }
  });

  it("redacts every secret of 4 characters or more", () => {
    expect(redact("user pw s3cret and s3cret again", ["s3cret", "pw"])).to.equal(
      "user pw *** and *** again",
    );
  });

  it("refetches a cached token once it is about to expire", async () => {
    ensureRegistryTools();
    const server = await new TokenServer({
      dir: tempDir(),
      users: { u: "p" },
      service: "svc",
      issuer: "iss",
    }).start();
    const transport = new Transport({
      timeoutMs: 5000,
      retries: 0,
      maxConcurrency: 2,
      retryAfterCapMs: 0,
      backoffMs: 0,
    });
    let now = 1_000_000;
    const cache = new TokenCache(transport, "test", () => now);
    const challenge = { scheme: "bearer", params: { realm: server.realm, service: "svc" } };
    const credential = { kind: "password" as const, username: "u", password: "p" };
    try {
      server.expiresIn = 60;
      const first = await cache.token(challenge, "repository:a:pull", credential, "u");
      now += 54_000;
      expect(await cache.token(challenge, "repository:a:pull", credential, "u")).to.equal(first);
      expect(cache.fetches).to.equal(1);
      await cache.token(challenge, "repository:b:pull", credential, "u");
      expect(cache.fetches).to.equal(2);
      now += 2_000;
      await cache.token(challenge, "repository:a:pull", credential, "u");
      expect(cache.fetches).to.equal(3);
      server.expiresIn = 10;
      now += 1_000_000;
      await cache.token(challenge, "repository:a:pull", credential, "u");
      now += 50_000;
      await cache.token(challenge, "repository:a:pull", credential, "u");
      expect(cache.fetches).to.equal(4);
      expect(server.requests.map((r) => r.scopes[0])).to.deep.equal([
        "repository:a:pull",
        "repository:b:pull",
        "repository:a:pull",
        "repository:a:pull",
      ]);
    } finally {
      transport.close();
      await server.stop();
    }
  });
});
