/**
 * `createNamespace` and `kubernetes` in the program under Pulumi's mocks, and in render: the
 * Namespaces and what waits for them, the explicit provider, readiness timeouts and skipAwait.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { main as render } from "../../cli/render/main";
import { kubernetesChildren } from "../../components/clusterOptions";
import { run, tempProject } from "../cli/run";
import { runProgram, stackConfig, valueOf, type ProgramRun } from "./harness";

const PROJECT = "wso2-mi";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const STACK_COMPONENT = "wso2:integrations:IntegrationStack::integrations";

/** Two CRs in two namespaces, `apps/hello` and `team-b/other`, and the stack file `lines`. */
function project(lines: string[]): string {
  return tempProject({
    "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
    "stacks/Pulumi.dev.yaml": ["config:", "  wso2-mi:namespace: apps", ...lines, ""].join("\n"),
    "stacks/dev/hello.yaml":
      "apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: hello\n" +
      "spec:\n  image: docker.io/wso2/hello:1.0.0\n",
    "stacks/dev/other.yaml":
      "apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: other\n" +
      "  namespace: team-b\nspec:\n  image: docker.io/wso2/other:1.0.0\n",
  });
}

const dirs: string[] = [];

/** A project from {@link project}, removed after the tests. */
function newProject(lines: string[]): string {
  const dir = project(lines);
  dirs.push(dir);
  return dir;
}

after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The stack program run under mocks on `dir`'s stack file, as `pulumi up --stack dev`. */
function program(dir: string): Promise<ProgramRun> {
  return runProgram(dir, PROJECT, "dev", stackConfig(dir, PROJECT, "dev"));
}

/** `type::name` of every Kubernetes object registered. */
function kubernetesObjects(result: ProgramRun): string[] {
  return result.registrations
    .filter((r) => r.type.startsWith("kubernetes:"))
    .map((r) => `${r.type}::${r.name}`)
    .sort();
}

/** What each resource's `dependsOn` names, as `type::name` of the registrations, by resource. */
async function dependencies(result: ProgramRun): Promise<Record<string, string[]>> {
  const byUrn = new Map(result.registrations.map((r) => [r.urn, `${r.type}::${r.name}`]));
  const out: Record<string, string[]> = {};
  for (const [key, options] of result.options) {
    if (options.dependsOn === undefined) continue;
    const list = options.dependsOn as pulumi.Resource[];
    out[key] = await Promise.all(
      list.map(async (resource) => byUrn.get(await valueOf(resource.urn)) ?? "unknown"),
    );
  }
  return out;
}

