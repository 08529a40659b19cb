/** Patches: selected by kind and integration globs, applied by the builders, refused with a place. */
import { expect } from "chai";
import { buildStackObjects, listObjects } from "../../components/builders";
import { mergePatch } from "../../components/builders/patches";
import { InputError, formatProblem } from "../../components/model/problems";
import type { ObjectPatch } from "../../components/model/types";
import { schemaProblems } from "../support/schema";
import { integration, stack } from "./fixtures";

const FILE = { file: "stacks/Pulumi.prod.yaml" };

function patched(list: ObjectPatch[]) {
  return buildStackObjects({
    ...stack([integration(), integration({ name: "orders-api", minReplicas: 2 })]),
    patches: { file: FILE, list },
  });
}

function refused(list: ObjectPatch[]): string[] {
  try {
    patched(list);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  return expect.fail("expected an InputError");
}

describe("patches", () => {
  it("adds a field no setting models, to the objects its kind and globs select", () => {
    const objects = patched([
      {
        at: "wso2-mi:patches[0]",
        kind: "Deployment",
        integrations: ["orders-*"],
        jsonPatch: [
          { op: "add", path: "/spec/template/spec/terminationGracePeriodSeconds", value: 120 },
        ],
      },
      {
        at: "wso2-mi:patches[1]",
        kind: "Service",
        integrations: ["apps/hello"],
        mergePatch: { metadata: { annotations: { "example.com/x": "y" }, labels: null } },
      },
      {
        at: "wso2-mi:patches[2]",
        kind: "Ingress",
        mergePatch: { metadata: { annotations: { "example.com/z": "1" } } },
      },
    ]);
    const [hello, orders] = objects.integrations.map((i) => i.objects);
    expect(orders.deployment.spec?.template.spec?.terminationGracePeriodSeconds).to.equal(120);
    expect(hello.deployment.spec?.template.spec).to.not.have.property(
      "terminationGracePeriodSeconds",
    );
    expect(hello.service.metadata).to.deep.equal({
      name: "hello-service",
      namespace: "apps",
      annotations: { "example.com/x": "y" },
    });
    expect(orders.service.metadata?.annotations).to.equal(undefined);
    expect(objects.ingresses[0].metadata?.annotations).to.include({ "example.com/z": "1" });
    for (const object of listObjects(objects)) expect(schemaProblems(object)).to.deep.equal([]);
  });

  it("merges as RFC 7396 says: mappings recursively, null removes, anything else replaces", () => {
    expect(
      mergePatch({ a: "b", c: { d: "e", f: "g" }, l: [1, 2] }, { a: "z", c: { f: null }, l: [3] }),
    ).to.deep.equal({ a: "z", c: { d: "e" }, l: [3] });
    expect(mergePatch({ a: "b" }, ["c"])).to.deep.equal(["c"]);
  });

  it("names the stack file, the patch and the object when a patch cannot apply", () => {
    expect(
      refused([
        {
          at: "wso2-mi:patches[0]",
          kind: "Deployment",
          integrations: ["hello"],
          jsonPatch: [{ op: "replace", path: "/spec/nothing/here", value: 1 }],
        },
        {
          at: "wso2-mi:patches[1]",
          kind: "Service",
          mergePatch: { metadata: { name: "renamed" } },
        },
        {
          at: "wso2-mi:patches[2]",
          kind: "Deployment",
          integrations: ["orders-api"],
          mergePatch: { spec: { replicas: "many" } },
        },
      ]),
    ).to.deep.equal([
      "error: stacks/Pulumi.prod.yaml: wso2-mi:patches[0]: cannot be applied to Deployment apps/hello-deployment: jsonPatch[0]: Cannot perform the operation at a path that does not exist",
      "error: stacks/Pulumi.prod.yaml: wso2-mi:patches[1]: cannot be applied to Service apps/hello-service: changes metadata.name, which is the object's identity; a patch may change anything else",
      "error: stacks/Pulumi.prod.yaml: wso2-mi:patches[2]: cannot be applied to Deployment apps/orders-api-deployment: the result is not a valid Deployment: /spec/replicas must be integer",
      "error: stacks/Pulumi.prod.yaml: wso2-mi:patches[1]: cannot be applied to Service apps/orders-api-service: changes metadata.name, which is the object's identity; a patch may change anything else",
    ]);
  });

  it("keeps a patched Deployment's changes when the resolved digest is placed after them", () => {
    const refresh = {
      mode: "digest" as const,
      onUnreachable: "fail" as const,
      insecureRegistries: [],
    };
    const pinned = "registry.example.com/hello:1.0@sha256:" + "a".repeat(64);
    const objects = buildStackObjects(
      {
        ...stack([integration({ imageRefresh: refresh })]),
        patches: {
          file: FILE,
          list: [
            {
              at: "wso2-mi:patches[0]",
              kind: "Deployment",
              jsonPatch: [
                {
                  op: "add",
                  path: "/spec/template/spec/terminationGracePeriodSeconds",
                  value: 120,
                },
                { op: "replace", path: "/spec/template/spec/containers/0/image", value: "other:2" },
              ],
            },
          ],
        },
      },
      new Map([["apps/hello", { digest: `sha256:${"a".repeat(64)}`, pinned }]]),
    );
    expect(objects.integrations).to.have.length(1);
    const pod = objects.integrations[0].objects.deployment.spec?.template.spec;
    expect(pod?.terminationGracePeriodSeconds).to.equal(120);
    // The digest is the provider's to place: a patch cannot pin another image behind its back.
    expect(pod?.containers.map((c) => c.image)).to.deep.equal([pinned]);
  });
});
