import { expect } from "chai";
import * as path from "node:path";
import {
  RegistryClient,
  resolveDigest,
  type RegistryCredentials,
} from "../../../provider/registry/client";
import { FaultProxy, pushImage, startRegistry, type TestRegistry } from "./harness";
import {
  authField,
  expectRegistryError,
  noCredentials,
  prependPath,
  removeTempDirs,
  tempDir,
  writeCredentialHelper,
  writeDockerConfig,
} from "./support";

/** Planted in every scenario below; no error message may contain any of them. */
const WRONG_PASSWORD = "wrong-Pa55word-planted";

describe("registry client with htpasswd basic auth (real registry)", () => {
  let registry: TestRegistry;
  let digest: string;
  let image: string;
  let secrets: string[];
  let restorePath: () => void;
  let bin: string;
  const empty = (): string => writeDockerConfig({});

  before(async () => {
    registry = await startRegistry({ auth: "basic" });
    digest = (await pushImage(registry, "team/app", "v1", "oci")).digest;
    image = `${registry.host}/team/app:v1`;
    secrets = [
      registry.password,
      WRONG_PASSWORD,
      authField(registry.username, registry.password),
      authField(registry.username, WRONG_PASSWORD),
    ];
    bin = tempDir("helpers-");
    restorePath = prependPath(bin);
  });
  after(async () => {
    restorePath();
    await registry.stop();
    removeTempDirs();
  });

  const right = (): RegistryCredentials => ({
    username: registry.username,
    password: registry.password,
  });

  it("fails with auth when no credentials are found, naming where it looked", async () => {
    const dockerConfig = empty();
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "auth",
      image,
      registry: registry.host,
      says: noCredentials(registry.host, dockerConfig),
    });
  });

  it("fails with auth naming the source when the password is wrong, and never prints it", async () => {
    const credentials = {
      [registry.host]: { username: registry.username, password: WRONG_PASSWORD },
    };
    const error = await expectRegistryError(
      resolveDigest(image, { credentials, dockerConfig: empty() }),
      {
        kind: "auth",
        image,
        registry: registry.host,
        secrets,
        says: `the registry rejected the credentials from the credentials given for ${registry.host} (401 Unauthorized). Check the username and password. Run \`docker login ${registry.host}\`, or give credentials for ${registry.host}.`,
      },
    );
    expect(error.message).not.to.include(registry.username);
  });

  it("resolves with explicit credentials, which win over the Docker config", async () => {
    const dockerConfig = writeDockerConfig({
      auths: { [registry.host]: { auth: authField(registry.username, WRONG_PASSWORD) } },
    });
    const resolved = await resolveDigest(image, {
      credentials: { [registry.host]: right() },
      dockerConfig,
    });
    expect(resolved.digest).to.equal(digest);
  });

  const configs: [string, () => unknown][] = [
    [
      "auths.auth (base64 user:password)",
      () => ({
        auths: { [registry.host]: { auth: authField(registry.username, registry.password) } },
      }),
    ],
    [
      "auths username and password",
      () => ({
        auths: { [registry.host]: { username: registry.username, password: registry.password } },
      }),
    ],
    [
      "an auths key with scheme and path",
      () => ({
        auths: {
          [`http://${registry.host}/v2/`]: {
            auth: authField(registry.username, registry.password),
          },
        },
      }),
    ],
  ];
  for (const [what, config] of configs) {
    it(`resolves with credentials from a Docker config file: ${what}`, async () => {
      const resolved = await resolveDigest(image, { dockerConfig: writeDockerConfig(config()) });
      expect(resolved.digest).to.equal(digest);
    });
  }

  it("reads $DOCKER_CONFIG/config.json when no file is given", async () => {
    const file = writeDockerConfig({
      auths: { [registry.host]: { auth: authField(registry.username, registry.password) } },
    });
    const before = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = path.dirname(file);
    try {
      expect((await resolveDigest(image)).digest).to.equal(digest);
    } finally {
      if (before === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = before;
    }
  });

  it("fails with auth naming the Docker config file when its password is wrong", async () => {
    const dockerConfig = writeDockerConfig({
      auths: { [registry.host]: { auth: authField(registry.username, WRONG_PASSWORD) } },
    });
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "auth",
      image,
      registry: registry.host,
      secrets,
      says: `the registry rejected the credentials from the Docker config file ${dockerConfig} (auths["${registry.host}"]) (401 Unauthorized). Check the username and password. Run \`docker login ${registry.host}\`, or give credentials for ${registry.host}.`,
    });
  });

  it("asks the credHelpers helper with the registry host on stdin", async () => {
    const helper = writeCredentialHelper(bin, "basic-helper", {
      [registry.host]: { username: registry.username, secret: registry.password },
    });
    const dockerConfig = writeDockerConfig({ credHelpers: { [registry.host]: helper.name } });
    expect((await resolveDigest(image, { dockerConfig })).digest).to.equal(digest);
    expect(helper.asked()).to.deep.equal([registry.host]);
  });

  it("asks the credsStore helper, and falls back to auths when it has no credentials", async () => {
    const store = writeCredentialHelper(bin, "basic-store", {
      [registry.host]: { username: registry.username, secret: registry.password },
    });
    expect(
      (
        await resolveDigest(image, {
          dockerConfig: writeDockerConfig({
            credsStore: store.name,
            auths: { [registry.host]: {} },
          }),
        })
      ).digest,
    ).to.equal(digest);
    expect(store.asked()).to.deep.equal([registry.host]);

    const emptyStore = writeCredentialHelper(bin, "empty-store", {});
    const dockerConfig = writeDockerConfig({
      credsStore: emptyStore.name,
      auths: { [registry.host]: { auth: authField(registry.username, registry.password) } },
    });
    expect((await resolveDigest(image, { dockerConfig })).digest).to.equal(digest);
    expect(emptyStore.asked()).to.deep.equal([registry.host]);
  });

  it("fails with auth when a configured helper is not on the PATH", async () => {
    const dockerConfig = writeDockerConfig({ credHelpers: { [registry.host]: "not-installed" } });
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "auth",
      image,
      registry: registry.host,
      says: `docker-credential-not-installed (credHelpers in ${dockerConfig}) is not on the PATH; install it, or remove the entry from the Docker config file. Fix the Docker config file or the credential helper.`,
    });
  });

  it("does not quote a broken Docker config file, which may hold credentials", async () => {
    const dockerConfig = writeDockerConfig(
      `{"auths": {"${registry.host}": {"auth": "${authField("u", WRONG_PASSWORD)}"`,
    );
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "auth",
      image,
      registry: registry.host,
      secrets,
      says: `the Docker config file ${dockerConfig} is not valid JSON. Fix the Docker config file or the credential helper.`,
    });
  });

  it("sends basic credentials up front once the registry asked for them", async () => {
    const proxy = await new FaultProxy(registry.host).start();
    try {
      const client = new RegistryClient({
        credentials: { [proxy.host]: right() },
        dockerConfig: empty(),
      });
      await client.resolve(`${proxy.host}/team/app:v1`);
      await client.resolve(`${proxy.host}/team/app:v1`);
      client.close();
      expect(proxy.requests.map((r) => r.status)).to.deep.equal([401, 200, 200]);
    } finally {
      await proxy.stop();
    }
  });
});

