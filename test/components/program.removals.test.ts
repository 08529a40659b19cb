/**
 * Removing an inbound port, autoscaling or an integration, through the stack program under
 * Pulumi's mocks: the resources registered after the change are those registered before minus
 * exactly the removed ones (type and name), and only the expected survivors get other inputs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import {
  AUTOSCALE_ROUTES,
  autoscaleProject,
  cleanUp,
  project,
  removalCr,
  removalProject,
  removalStackFiles,
  switchAutoscale,
  writeFile,
} from "../cli/plan/support";
import { runProgram, stackConfig, type ProgramRun } from "./harness";

const PROJECT = "wso2-mi";
const STACK = "test";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const INTEGRATION = "wso2:integrations:Integration";
const SHARED_INGRESS = "wso2:integrations:SharedIngress";

/** What one run registered: inputs (as JSON) by `type::name`. */
type Registered = Map<string, string>;

function program(dir: string): Promise<ProgramRun> {
  return runProgram(dir, PROJECT, STACK, stackConfig(dir, PROJECT, STACK));
}

function registered(run: ProgramRun): Registered {
  return new Map(run.registrations.map((r) => [`${r.type}::${r.name}`, JSON.stringify(r.inputs)]));
}

/** The program's registrations for the project in `dir` before and after `change`. */
async function around(
  dir: string,
  change: () => void,
): Promise<{ before: Registered; after: Registered; runs: ProgramRun[] }> {
  const first = await program(dir);
  change();
  const second = await program(dir);
  return { before: registered(first), after: registered(second), runs: [first, second] };
}

/**
 * After holds exactly before's registrations minus `removed` (each of which before had), and
 * the survivors whose inputs changed are exactly `changed`.
 */
function expectRemoval(
  { before, after }: { before: Registered; after: Registered },
  removed: string[],
  changed: string[],
): void {
  const keys = (m: Registered) => [...m.keys()].sort();
  for (const key of removed) expect(keys(before), key).to.include(key);
  expect(keys(after)).to.deep.equal(keys(before).filter((key) => !removed.includes(key)));
  const differing = keys(after).filter((key) => after.get(key) !== before.get(key));
  expect(differing).to.deep.equal([...changed].sort());
}

/** The paths of the Ingress registered as `ns/ei-operator-ingress` in `run`. */
function ingressPaths(run: ProgramRun, namespace = "ns"): string[] {
  const ingress = run.registrations.find(
    (r) => r.type === INGRESS && r.name === `${namespace}/ei-operator-ingress`,
  );
  const spec = ingress?.inputs.spec as { rules: { http: { paths: { path: string }[] } }[] };
  return spec.rules.flatMap((rule) => rule.http.paths.map((p) => p.path));
}

const key = (type: string, name: string): string => `${type}::${name}`;

