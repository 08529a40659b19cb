/**
 * The provider's serialized form as `pulumi up` makes it: the program compiled by ts-node (as
 * Pulumi's nodejs runtime registers it), not by tsx as the other tests load it. The two compiles
 * differ in size and text; both must be self-contained, free of credentials and paths, and run
 * in the engine.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { imageDigestProvider, UNKNOWN_VALUE } from "../../provider/imageDigest";
import { serializeProvider } from "../../provider/serialization";
import { PROJECT_DIR, runInEngine } from "./engine";
import { serializeUnderTsNode } from "./tsNode";

const SECRET = "pl4nted-in-the-ts-node-process";
const PINNED = `registry.example.com/team/hello@sha256:${"e".repeat(64)}`;

describe("image refresh: the provider serialized under ts-node, as pulumi up serializes it", function () {
  this.timeout(120_000);
  let text: string;
  let dockerDir: string;

  before(() => {
    dockerDir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-config-"));
    fs.writeFileSync(
      path.join(dockerDir, "config.json"),
      JSON.stringify({ auths: { "registry.example.com": { username: "ci", password: SECRET } } }),
    );
    const serialized = serializeUnderTsNode(PROJECT_DIR, {
      ...process.env,
      DOCKER_CONFIG: dockerDir,
      REGISTRY_PASSWORD: SECRET,
    });
    expect(serialized.runtime.tsnode.startsWith(path.join("node_modules", "ts-node"))).to.equal(
      true,
    );
    expect(serialized.containsSecrets).to.equal(false);
    text = serialized.text;
  });

  after(() => fs.rmSync(dockerDir, { recursive: true, force: true }));

  it("is another text than tsx's compile, of the same provider", async () => {
    const tsx = (await serializeProvider(imageDigestProvider)).text;
    expect(text).not.to.equal(tsx);
    for (const method of ["check", "configure", "create", "diff", "read", "update"]) {
      expect(text, method).to.match(new RegExp(`\\b${method}\\b`));
    }
  });

  it("captures no credential and no path of this machine", () => {
    for (const planted of [SECRET, dockerDir, PROJECT_DIR, os.homedir()]) {
      expect(text).not.to.include(planted);
    }
  });

  it("is self-contained but for the registry client, required by a path relative to the project", () => {
    expect(text).to.include('CLIENT_MODULE: "./provider/registry/client"');
    expect(text).to.include("require(path.resolve(CLIENT_MODULE))");
    expect(text).not.to.include("Docker-Content-Digest");
    expect(text).not.to.include("@pulumi/pulumi");
    expect(text).not.to.include("sourceMappingURL");
    expect(text.length).to.be.below(12_000);
    // CommonJS reads this module's exported consts as `exports.X`: the serializer leaves those
    // to the serialized module's own (empty) exports, so none may be read inside a method.
    expect(text.split("\n").filter((line) => /\bexports\./.test(line))).to.deep.equal([
      "exports.handler = __f0;",
    ]);
  });

  it("runs in a plain node process as the engine runs it", () => {
    const run = runInEngine(text, [
      ["check", {}, { image: UNKNOWN_VALUE, onUnreachable: "fail" }],
      ["check", {}, { image: PINNED, onUnreachable: "keep" }],
      ["diff", PINNED, { image: PINNED, onUnreachable: "keep" }, { image: UNKNOWN_VALUE }],
    ]);
    expect(run.results).to.deep.equal([
      { ok: { inputs: { image: UNKNOWN_VALUE, onUnreachable: "fail" } } },
      {
        ok: {
          inputs: {
            image: PINNED,
            onUnreachable: "keep",
            digest: `sha256:${"e".repeat(64)}`,
            pinned: PINNED,
          },
        },
      },
      { ok: { changes: true } },
    ]);
    expect(run.stderr).to.equal("");
  });
});
