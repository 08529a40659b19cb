/**
 * Tag listing, tag policies and digest checks against a real registry: pages followed through
 * the `Link` header (more tags than one page: the fault proxy pages the registry's list, which
 * Debian's distribution 2.8 sends whole), the newest tag a policy deploys wherever its page is,
 * token auth on the listing, and a deleted manifest found missing.
 */
import { expect } from "chai";
import {
  nextPage,
  RegistryClient,
  RegistryError,
  resolveByPolicy,
  verifyDigest,
} from "../../../provider/registry/client";
import {
  deleteManifest,
  FaultProxy,
  pushImage,
  startRegistry,
  type Pushed,
  type TestRegistry,
} from "./harness";
import { removeTempDirs, writeDockerConfig } from "./support";

/** 25 release tags, a pre-release of the next major, a nightly and builds: 30 tags. */
const RELEASES = Array.from({ length: 25 }, (_, i) => `1.0.${i}`);
const TAGS = [...RELEASES, "2.0.0-rc.1", "latest", "build-9", "build-10", "build-2"];

describe("registry client: tags, policies and digests against a real registry", function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let token: TestRegistry;
  let proxy: FaultProxy;
  let dockerConfig: string;
  const pushed = new Map<string, Pushed>();

  before(async () => {
    [registry, token] = await Promise.all([
      startRegistry(),
      startRegistry({ auth: "token", publicRepositories: [] }),
    ]);
    proxy = await new FaultProxy(registry.host).start();
    dockerConfig = writeDockerConfig({});
    for (const tag of TAGS)
      pushed.set(tag, await pushImage(registry, "team/app", tag, "docker", tag));
    for (const tag of ["1.0.0", "1.0.1", "1.0.2"])
      await pushImage(token, "team/app", tag, "oci", tag);
  });
  after(async () => {
    await proxy.stop();
    await Promise.all([registry.stop(), token.stop()]);
    removeTempDirs();
  });
  beforeEach(() => proxy.reset());

  const listRequests = (): string[] =>
    proxy.requests.filter((r) => r.path.includes("/tags/list")).map((r) => r.path);

  it("lists every tag across pages, following the registry's Link header", async () => {
    proxy.tagsPageLimit = 10;
    const client = new RegistryClient({ dockerConfig });
    try {
      const tags = await client.listTags(`${proxy.host}/team/app:1.0.0`);
      expect(tags.length).to.equal(TAGS.length);
      expect([...tags].sort()).to.deep.equal([...TAGS].sort());
    } finally {
      client.close();
    }
    const pages = listRequests();
    expect(pages.length).to.equal(3);
    expect(pages).to.deep.equal([
      "/v2/team/app/tags/list?n=1000",
      "/v2/team/app/tags/list?last=1.0.17&n=10",
      "/v2/team/app/tags/list?last=1.0.4&n=10",
    ]);
  });

  it("semver: picks the newest version in the range from a registry with more tags than one page", async () => {
    proxy.tagsPageLimit = 10;
    const options = { dockerConfig };
    const image = `${proxy.host}/team/app:1.0.0`;
    const newest = await resolveByPolicy(
      image,
      { kind: "semver", range: "^1.0.0", prereleases: false },
      options,
    );
    expect(newest).to.deep.equal({
      tag: "1.0.24",
      digest: pushed.get("1.0.24")?.digest,
      pinned: `${proxy.host}/team/app:1.0.24@${pushed.get("1.0.24")?.digest}`,
    });
    // 1.0.24 is on the second page of three (pages hold tags sorted by name).
    expect(listRequests().length).to.equal(3);

    const pre = await resolveByPolicy(
      image,
      { kind: "semver", range: ">=1.0.0", prereleases: true },
      options,
    );
    expect(pre.tag).to.equal("2.0.0-rc.1");
    const unasked = await resolveByPolicy(
      image,
      { kind: "semver", range: ">=1.0.0", prereleases: false },
      options,
    );
    expect(unasked.tag).to.equal("1.0.24");
  });

  it("regex: ranks the first group as numbers; no tag fitting is a clear not-found", async () => {
    const image = `${registry.host}/team/app:1.0.0`;
    const build = await resolveByPolicy(
      image,
      { kind: "regex", pattern: "^build-(\\d+)$", order: "numerical" },
      { dockerConfig, tagsPageSize: 4 },
    );
    expect([build.tag, build.digest]).to.deep.equal(["build-10", pushed.get("build-10")?.digest]);
    let thrown: unknown;
    try {
      await resolveByPolicy(
        image,
        { kind: "semver", range: "^7", prereleases: false },
        { dockerConfig },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(RegistryError);
    expect((thrown as RegistryError).kind).to.equal("not-found");
    expect((thrown as RegistryError).message).to.equal(
      `Cannot resolve image "${image}" on registry ${registry.host}: none of the ${TAGS.length} ` +
        'tags of repository "team/app" fits the policy semver ^7. Check the policy, or push a tag it matches.',
    );
  });

  it("lists tags behind token auth, with a pull token", async () => {
    const config = writeDockerConfig({
      auths: {
        [token.host]: {
          auth: Buffer.from(`${token.username}:${token.password}`).toString("base64"),
        },
      },
    });
    const chosen = await resolveByPolicy(
      `${token.host}/team/app:1.0.0`,
      { kind: "semver", range: "~1.0.0", prereleases: false },
      { dockerConfig: config, tagsPageSize: 2 },
    );
    expect(chosen.tag).to.equal("1.0.2");
  });

  it("refuses a next page on another origin, and a page that links back to itself", async () => {
    const client = new RegistryClient({ dockerConfig, retries: 0 });
    const image = `${proxy.host}/team/app:1.0.0`;
    const page = (link: string) => ({
      status: 200,
      headers: { "content-type": "application/json", link },
      body: JSON.stringify({ name: "team/app", tags: ["a"] }),
    });
    try {
      proxy.faults.push(page('<http://127.0.0.2:1/v2/team/app/tags/list?last=a>; rel="next"'));
      await expectFailure(
        client.listTags(image),
        "the tag list's next page is on http://127.0.0.2:1",
      );
      proxy.faults.push(page('</v2/team/app/tags/list?n=1000>; rel="next"'));
      await expectFailure(
        client.listTags(image),
        "the tag list links back to a page it already sent",
      );
      proxy.faults.push({ status: 200, body: '{"tags": [1, 2]}' });
      await expectFailure(
        client.listTags(image),
        "the registry's tag list is not a JSON list of tags",
      );
    } finally {
      client.close();
    }
  });

  it("finds a manifest by digest, and finds it missing once deleted (HEAD by digest)", async () => {
    const gone = await pushImage(registry, "team/deleted", "1.0.0", "docker", "deleted");
    const image = `${proxy.host}/team/deleted:1.0.0`;
    await verifyDigest(image, gone.digest, { dockerConfig });
    expect(proxy.requests).to.deep.equal([
      { method: "HEAD", path: `/v2/team/deleted/manifests/${gone.digest}`, status: 200 },
    ]);
    await deleteManifest(registry, "team/deleted", gone.digest);
    let thrown: unknown;
    try {
      await verifyDigest(image, gone.digest, { dockerConfig });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(RegistryError);
    expect((thrown as RegistryError).kind).to.equal("not-found");
    expect((thrown as RegistryError).message).to.equal(
      `the manifest ${gone.digest} is not in repository "team/deleted" on registry ${proxy.host} ` +
        "(it was deleted, or never pushed there)",
    );
  });

  it("reads Link headers as RFC 8288 writes them", () => {
    const here = new URL("http://r:5000/v2/a/tags/list?n=2");
    expect(nextPage('</v2/a/tags/list?last=b&n=2>; rel="next"', here)?.href).to.equal(
      "http://r:5000/v2/a/tags/list?last=b&n=2",
    );
    expect(nextPage('<https://x/prev>; rel="prev", <?last=c>; rel=next', here)?.href).to.equal(
      "http://r:5000/v2/a/tags/list?last=c",
    );
    expect(nextPage('<https://x/p>; rel="prev"', here)).to.equal(undefined);
    expect(nextPage(undefined, here)).to.equal(undefined);
  });
});

async function expectFailure(promise: Promise<unknown>, problem: string): Promise<void> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).to.be.instanceOf(RegistryError);
  expect((thrown as RegistryError).kind).to.equal("protocol");
  expect((thrown as RegistryError).message).to.contain(problem);
}
