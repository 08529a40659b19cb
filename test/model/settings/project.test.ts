/**
 * Pulumi.yaml's `config:` section: typed declarations Pulumi accepts, for keys the program reads,
 * with defaults that are the program's own; and how its values reach a stack offline.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { load } from "js-yaml";
import { buildStackObjects, listObjects } from "../../../components/builders";
import { Problems } from "../../../components/model/problems";
import { projectConfigValues } from "../../../components/model/settings/project";
import { loadStackFromSettings } from "../../../components/model/loadStack";
import {
  parseStackSettings,
  readProject,
  STACK_KEYS,
} from "../../../components/model/settings/stack";
import { crYaml, tempProject } from "../../cli/run";

const ROOT = path.resolve(__dirname, "../../..");
const OPTS = { project: "wso2-mi", stack: "dev", file: "stacks/Pulumi.dev.yaml" };

interface Declaration {
  type?: unknown;
  description?: unknown;
  default?: unknown;
  items?: unknown;
}

const project = load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
  name: string;
  config: Record<string, Declaration>;
};

/** Pulumi's check of a typed default: `integer`, `boolean`, `string` (arrays are not declared). */
function ofType(value: unknown, type: unknown): boolean {
  if (type === "string") return typeof value === "string";
  if (type === "boolean") return typeof value === "boolean";
  if (type === "integer") return Number.isInteger(value);
  return false;
}

describe("Pulumi.yaml's config section", () => {
  // A CR without a namespace: the objects the stack builds with and without each default.
  const dir = tempProject({ "crs/hello.yaml": crYaml("hello") });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("declares namespace and createNamespace", () => {
    expect(Object.keys(project.config)).to.deep.equal(["namespace", "createNamespace"]);
  });

  for (const [key, declaration] of Object.entries(project.config)) {
    describe(key, () => {
      it("is a key the program reads, in the project's namespace", () => {
        expect(key.includes(":")).to.equal(false);
        expect(STACK_KEYS).to.include(key);
      });

      it("has a scalar type, a description and a default of that type", () => {
        expect(["string", "integer", "boolean"]).to.include(declaration.type);
        expect(declaration.description).to.be.a("string").and.not.equal("");
        // Without a default, Pulumi requires every stack to set the key.
        expect(ofType(declaration.default, declaration.type), "default's type").to.equal(true);
      });

      it("changes nothing when applied: its default is the program's", () => {
        const config = projectConfigValues({ [key]: declaration }, project.name);
        expect(Object.keys(config)).to.deep.equal([`${project.name}:${key}`]);
        const problems = new Problems();
        const objects = (settings: Record<string, string>) => {
          const parsed = parseStackSettings({ ...settings, "wso2-mi:crs": "crs" }, OPTS, problems);
          return listObjects(
            buildStackObjects(loadStackFromSettings({ baseDir: dir, settings: parsed, problems })),
          );
        };
        expect(objects(config)).to.deep.equal(objects({}));
        expect(objects(config)).to.have.length(3);
        expect(problems.list).to.deep.equal([]);
      });
    });
  }

  it("reaches a stack offline as the Pulumi CLI passes it", () => {
    const read = readProject(ROOT, new Problems());
    expect(read?.config).to.deep.equal({
      "wso2-mi:namespace": "default",
      "wso2-mi:createNamespace": "false",
    });
  });
});

describe("projectConfigValues", () => {
  it("takes defaults, shorthand values and other namespaces' values, as Pulumi does", () => {
    expect(
      projectConfigValues(
        {
          namespace: { type: "string", default: "apps" },
          "wso2-mi:createNamespace": { type: "boolean", default: true },
          replicas: 3,
          crs: ["stacks/a", "stacks/b"],
          "kubernetes:context": { value: "kind-dev" },
          "other:map": { value: { b: 1, a: "<x>" } },
          required: { type: "string", description: "no default: every stack sets it" },
        },
        "wso2-mi",
      ),
    ).to.deep.equal({
      "wso2-mi:namespace": "apps",
      "wso2-mi:createNamespace": "true",
      "wso2-mi:replicas": "3",
      "wso2-mi:crs": '["stacks/a","stacks/b"]',
      "kubernetes:context": "kind-dev",
      "other:map": '{"a":"\\u003cx\\u003e","b":1}',
    });
  });

  it("is empty without a config section", () => {
    expect(projectConfigValues(undefined, "wso2-mi")).to.deep.equal({});
    expect(projectConfigValues("stacks", "wso2-mi")).to.deep.equal({});
  });
});
