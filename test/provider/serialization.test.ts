/**
 * The provider's serialized form, as the state stores it: small, self-contained but for the
 * registry client it requires when a method runs, free of credentials and of this machine's paths.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { imageDigestProvider, UNKNOWN_VALUE } from "../../provider/imageDigest";
import { loadSerializedProvider, serializeProvider } from "../../provider/serialization";
import { PROJECT_DIR, runInEngine } from "./engine";

const SECRET = "pl4nted-in-the-serializing-process";
const PINNED = `registry.example.com/team/hello@sha256:${"f".repeat(64)}`;

describe("image refresh: the serialized provider", () => {
  let text: string;
  const saved = { ...process.env };
  let dockerDir: string;

  before(async () => {
    dockerDir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-config-"));
    fs.writeFileSync(
      path.join(dockerDir, "config.json"),
      JSON.stringify({ auths: { "registry.example.com": { username: "ci", password: SECRET } } }),
    );
    process.env.DOCKER_CONFIG = dockerDir;
    process.env.REGISTRY_PASSWORD = SECRET;
    const serialized = await serializeProvider(imageDigestProvider);
    text = serialized.text;
    expect(serialized.containsSecrets).to.equal(false);
  });

  after(() => {
    process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
    process.env.REGISTRY_PASSWORD = saved.REGISTRY_PASSWORD;
    if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
    if (saved.REGISTRY_PASSWORD === undefined) delete process.env.REGISTRY_PASSWORD;
    fs.rmSync(dockerDir, { recursive: true, force: true });
  });

  it("captures no credential and no path of this machine", () => {
    for (const planted of [SECRET, dockerDir, PROJECT_DIR, os.homedir()]) {
      expect(text).not.to.include(planted);
    }
  });

  it("requires the registry client when a method runs, by a path relative to the project", () => {
    expect(text).to.include('CLIENT_MODULE: "./provider/registry/client"');
    expect(text).to.include("require(path.resolve(CLIENT_MODULE))");
    expect(text).not.to.include("Docker-Content-Digest");
    expect(text).not.to.include("@pulumi/pulumi");
    // The text is stored with every ImageDigest: it stays small (the lock and policy paths added ~2 KB).
    expect(text.length).to.be.below(16_000);
  });

  it("runs in a plain node process: an unknown image stays unknown, a pinned one is used as is", () => {
    const run = runInEngine(text, [
      ["check", {}, { image: UNKNOWN_VALUE, onUnreachable: "fail" }],
      ["check", {}, { image: PINNED, onUnreachable: "fail" }],
      [
        "diff",
        PINNED,
        { image: PINNED, onUnreachable: "fail", digest: "x", pinned: "y" },
        { image: UNKNOWN_VALUE },
      ],
    ]);
    expect(run.results).to.deep.equal([
      { ok: { inputs: { image: UNKNOWN_VALUE, onUnreachable: "fail" } } },
      {
        ok: {
          inputs: {
            image: PINNED,
            onUnreachable: "fail",
            digest: `sha256:${"f".repeat(64)}`,
            pinned: PINNED,
          },
        },
      },
      { ok: { changes: true } },
    ]);
    expect(run.stderr).to.equal("");
  });

  it("loads back in this process as the engine loads it", async () => {
    const provider = loadSerializedProvider<typeof imageDigestProvider>(text);
    expect(provider).not.to.equal(imageDigestProvider);
    expect(Object.keys(provider).sort()).to.deep.equal([
      "check",
      "configure",
      "create",
      "diff",
      "read",
      "settings",
      "update",
    ]);
    expect(await provider.create({ image: PINNED, onUnreachable: "fail" })).to.deep.equal({
      id: PINNED,
      outs: {
        image: PINNED,
        onUnreachable: "fail",
        digest: `sha256:${"f".repeat(64)}`,
        pinned: PINNED,
      },
    });
  });
});
