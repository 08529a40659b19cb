/**
 * The documented migration path: adopt the operator's objects with the pod-template defaults
 * off, so that nothing rolls, then turn them on in a second change. The Deployments the example
 * stacks render with the adoption settings must equal, byte for byte, those this project
 * rendered before hardening and availability existed (test/fixtures/adoption/, the golden
 * manifests of that commit): the pods the operator's objects run keep running.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { buildStackObjects, listObjects, type KubeObject } from "../../components/builders";
import { loadStackFromSettings } from "../../components/model/loadStack";
import { Problems } from "../../components/model/problems";
import { parseStackSettings } from "../../components/model/settings/stack";
import { objectYaml } from "../../cli/common/manifests";
import { stackConfig } from "../components/harness";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The stack settings a migration adopts with: every default that changes the pod template off,
 * and no per-integration files yet (prod's orders-api mounts a deployment.toml and keystores:
 * they come with the second change too).
 */
export const ADOPTION_SETTINGS: Record<string, string> = {
  "wso2-mi:podSecurity": "none",
  "wso2-mi:availability": JSON.stringify({ topologySpread: false, startupProbe: false }),
  "wso2-mi:integrations": "{}",
};

/** The stack's objects, with `extra` config on top of its stack file's, as YAML documents by id. */
function render(stack: string, extra: Record<string, string>): Map<string, string> {
  const problems = new Problems();
  const config = { ...stackConfig(ROOT, "wso2-mi", stack), ...extra };
  const settings = parseStackSettings(
    config,
    { project: "wso2-mi", stack, file: `stacks/Pulumi.${stack}.yaml` },
    problems,
  );
  const resolved = loadStackFromSettings({ baseDir: ROOT, settings, problems });
  return byId(listObjects(buildStackObjects(resolved)).map((o) => objectYaml(o)));
}

function byId(documents: string[]): Map<string, string> {
  return new Map(
    documents.map((text) => {
      const object = loadAll(text)[0] as KubeObject;
      return [`${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`, text];
    }),
  );
}

function before(stack: string): Map<string, string> {
  const file = path.join(ROOT, "test/fixtures/adoption", `${stack}-before-hardening.yaml`);
  return byId(fs.readFileSync(file, "utf8").split(/^---\n/m));
}

function deployments(objects: Map<string, string>): [string, string][] {
  return [...objects].filter(([id]) => id.startsWith("Deployment "));
}

describe("adopting from the operator: pod-template defaults off first, on later", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: with the adoption settings, every Deployment is the one rendered before hardening`, () => {
      const adopted = deployments(render(stack, ADOPTION_SETTINGS));
      const earlier = deployments(before(stack));
      expect(adopted.length).to.be.greaterThan(0);
      expect(adopted.map(([id]) => id)).to.deep.equal(earlier.map(([id]) => id));
      for (const [id, text] of adopted) {
        expect(text, id).to.equal(new Map(earlier).get(id));
      }
    });

    it(`${stack}: the second change (the defaults on) changes every pod template and nothing else of a Deployment`, () => {
      const adopted = new Map(deployments(render(stack, ADOPTION_SETTINGS)));
      const hardened = deployments(render(stack, {}));
      expect(hardened.length).to.equal(adopted.size);
      for (const [id, text] of hardened) {
        const now = loadAll(text)[0] as { spec: { template: unknown } };
        const then = loadAll(adopted.get(id) ?? "")[0] as { spec: { template: unknown } };
        expect(now.spec.template, id).to.not.deep.equal(then.spec.template);
        expect({ ...now.spec, template: null }, id).to.deep.equal({
          ...then.spec,
          template: null,
        });
      }
    });
  }
});
