/**
 * The `Integration` component as the first `pulumi up`s of a migration meet it: Services kept
 * out of clusterIP diffs, the replicas handover when autoscaling is switched, the Ingress await
 * skipped alone, and readiness named for when it was read.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { main as render } from "../../cli/render/main";
import { REPLICAS_HANDOVER_MANAGER, SERVICE_IGNORED_FIELDS } from "../../components/integration";
import { run, tempProject } from "../cli/run";
import {
  installMocks,
  runProgram,
  runRefusedProgram,
  stackConfig,
  valueOf,
  type ProgramRun,
} from "./harness";

const PROJECT = "wso2-mi";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const PATCH = "kubernetes:apps/v1:DeploymentPatch";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const SERVICE = "kubernetes:core/v1:Service";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

/** `apps/hello` (autoscaling as given, 2 to 4 replicas) and `apps/other`, with stack `lines`. */
function project(autoscale: boolean, lines: string[]): string {
  return tempProject({
    "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
    "stacks/Pulumi.dev.yaml": ["config:", "  wso2-mi:namespace: apps", ...lines, ""].join("\n"),
    "stacks/dev/hello.yaml":
      "apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: hello\n" +
      "spec:\n  image: docker.io/wso2/hello:1.0.0\n  deploySpec:\n    minReplicas: 2\n" +
      `  autoScale:\n    enabled: "${autoscale}"\n    maxReplicas: 4\n`,
    "stacks/dev/other.yaml":
      "apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: other\n" +
      "spec:\n  image: docker.io/wso2/other:1.0.0\n",
  });
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The program under mocks on a {@link project}. */
async function program(autoscale: boolean, lines: string[] = []): Promise<ProgramRun> {
  const dir = project(autoscale, lines);
  dirs.push(dir);
  return runProgram(dir, PROJECT, "dev", stackConfig(dir, PROJECT, "dev"));
}

function registered(result: ProgramRun, type: string): string[] {
  return result.registrations.filter((r) => r.type === type).map((r) => r.name);
}

function inputsOf(result: ProgramRun, type: string, name: string): Record<string, unknown> {
  const found = result.registrations.find((r) => r.type === type && r.name === name);
  if (found === undefined) throw new Error(`${type}::${name} was not registered`);
  return found.inputs;
}

/** The logical names a resource's `dependsOn` holds. */
async function dependsOn(result: ProgramRun, type: string, name: string): Promise<string[]> {
  const list = (result.options.get(`${type}::${name}`)?.dependsOn ?? []) as pulumi.Resource[];
  const byUrn = new Map(result.registrations.map((r) => [r.urn, `${r.type}::${r.name}`]));
  return Promise.all(list.map(async (r) => byUrn.get(await valueOf(r.urn)) ?? "unknown"));
}

describe("Integration: Services after `pulumi import`", () => {
  it("leaves the API server's clusterIP and clusterIPs out of every Service's diff", async () => {
    const result = await program(false);
    const services = registered(result, SERVICE);
    expect(services).to.deep.equal(["apps/hello-service", "apps/other-service"]);
    for (const name of services) {
      expect(result.options.get(`${SERVICE}::${name}`)?.ignoreChanges).to.deep.equal([
        "spec.clusterIP",
        "spec.clusterIPs",
      ]);
    }
    expect(SERVICE_IGNORED_FIELDS).to.deep.equal(["spec.clusterIP", "spec.clusterIPs"]);
    const others = result.registrations.filter((r) => r.type !== SERVICE);
    expect(others).to.have.length(9);
    for (const r of others) {
      expect(result.options.get(`${r.type}::${r.name}`)?.ignoreChanges, r.name).to.equal(undefined);
    }
  });
});

describe("Integration: switching autoscaling hands spec.replicas over", () => {
  const handover = ["  wso2-mi:kubernetes:", "    replicasHandover: [apps/hello]"];
  const patch = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "hello-deployment",
      namespace: "apps",
      annotations: {
        "pulumi.com/patchFieldManager": REPLICAS_HANDOVER_MANAGER,
        "pulumi.com/patchForce": "true",
      },
    },
    spec: { replicas: 2 },
  };

  it("registers no patch outside a handover", async () => {
    const on = await program(true);
    const off = await program(false);
    expect(registered(on, DEPLOYMENT)).to.have.length(2);
    expect(registered(on, PATCH)).to.deep.equal([]);
    expect(registered(off, PATCH)).to.deep.equal([]);
  });

  it("off to on, step 1: the patch holds replicas while the Deployment stops applying them and the HPA starts", async () => {
    const result = await program(true, handover);
    expect(registered(result, PATCH)).to.deep.equal(["apps/hello-deployment-replicas"]);
    expect(inputsOf(result, PATCH, "apps/hello-deployment-replicas")).to.deep.equal(patch);
    const spec = inputsOf(result, DEPLOYMENT, "apps/hello-deployment").spec as object;
    expect(spec).not.to.have.property("replicas");
    expect(registered(result, HPA)).to.deep.equal(["apps/hello-hpa"]);
    expect(await dependsOn(result, DEPLOYMENT, "apps/hello-deployment")).to.deep.equal([
      `${PATCH}::apps/hello-deployment-replicas`,
    ]);
    expect(await dependsOn(result, DEPLOYMENT, "apps/other-deployment")).to.deep.equal([]);
  });

  it("on to off, step 1: the patch takes replicas from the HPA controller, the Deployment applies the same value", async () => {
    const result = await program(false, handover);
    expect(inputsOf(result, PATCH, "apps/hello-deployment-replicas")).to.deep.equal(patch);
    const spec = inputsOf(result, DEPLOYMENT, "apps/hello-deployment").spec as {
      replicas?: number;
    };
    expect(spec.replicas).to.equal(2);
    expect(registered(result, HPA)).to.deep.equal([]);
  });

  it("step 2, the handover removed: the patch goes, the rest stays as in step 1", async () => {
    const step1 = await program(true, handover);
    const step2 = await program(true);
    expect(registered(step2, PATCH)).to.deep.equal([]);
    const withoutPatch = step1.registrations.filter((r) => r.type !== PATCH);
    expect(step2.registrations.map((r) => [r.type, r.name, r.inputs])).to.deep.equal(
      withoutPatch.map((r) => [r.type, r.name, r.inputs]),
    );
  });

  it("refuses an integration the stack does not have, with a did-you-mean", async () => {
    const dir = project(true, ["  wso2-mi:kubernetes:", "    replicasHandover: [apps/helo]"]);
    dirs.push(dir);
    installMocks(PROJECT, "dev", stackConfig(dir, PROJECT, "dev"));
    const { log } = await runRefusedProgram(dir);
    expect(log.errors).to.deep.equal([
      'stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.replicasHandover: no integration "apps/helo" in this stack; did you mean "apps/hello"?',
    ]);
  });
});