describe("createNamespace", () => {
  it("registers a Namespace per namespace used, a child of the stack component", async () => {
    const result = await program(newProject(["  wso2-mi:createNamespace: true"]));
    const namespaces = result.registrations.filter((r) => r.type === NAMESPACE);
    expect(namespaces.map((r) => [r.name, r.parent, r.inputs])).to.deep.equal([
      [
        "apps",
        STACK_COMPONENT,
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } },
      ],
      [
        "team-b",
        STACK_COMPONENT,
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-b" } },
      ],
    ]);
  });

  it("never deletes a Namespace: deleting one deletes everything in it", async () => {
    const result = await program(newProject(["  wso2-mi:createNamespace: true"]));
    expect(result.options.get(`${NAMESPACE}::apps`)?.retainOnDelete).to.equal(true);
    expect(result.options.get(`${NAMESPACE}::team-b`)?.retainOnDelete).to.equal(true);
  });

  it("makes every object in a namespace wait for its Namespace, and nothing else wait", async () => {
    const result = await program(newProject(["  wso2-mi:createNamespace: true"]));
    expect(await dependencies(result)).to.deep.equal({
      "kubernetes:apps/v1:Deployment::apps/hello-deployment": [`${NAMESPACE}::apps`],
      "kubernetes:core/v1:Service::apps/hello-service": [`${NAMESPACE}::apps`],
      "kubernetes:networking.k8s.io/v1:Ingress::apps/ei-operator-ingress": [`${NAMESPACE}::apps`],
      "kubernetes:apps/v1:Deployment::team-b/other-deployment": [`${NAMESPACE}::team-b`],
      "kubernetes:core/v1:Service::team-b/other-service": [`${NAMESPACE}::team-b`],
      "kubernetes:networking.k8s.io/v1:Ingress::team-b/ei-operator-ingress": [
        `${NAMESPACE}::team-b`,
      ],
    });
  });

  it("registers no Namespace and no dependency when off (the default)", async () => {
    const on = await program(newProject(["  wso2-mi:createNamespace: true"]));
    const off = await program(newProject([]));
    expect(kubernetesObjects(on)).to.have.length(8);
    expect(kubernetesObjects(off)).to.have.length(6);
    expect(kubernetesObjects(off)).to.deep.equal(
      kubernetesObjects(on).filter((id) => !id.startsWith(`${NAMESPACE}::`)),
    );
    expect(await dependencies(off)).to.deep.equal({});
  });

  it("is what render prints: each namespace's Namespace first, without a namespace", () => {
    const { code, stdout, stderr } = run(
      render,
      ["--stack", "dev"],
      newProject(["  wso2-mi:createNamespace: true"]),
    );
    expect(code, stderr).to.equal(0);
    const objects = loadAll(stdout) as { kind: string; metadata: Record<string, string> }[];
    expect(
      objects.map((o) => `${o.kind} ${o.metadata.namespace ?? "-"}/${o.metadata.name}`),
    ).to.deep.equal([
      "Namespace -/apps",
      "Deployment apps/hello-deployment",
      "Service apps/hello-service",
      "Ingress apps/ei-operator-ingress",
      "Namespace -/team-b",
      "Deployment team-b/other-deployment",
      "Service team-b/other-service",
      "Ingress team-b/ei-operator-ingress",
    ]);
    expect(objects[0]).to.deep.equal({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "apps" },
    });
  });
});