describe("registry client with token auth (real registry, in-test token server)", () => {
  let registry: TestRegistry;
  let digest: string;
  let image: string;
  let secrets: string[];
  let restorePath: () => void;
  let bin: string;
  const identityToken = "identity-token-planted-0123456789";

  before(async () => {
    registry = await startRegistry({
      auth: "token",
      identityTokens: { [identityToken]: "tester" },
      publicRepositories: ["public/app"],
      deniedRepositories: ["team/secret"],
    });
    digest = (await pushImage(registry, "team/app", "v1", "docker-list")).digest;
    await pushImage(registry, "team/app", "v2", "docker");
    await pushImage(registry, "team/other", "v1", "oci");
    await pushImage(registry, "team/secret", "v1");
    await pushImage(registry, "public/app", "v1");
    image = `${registry.host}/team/app:v1`;
    secrets = [
      registry.password,
      WRONG_PASSWORD,
      identityToken,
      authField(registry.username, registry.password),
    ];
    bin = tempDir("helpers-");
    restorePath = prependPath(bin);
  });
  after(async () => {
    restorePath();
    await registry.stop();
    removeTempDirs();
  });
  beforeEach(() => {
    const server = registry.tokenServer!;
    server.requests = [];
    server.tokenField = "both";
  });

  const withCredentials = (password = registry.password) =>
    new RegistryClient({
      credentials: { [registry.host]: { username: registry.username, password } },
      dockerConfig: writeDockerConfig({}),
    });

  it("fetches a token for the repository's pull scope with basic auth, and resolves", async () => {
    const client = withCredentials();
    expect(await client.resolve(image)).to.deep.equal({
      digest,
      pinned: `${registry.host}/team/app:v1@${digest}`,
    });
    client.close();
    expect(registry.tokenServer!.requests).to.deep.equal([
      { method: "GET", scopes: ["repository:team/app:pull"], account: "tester", status: 200 },
    ]);
  });

  it("caches tokens per scope until they expire", async () => {
    const client = withCredentials();
    await client.resolve(`${registry.host}/team/app:v1`);
    await client.resolve(`${registry.host}/team/app:v2`);
    await client.resolve(`${registry.host}/team/app:v1`);
    expect(client.tokenRequests).to.equal(1);
    await client.resolve(`${registry.host}/team/other:v1`);
    await client.resolve(`${registry.host}/team/other:v1`);
    expect(client.tokenRequests).to.equal(2);
    client.close();
    expect(registry.tokenServer!.requests.map((r) => r.scopes)).to.deep.equal([
      ["repository:team/app:pull"],
      ["repository:team/other:pull"],
    ]);
  });

  for (const field of ["token", "access_token"] as const) {
    it(`accepts a token server that answers with only \`${field}\``, async () => {
      registry.tokenServer!.tokenField = field;
      const client = withCredentials();
      expect((await client.resolve(image)).digest).to.equal(digest);
      client.close();
    });
  }

  it("fails with auth when the token server rejects the password, and never prints it", async () => {
    const client = withCredentials(WRONG_PASSWORD);
    const realm = new URL(registry.tokenServer!.realm).origin;
    await expectRegistryError(client.resolve(image), {
      kind: "auth",
      image,
      registry: registry.host,
      secrets,
      says: `the token server ${realm} rejected the credentials from the credentials given for ${registry.host} (401 Unauthorized). Check the username and password. Run \`docker login ${registry.host}\`, or give credentials for ${registry.host}.`,
    });
    client.close();
  });

  it("fails with auth when there are no credentials and anonymous tokens give no access", async () => {
    const dockerConfig = writeDockerConfig({});
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "auth",
      image,
      registry: registry.host,
      says: noCredentials(registry.host, dockerConfig),
    });
    expect(registry.tokenServer!.requests).to.deep.equal([
      { method: "GET", scopes: ["repository:team/app:pull"], account: undefined, status: 200 },
    ]);
  });

  it("resolves a public repository with an anonymous token", async () => {
    const pushed = await pushImage(registry, "public/app", "v1");
    expect(
      (
        await resolveDigest(`${registry.host}/public/app:v1`, {
          dockerConfig: writeDockerConfig({}),
        })
      ).digest,
    ).to.equal(pushed.digest);
  });

  it("fails with auth when the account may not pull the repository", async () => {
    const client = withCredentials();
    const secret = `${registry.host}/team/secret:v1`;
    await expectRegistryError(client.resolve(secret), {
      kind: "auth",
      image: secret,
      registry: registry.host,
      secrets,
      says: `the credentials from the credentials given for ${registry.host} do not allow pulling repository "team/secret" (401 Unauthorized). Check that the account may pull this repository.`,
    });
    client.close();
  });

  it("uses a Docker config identitytoken as an OAuth2 refresh token", async () => {
    const dockerConfig = writeDockerConfig({
      auths: { [registry.host]: { identitytoken: identityToken } },
    });
    expect((await resolveDigest(image, { dockerConfig })).digest).to.equal(digest);
    expect(registry.tokenServer!.requests).to.deep.equal([
      { method: "POST", scopes: ["repository:team/app:pull"], account: "tester", status: 200 },
    ]);
  });

  it("uses a credential helper's `<token>` answer as an identity token", async () => {
    const helper = writeCredentialHelper(bin, "token-helper", {
      [registry.host]: { username: "<token>", secret: identityToken },
    });
    const dockerConfig = writeDockerConfig({ credHelpers: { [registry.host]: helper.name } });
    expect((await resolveDigest(image, { dockerConfig })).digest).to.equal(digest);
    expect(registry.tokenServer!.requests.map((r) => r.method)).to.deep.equal(["POST"]);
  });

  it("fails with auth for a wrong identity token, without printing it", async () => {
    const wrong = `${identityToken}-wrong`;
    const dockerConfig = writeDockerConfig({
      auths: { [registry.host]: { identitytoken: wrong } },
    });
    const realm = new URL(registry.tokenServer!.realm).origin;
    await expectRegistryError(resolveDigest(image, { dockerConfig }), {
      kind: "auth",
      image,
      registry: registry.host,
      secrets: [...secrets, wrong],
      says: `the token server ${realm} rejected the credentials from the Docker config file ${dockerConfig} (auths["${registry.host}"]) (401 Unauthorized). Check the username and password. Run \`docker login ${registry.host}\`, or give credentials for ${registry.host}.`,
    });
  });
});