describe("Integration: waiting for the Ingress alone can be skipped", () => {
  it("annotates only the Ingress with pulumi.com/skipAwait, in the program and in render alike", async () => {
    const lines = ["  wso2-mi:kubernetes:", "    skipIngressAwait: true"];
    const result = await program(false, lines);
    const annotated = result.registrations
      .filter((r) => {
        const metadata = r.inputs.metadata as { annotations?: Record<string, string> } | undefined;
        return metadata?.annotations?.["pulumi.com/skipAwait"] === "true";
      })
      .map((r) => `${r.type}::${r.name}`);
    expect(annotated).to.deep.equal([`${INGRESS}::apps/ei-operator-ingress`]);

    const dir = project(false, lines);
    dirs.push(dir);
    const rendered = run(render, ["--stack", "dev"], dir);
    expect(rendered.stderr).to.equal("");
    expect(rendered.code).to.equal(0);
    const objects = loadAll(rendered.stdout) as {
      kind: string;
      metadata: { annotations?: Record<string, string> };
    }[];
    expect(objects).to.have.length(6);
    expect(
      objects.filter((o) => o.metadata.annotations?.["pulumi.com/skipAwait"] === "true"),
    ).to.have.length(1);
    expect(objects.find((o) => o.kind === "Ingress")?.metadata.annotations).to.deep.equal({
      "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
      "nginx.ingress.kubernetes.io/ssl-redirect": "false",
      "pulumi.com/skipAwait": "true",
    });
  });
});

describe("Integration: readiness is what the last `pulumi up` saw", () => {
  it("is NotAwaited when Pulumi does not wait for the Deployments", async () => {
    const result = await program(false, ["  wso2-mi:kubernetes:", "    skipAwait: true"]);
    expect(Object.values(result.integrations).map((i) => i.readinessAtLastUp)).to.deep.equal([
      "NotAwaited",
      "NotAwaited",
    ]);
  });
});