describe("kubernetes settings", () => {
  it("passes an explicit provider `kubernetes` with the context and apply mode to every object", async () => {
    const result = await program(
      newProject([
        "  wso2-mi:kubernetes:",
        "    context: prod-cluster",
        "    serverSideApply: false",
      ]),
    );
    const provider = result.registrations.find((r) => r.type === "pulumi:providers:kubernetes");
    expect(provider?.name).to.equal("kubernetes");
    expect(provider?.parent).to.equal("pulumi:pulumi:Stack::wso2-mi-dev");
    expect(provider?.inputs).to.deep.include({
      context: "prod-cluster",
      enableServerSideApply: "false",
    });
    const reference = `${provider?.urn}::kubernetes`;
    const objects = result.registrations.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects).to.have.length(6);
    for (const object of objects) {
      expect(object.provider, object.name).to.equal(reference);
    }
  });

  it("uses Pulumi's default provider without context or serverSideApply", async () => {
    const result = await program(
      newProject(["  wso2-mi:kubernetes:", "    readinessTimeoutSeconds: 300"]),
    );
    expect(result.registrations.some((r) => r.type === "pulumi:providers:kubernetes")).to.equal(
      false,
    );
    const objects = result.registrations.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects).to.have.length(6);
    expect(objects.map((o) => o.provider)).to.deep.equal(objects.map(() => undefined));
  });

  it("gives every Kubernetes object the readiness timeout on create and update", async () => {
    const result = await program(
      newProject([
        "  wso2-mi:createNamespace: true",
        "  wso2-mi:kubernetes:",
        "    readinessTimeoutSeconds: 900",
      ]),
    );
    const timeouts = Object.fromEntries(
      result.registrations.map((r) => [
        `${r.type}::${r.name}`,
        result.options.get(`${r.type}::${r.name}`)?.customTimeouts,
      ]),
    );
    const expected = { create: "900s", update: "900s" };
    for (const [key, value] of Object.entries(timeouts)) {
      expect(value, key).to.deep.equal(key.startsWith("kubernetes:") ? expected : undefined);
    }
    expect(Object.keys(timeouts).filter((k) => k.startsWith("kubernetes:"))).to.have.length(8);
  });

  it("sets no timeouts without readinessTimeoutSeconds", async () => {
    const result = await program(newProject([]));
    expect(kubernetesObjects(result)).to.have.length(6);
    expect(result.options.size).to.equal(result.registrations.length);
    for (const [key, options] of result.options) {
      expect(options.customTimeouts, key).to.equal(undefined);
    }
  });

  it("annotates every object with pulumi.com/skipAwait, in render and in the program alike", async () => {
    const dir = newProject([
      "  wso2-mi:createNamespace: true",
      "  wso2-mi:kubernetes:",
      "    skipAwait: true",
    ]);
    const result = await program(dir);
    const { code, stdout, stderr } = run(render, ["--stack", "dev"], dir);
    expect(code, stderr).to.equal(0);
    const rendered = loadAll(stdout) as { kind: string; metadata: { annotations?: object } }[];
    expect(rendered).to.have.length(8);
    for (const object of rendered) {
      expect(object.metadata.annotations, object.kind).to.deep.include({
        "pulumi.com/skipAwait": "true",
      });
    }
    const registered = result.registrations.filter((r) => r.type.startsWith("kubernetes:"));
    expect(registered).to.have.length(8);
    for (const r of registered) {
      const metadata = r.inputs.metadata as { annotations?: object };
      expect(metadata.annotations, r.name).to.deep.include({ "pulumi.com/skipAwait": "true" });
    }
    const deployment = rendered.find((o) => o.kind === "Deployment") as unknown as {
      spec: { template: { metadata: { annotations?: object } } };
    };
    expect(deployment.spec.template.metadata.annotations).to.equal(undefined);
  });
});

describe("kubernetesChildren", () => {
  /** Stands in for a resource: what `pulumi.Resource.isInstance` looks for. */
  const fake = (name: string): pulumi.Resource =>
    ({ __pulumiResource: true, name }) as unknown as pulumi.Resource;
  const holder = fake("apps");
  const transform = kubernetesChildren(
    { create: "60s", update: "60s" },
    new Map([["apps", holder]]),
  );
  const args = (type: string, opts: pulumi.ResourceOptions): pulumi.ResourceTransformationArgs => ({
    resource: fake("self"),
    type,
    name: "x",
    props: { metadata: { name: "x", namespace: "apps" } },
    opts,
  });

  it("adds the Namespace to a dependsOn that is a resource or a list, keeping what was there", () => {
    const earlier = fake("earlier");
    expect(
      transform(args("kubernetes:core/v1:Service", { dependsOn: earlier }))?.opts.dependsOn,
    ).to.deep.equal([earlier, holder]);
    expect(
      transform(args("kubernetes:core/v1:Service", { dependsOn: [earlier] }))?.opts.dependsOn,
    ).to.deep.equal([earlier, holder]);
  });

  it("keeps timeouts a resource sets itself, and leaves other packages alone", () => {
    expect(
      transform(args("kubernetes:apps/v1:Deployment", { customTimeouts: { create: "5m" } }))?.opts
        .customTimeouts,
    ).to.deep.equal({ create: "5m", update: "60s" });
    expect(transform(args("pulumi-nodejs:dynamic/wso2:ImageDigest", {}))).to.equal(undefined);
  });

  it("refuses a promised dependsOn rather than drop it", () => {
    const promised = Promise.resolve([fake("later")]);
    expect(() => transform(args("kubernetes:core/v1:Service", { dependsOn: promised }))).to.throw(
      "a Kubernetes object's dependsOn is not a list of resources",
    );
  });
});
