/**
 * `render --out` never writes outside its folder, whatever the objects are named:
 * objects forged with `..`, `/` or absolute names are refused before anything is removed or
 * written, and a symbolic link left in an earlier output folder is replaced, not followed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import {
  OUT_MARKER,
  manifestPath,
  writeOutDir,
  type Manifest,
} from "../../../cli/common/manifests";
import { InputError } from "../../../components/model/problems";

function object(kind: string, name: string, namespace?: string): Manifest {
  return {
    apiVersion: "v1",
    kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
  };
}

/** Every file and folder under `dir`, relative, sorted (links not followed). */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

describe("hostile object names in render --out", () => {
  let parent: string;
  let out: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-out-"));
    out = path.join(parent, "out");
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  const forged: [string, Manifest][] = [
    ["a name that climbs out", object("Service", "../../escape")],
    ["a name of `..`", object("Service", "..")],
    ["a name with a slash", object("Service", "a/b")],
    ["an absolute name", object("Service", "/tmp/escape")],
    ["a namespace of `..`", object("Service", "x", "..")],
    ["a namespace that climbs out", object("Service", "x", "../../escape")],
    ["an absolute namespace", object("Service", "x", "/tmp")],
    ["a kind that climbs out", object("../../Service", "x", "apps")],
    ["a name with a NUL", object("Service", "x\u0000y", "apps")],
    ["an empty name", object("Service", "", "apps")],
  ];

  for (const [what, bad] of forged) {
    it(`refuses ${what}, writing and removing nothing`, () => {
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, OUT_MARKER), "earlier render\n");
      fs.mkdirSync(path.join(out, "apps"));
      fs.writeFileSync(path.join(out, "apps", "service-old.yaml"), "old\n");
      const before = tree(parent);
      const good = object("Service", "fine", "apps");
      expect(() => writeOutDir([good, bad], out)).to.throw(
        `${JSON.stringify(bad.kind)} ${JSON.stringify(bad.metadata?.name)} in namespace ` +
          `${JSON.stringify(bad.metadata?.namespace)} is not a Kubernetes object name, so it is ` +
          "not written to a file",
      );
      expect(tree(parent)).to.deep.equal(before);
      expect(fs.readFileSync(path.join(out, "apps", "service-old.yaml"), "utf8")).to.equal("old\n");
    });
  }

  it("names files <namespace>/<kind>-<name>.yaml, and _cluster/ without a namespace", () => {
    expect(manifestPath(object("Deployment", "hello-deployment", "apps"))).to.equal(
      path.join("apps", "deployment-hello-deployment.yaml"),
    );
    expect(manifestPath(object("Namespace", "apps"))).to.equal(
      path.join("_cluster", "namespace-apps.yaml"),
    );
    expect(manifestPath(object("Ingress", "api.example.com", "apps"))).to.equal(
      path.join("apps", "ingress-api.example.com.yaml"),
    );
  });

  it("refuses to write through a symbolic link an earlier output holds, and keeps it", () => {
    const elsewhere = path.join(parent, "elsewhere");
    fs.mkdirSync(elsewhere);
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, OUT_MARKER), "earlier render\n");
    fs.symlinkSync(elsewhere, path.join(out, "apps"));
    const before = tree(parent);
    expect(() => writeOutDir([object("Service", "hello-service", "apps")], out)).to.throw(
      InputError,
      '"apps" in it is a symbolic link; render writes only in folders of its own: remove the ' +
        "link or choose another folder for --out",
    );
    expect(tree(parent)).to.deep.equal(before);
    expect(fs.readdirSync(elsewhere)).to.deep.equal([]);
  });
});