describe("the stack program under mocks: removals unregister exactly what they remove", () => {
  after(cleanUp);

  it("an inbound port: nothing unregistered; alpha's Deployment, Service and the Ingress lose it", async () => {
    const dir = removalProject({ autoScale: true });
    const result = await around(dir, () =>
      writeFile(
        dir,
        "crs/alpha.yaml",
        removalCr("alpha", { inboundPorts: [9000], autoScale: true }),
      ),
    );
    expectRemoval(
      result,
      [],
      [
        key(DEPLOYMENT, "ns/alpha-deployment"),
        key(SERVICE, "ns/alpha-service"),
        key(INGRESS, "ns/ei-operator-ingress"),
      ],
    );
    const [first, second] = result.runs;
    expect(ingressPaths(first)).to.deep.equal([
      "/alpha-inbound/8000(/|$)(.*)",
      "/alpha-inbound/9000(/|$)(.*)",
      "/alpha-service(/|$)(.*)",
      "/beta-inbound/7000(/|$)(.*)",
      "/beta-service(/|$)(.*)",
    ]);
    expect(ingressPaths(second)).to.deep.equal(
      ingressPaths(first).filter((p) => p !== "/alpha-inbound/8000(/|$)(.*)"),
    );
    expect(Object.keys(second.integrations["ns/alpha"].inboundUrls)).to.deep.equal(["9000"]);
  });

  for (const route of AUTOSCALE_ROUTES) {
    it(`autoscaling off through ${route.route}: beta's HPA unregistered, its Deployment gets replicas`, async () => {
      const dir = autoscaleProject(route, true);
      const result = await around(dir, () => switchAutoscale(dir, route, false));
      expectRemoval(result, [key(HPA, "ns/beta-hpa")], [key(DEPLOYMENT, "ns/beta-deployment")]);
      const deployment = key(DEPLOYMENT, "ns/beta-deployment");
      const spec = (m: Registered) =>
        (JSON.parse(m.get(deployment) ?? "{}") as { spec: Record<string, unknown> }).spec;
      expect(spec(result.before)).not.to.have.property("replicas");
      expect(spec(result.after)).to.deep.equal({ ...spec(result.before), replicas: 3 });
    });
  }

  it("an integration sharing the Ingress: its component and objects unregistered, the Ingress kept", async () => {
    const dir = removalProject({ autoScale: true });
    const result = await around(dir, () => fs.rmSync(path.join(dir, "crs/alpha.yaml")));
    expectRemoval(
      result,
      [
        key(INTEGRATION, "ns/alpha"),
        key(DEPLOYMENT, "ns/alpha-deployment"),
        key(SERVICE, "ns/alpha-service"),
        key(HPA, "ns/alpha-hpa"),
        key(PDB, "ns/alpha-pdb"),
      ],
      [key(INGRESS, "ns/ei-operator-ingress")],
    );
    expect(ingressPaths(result.runs[1])).to.deep.equal([
      "/beta-inbound/7000(/|$)(.*)",
      "/beta-service(/|$)(.*)",
    ]);
  });

  it("the last integration of a namespace: its Ingress and SharedIngress unregistered too", async () => {
    const gamma = removalCr("gamma", { namespace: "other", inboundPorts: [8000] });
    const dir = removalProject({}, {}, { "crs/gamma.yaml": gamma });
    const result = await around(dir, () => fs.rmSync(path.join(dir, "crs/gamma.yaml")));
    expectRemoval(
      result,
      [
        key(INTEGRATION, "other/gamma"),
        key(DEPLOYMENT, "other/gamma-deployment"),
        key(SERVICE, "other/gamma-service"),
        key(SHARED_INGRESS, "other/ei-operator-ingress"),
        key(INGRESS, "other/ei-operator-ingress"),
      ],
      [],
    );
  });

  it("with createNamespace, the namespace's Namespace too, which was registered retainOnDelete", async () => {
    const dir = project({
      ...removalStackFiles({ createNamespace: true }),
      "crs/alpha.yaml": removalCr("alpha"),
      "crs/gamma.yaml": removalCr("gamma", { namespace: "other" }),
    });
    const result = await around(dir, () => fs.rmSync(path.join(dir, "crs/gamma.yaml")));
    expectRemoval(
      result,
      [
        key(NAMESPACE, "other"),
        key(INTEGRATION, "other/gamma"),
        key(DEPLOYMENT, "other/gamma-deployment"),
        key(SERVICE, "other/gamma-service"),
        key(SHARED_INGRESS, "other/ei-operator-ingress"),
        key(INGRESS, "other/ei-operator-ingress"),
      ],
      [],
    );
    expect(result.runs[0].options.get(key(NAMESPACE, "other"))?.retainOnDelete).to.equal(true);
  });

  it("the last integration of the stack (its file emptied): only the stack and its component stay", async () => {
    const dir = project({
      ...removalStackFiles(),
      "crs/alpha.yaml": removalCr("alpha", { inboundPorts: [8000] }),
    });
    const result = await around(dir, () => writeFile(dir, "crs/alpha.yaml", ""));
    expectRemoval(
      result,
      [
        key(INTEGRATION, "ns/alpha"),
        key(DEPLOYMENT, "ns/alpha-deployment"),
        key(SERVICE, "ns/alpha-service"),
        key(SHARED_INGRESS, "ns/ei-operator-ingress"),
        key(INGRESS, "ns/ei-operator-ingress"),
      ],
      [],
    );
    expect([...result.after.keys()].sort()).to.deep.equal([
      "pulumi:pulumi:Stack::wso2-mi-test",
      "wso2:integrations:IntegrationStack::integrations",
    ]);
  });
});
