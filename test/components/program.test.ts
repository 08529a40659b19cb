import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { main as render } from "../../cli/render/main";
import { loadStackInput } from "../../cli/common/stackInput";
import { buildStackObjects, integrationObjectList, listObjects } from "../../components/builders";
import { usesExplicitProvider } from "../../components/model/settings/kubernetes";
import { formatProblem, sortProblems } from "../../components/model/problems";
import { IMAGE_DIGEST_TYPE } from "../../provider/imageDigest";
import { formatPinned, parseImageReference } from "../../components/model/rules/imageReference";
import {
  installMocks,
  runProgram,
  runRefusedProgram,
  stackConfig,
  type Registration,
  type StateFor,
} from "./harness";

const ROOT = path.resolve(__dirname, "../..");
const PROJECT = "wso2-mi";

const STACK_FILES = fs
  .readdirSync(path.join(ROOT, "stacks"))
  .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
  .sort();

function stackName(file: string): string {
  return file.slice("Pulumi.".length, -".yaml".length);
}

function configOf(stack: string): Record<string, string> {
  return stackConfig(ROOT, PROJECT, stack);
}

/** The digest the mock registry answers for every tag. */
const MOCK_DIGEST = `sha256:${"d".repeat(64)}`;

/** Engine state under mocks: inputs as state, and every ImageDigest resolved to MOCK_DIGEST. */
const mockDigests: StateFor = (type, inputs) =>
  type === IMAGE_DIGEST_TYPE
    ? {
        ...inputs,
        digest: MOCK_DIGEST,
        pinned: formatPinned(parseImageReference(String(inputs.image)), MOCK_DIGEST),
      }
    : inputs;

/**
 * What `pulumi up` applies for `stack` when every registry answers MOCK_DIGEST: render's objects,
 * with the images of refreshing integrations pinned as `render --resolve-images` pins them.
 */
function appliedObjects(stack: string): Record<string, unknown>[] {
  const { resolved } = loadStackInput(ROOT, { stack });
  if (resolved.integrations.every((i) => i.imageRefresh === undefined)) {
    return renderedObjects(stack);
  }
  const digests = new Map(
    resolved.integrations
      .filter((integration) => integration.imageRefresh !== undefined)
      .map((integration) => [
        `${integration.namespace}/${integration.name}`,
        {
          digest: MOCK_DIGEST,
          pinned: formatPinned(parseImageReference(integration.image), MOCK_DIGEST),
        },
      ]),
  );
  const objects = listObjects(buildStackObjects(resolved, digests));
  return plain(objects) as Record<string, unknown>[];
}

/** The objects `npm run render -- --stack <stack>` prints, parsed back. */
function renderedObjects(stack: string): Record<string, unknown>[] {
  let stdout = "";
  let stderr = "";
  const code = render(["--stack", stack], {
    projectDir: ROOT,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  expect(code, stderr).to.equal(0);
  return loadAll(stdout) as Record<string, unknown>[];
}

/** A registration's identity: type token, logical name and parent (`type::name`). */
interface Identity {
  type: string;
  name: string;
  parent?: string;
}

function byKey(a: Identity, b: Identity): number {
  const ka = `${a.type}::${a.name}`;
  const kb = `${b.type}::${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function identities(registrations: Registration[]): Identity[] {
  return registrations
    .map(({ type, name, parent }) =>
      parent === undefined ? { type, name } : { type, name, parent },
    )
    .sort(byKey);
}

const K8S_TYPES: Record<string, string> = {
  Deployment: "kubernetes:apps/v1:Deployment",
  Service: "kubernetes:core/v1:Service",
  HorizontalPodAutoscaler: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  Ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  Namespace: "kubernetes:core/v1:Namespace",
  PodDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
  ConfigMap: "kubernetes:core/v1:ConfigMap",
  ServiceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
  HTTPRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
};

const STACK_COMPONENT = "wso2:integrations:IntegrationStack::integrations";

/**
 * The registrations a stack must produce, from the builders' objects of that stack: the explicit
 * provider when its settings ask for one, the stack component and its Namespaces, each
 * integration's component, ImageDigest and Kubernetes objects, each Ingress and its component.
 */
function expectedIdentities(stack: string): Identity[] {
  const root = `pulumi:pulumi:Stack::${PROJECT}-${stack}`;
  const out: Identity[] = [
    { type: "pulumi:pulumi:Stack", name: `${PROJECT}-${stack}` },
    { type: "wso2:integrations:IntegrationStack", name: "integrations", parent: root },
  ];
  const input = loadStackInput(ROOT, { stack });
  if (usesExplicitProvider(input.resolved.kubernetes)) {
    out.push({ type: "pulumi:providers:kubernetes", name: "kubernetes", parent: root });
  }
  for (const namespace of input.objects.namespaces) {
    const name = namespace.metadata?.name ?? "";
    out.push({ type: K8S_TYPES.Namespace, name, parent: STACK_COMPONENT });
  }
  for (const { integration, objects } of input.objects.integrations) {
    const name = `${integration.namespace}/${integration.name}`;
    const type = "wso2:integrations:Integration";
    out.push({ type, name, parent: STACK_COMPONENT });
    if (integration.imageRefresh !== undefined) {
      out.push({ type: IMAGE_DIGEST_TYPE, name: `${name}-image`, parent: `${type}::${name}` });
    }
    for (const object of integrationObjectList(objects)) {
      out.push({
        type: K8S_TYPES[object.kind],
        name: `${object.metadata?.namespace}/${object.metadata?.name}`,
        parent: `${type}::${name}`,
      });
    }
  }
  for (const ingress of input.objects.ingresses) {
    const name = `${ingress.metadata?.namespace}/${ingress.metadata?.name}`;
    const type = "wso2:integrations:SharedIngress";
    out.push({ type, name, parent: STACK_COMPONENT });
    out.push({ type: K8S_TYPES.Ingress, name, parent: `${type}::${name}` });
  }
  return out.sort(byKey);
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const OPERATOR_CONFIG =
  "components/model/controllerConfig/operator-defaults/integration_controller_conf.yaml";

describe("the stack program under Pulumi's mocks", () => {
  it("finds the example stacks", () => {
    expect(STACK_FILES).to.include("Pulumi.dev.yaml");
  });

  for (const file of STACK_FILES) {
    const stack = stackName(file);

    describe(`stacks/${file}`, () => {
      it("registers exactly the stack, its components and their Kubernetes children", async () => {
        const run = await runProgram(ROOT, PROJECT, stack, configOf(stack));
        expect(identities(run.registrations)).to.deep.equal(expectedIdentities(stack));
      });

      it("registers exactly the objects render prints (digests pinned), input for input", async () => {
        const run = await runProgram(ROOT, PROJECT, stack, configOf(stack), mockDigests);
        const rendered = appliedObjects(stack);
        const kinds = new Set(Object.values(K8S_TYPES));
        const registered = run.registrations.filter((r) => kinds.has(r.type));
        expect(registered).to.have.length(rendered.length);
        const byName = new Map(registered.map((r) => [`${r.type}::${r.name}`, r.inputs]));
        for (const object of rendered) {
          const kind = object.kind as string;
          const metadata = object.metadata as { name: string; namespace?: string };
          const name =
            metadata.namespace === undefined
              ? metadata.name
              : `${metadata.namespace}/${metadata.name}`;
          const key = `${K8S_TYPES[kind]}::${name}`;
          expect(byName.has(key), `${key} is registered`).to.equal(true);
          expect(plain(byName.get(key)), key).to.deep.equal(plain(object));
        }
      });

      it("logs the stack's warnings and notes, and no errors", async () => {
        const run = await runProgram(ROOT, PROJECT, stack, configOf(stack));
        const { advice } = loadStackInput(ROOT, { stack });
        const text = (severity: string): string[] =>
          sortProblems(advice.filter((p) => p.severity === severity)).map((p) =>
            formatProblem(p).slice(`${severity}: `.length),
          );
        expect(run.log.errors).to.deep.equal([]);
        expect(run.log.warnings).to.deep.equal(text("warning"));
        expect(run.log.infos).to.deep.equal(text("note"));
      });
    });
  }

  describe("stacks/Pulumi.dev.yaml in detail", () => {
    const ns = "integrations-dev";

    it("names every resource after its Kubernetes namespace/name", async () => {
      const run = await runProgram(ROOT, PROJECT, "dev", configOf("dev"));
      const integration = "wso2:integrations:Integration";
      const expected: Identity[] = [
        { type: "pulumi:pulumi:Stack", name: "wso2-mi-dev" },
        {
          type: "wso2:integrations:IntegrationStack",
          name: "integrations",
          parent: "pulumi:pulumi:Stack::wso2-mi-dev",
        },
      ];
      const children: [string, string, string][] = [];
      for (const name of [
        "content-based-routing",
        "hello-world",
        "inbound-samples",
        "jms-example",
        "private-hello-world",
        "sample-integration",
      ]) {
        expected.push({ type: integration, name: `${ns}/${name}`, parent: STACK_COMPONENT });
        children.push([name, "kubernetes:apps/v1:Deployment", `${name}-deployment`]);
        children.push([name, "kubernetes:core/v1:Service", `${name}-service`]);
      }
      children.push([
        "sample-integration",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "sample-integration-hpa",
      ]);
      children.push([
        "sample-integration",
        "kubernetes:policy/v1:PodDisruptionBudget",
        "sample-integration-pdb",
      ]);
      for (const [owner, type, name] of children) {
        expected.push({ type, name: `${ns}/${name}`, parent: `${integration}::${ns}/${owner}` });
      }
      expected.push(
        {
          type: "wso2:integrations:SharedIngress",
          name: `${ns}/ei-operator-ingress`,
          parent: STACK_COMPONENT,
        },
        {
          type: "kubernetes:networking.k8s.io/v1:Ingress",
          name: `${ns}/ei-operator-ingress`,
          parent: `wso2:integrations:SharedIngress::${ns}/ei-operator-ingress`,
        },
      );
      expect(expected).to.have.length(24);
      expect(identities(run.registrations)).to.deep.equal(expected.sort(byKey));
    });

    it("logs the controller config's notes without the severity Pulumi adds", async () => {
      const config = {
        ...configOf("dev"),
        "wso2-mi:controllerConfig": OPERATOR_CONFIG,
      };
      const run = await runProgram(ROOT, PROJECT, "dev", config);
      expect(run.log.infos.map((m) => m.replace(/^[^ ]+ \(document \d\): /, ""))).to.satisfy(
        (lines: string[]) =>
          lines.length === 3 &&
          lines[0].startsWith(
            "integration-config.data.reconcileInterval: read only by `npm run reconciler`",
          ) &&
          lines[1].startsWith('integration-ingress-config.data["ingress.properties"]: ') &&
          lines[2].startsWith("integration-ingress-config.data.ingressResourceName: accepted"),
      );
      expect(run.log.infos.every((m) => m.startsWith(OPERATOR_CONFIG))).to.equal(true);
      expect(run.log.warnings).to.deep.equal([]);
    });

    it("logs nothing for the example stack, whose controller config is clean", async () => {
      const run = await runProgram(ROOT, PROJECT, "dev", configOf("dev"));
      expect(run.log.infos).to.deep.equal([]);
      expect(run.log.warnings).to.deep.equal([]);
    });

    it("gives each child its parent's URN", async () => {
      const run = await runProgram(ROOT, PROJECT, "dev", configOf("dev"));
      const urns = new Map(run.registrations.map((r) => [`${r.type}::${r.name}`, r.urn]));
      const deployment = run.registrations.find((r) => r.name === `${ns}/hello-world-deployment`);
      expect(deployment?.parentUrn).to.equal(
        "urn:pulumi:dev::wso2-mi::wso2:integrations:IntegrationStack$wso2:integrations:Integration::integrations-dev/hello-world",
      );
      expect(run.registrations).to.have.length(24);
      for (const r of run.registrations) {
        if (r.parent === undefined) continue;
        expect(r.parentUrn, `${r.type}::${r.name}`).to.equal(urns.get(r.parent));
      }
    });

    it("outputs URLs, commands and NotRunning when the Deployment reports no status", async () => {
      const run = await runProgram(ROOT, PROJECT, "dev", configOf("dev"));
      const host = "http://dev.integrations.example.com";
      const summary = (name: string, inbound: Record<string, string> = {}) => ({
        namespace: ns,
        serviceName: `${name}-service`,
        ingressUrl: `${host}/${name}-service`,
        inboundUrls: inbound,
        portForward: `kubectl port-forward -n ${ns} service/${name}-service 8290:8290`,
        logs: `kubectl logs -n ${ns} -l integration_cr=${name}`,
        readinessAtLastUp: "NotRunning",
      });
      const inbound = (name: string) => ({
        "8000": `${host}/${name}-inbound/8000`,
        "9000": `${host}/${name}-inbound/9000`,
      });
      expect(run.integrations).to.deep.equal({
        [`${ns}/content-based-routing`]: summary("content-based-routing"),
        [`${ns}/hello-world`]: summary("hello-world"),
        [`${ns}/inbound-samples`]: summary("inbound-samples", inbound("inbound-samples")),
        [`${ns}/jms-example`]: summary("jms-example"),
        [`${ns}/private-hello-world`]: summary("private-hello-world"),
        [`${ns}/sample-integration`]: summary("sample-integration", inbound("sample-integration")),
      });
    });

    it("outputs Running when the Deployment reports an available replica", async () => {
      const run = await runProgram(ROOT, PROJECT, "dev", configOf("dev"), (type, inputs) =>
        type === "kubernetes:apps/v1:Deployment"
          ? { ...inputs, status: { availableReplicas: 1 } }
          : inputs,
      );
      const readiness = Object.fromEntries(
        Object.entries(run.integrations).map(([key, value]) => [key, value.readinessAtLastUp]),
      );
      expect(readiness).to.deep.equal({
        [`${ns}/content-based-routing`]: "Running",
        [`${ns}/hello-world`]: "Running",
        [`${ns}/inbound-samples`]: "Running",
        [`${ns}/jms-example`]: "Running",
        [`${ns}/private-hello-world`]: "Running",
        [`${ns}/sample-integration`]: "Running",
      });
    });

    it("outputs NotRunning when the Deployment reports zero available replicas", async () => {
      const run = await runProgram(ROOT, PROJECT, "dev", configOf("dev"), (type, inputs) =>
        type === "kubernetes:apps/v1:Deployment"
          ? { ...inputs, status: { availableReplicas: 0, replicas: 1 } }
          : inputs,
      );
      expect(run.integrations[`${ns}/hello-world`].readinessAtLastUp).to.equal("NotRunning");
    });
  });

  describe("invalid input", () => {
    let dir: string;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-program-"));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: wso2-mi\nruntime: nodejs\n");
      fs.mkdirSync(path.join(dir, "crs"));
      fs.writeFileSync(
        path.join(dir, "crs", "good.yaml"),
        "apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: good\n" +
          "spec:\n  image: docker.io/wso2/good:1.0.0\n",
      );
      fs.writeFileSync(
        path.join(dir, "crs", "bad.yaml"),
        "apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: bad\n" +
          "spec:\n  image: docker.io/wso2/bad:1.0.0\n  deploySpec:\n    minReplica: 2\n",
      );
    });

    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("registers nothing and fails with every problem when a CR is invalid", async () => {
      const inputs = installMocks(PROJECT, "bad", { "wso2-mi:crs": JSON.stringify(["crs"]) });
      const { message, log } = await runRefusedProgram(dir);
      expect(message).to.equal(
        "1 problem in the stack's input, listed above; nothing was deployed",
      );
      expect(log.errors).to.deep.equal([
        'crs/bad.yaml:8: spec.deploySpec.minReplica: unknown field; did you mean "minReplicas"?',
      ]);
      expect([...inputs.keys()]).to.deep.equal([]);
    });

    it("reports a bad setting together with the CRs' problems, and registers nothing", async () => {
      const inputs = installMocks(PROJECT, "bad", {
        "wso2-mi:crs": JSON.stringify(["crs"]),
        "wso2-mi:namespace": "Not_A_Namespace",
        "kubernetes:context": "elsewhere",
      });
      const { message, log } = await runRefusedProgram(dir);
      expect(message).to.equal(
        "2 problems in the stack's input, listed above; nothing was deployed",
      );
      expect(log.errors).to.have.length(2);
      expect(log.errors[0]).to.equal(
        'crs/bad.yaml:8: spec.deploySpec.minReplica: unknown field; did you mean "minReplicas"?',
      );
      expect(log.errors[1]).to.match(
        /^stacks\/Pulumi\.bad\.yaml: wso2-mi:namespace: expected a namespace name: "Not_A_Namespace" is not a valid name/,
      );
      expect([...inputs.keys()]).to.deep.equal([]);
    });

    it("registers nothing, not even the explicit provider, when a patch cannot apply", async () => {
      fs.rmSync(path.join(dir, "crs", "bad.yaml"));
      const inputs = installMocks(PROJECT, "bad", {
        "wso2-mi:crs": JSON.stringify(["crs"]),
        "wso2-mi:kubernetes": JSON.stringify({ context: "elsewhere" }),
        "wso2-mi:patches": JSON.stringify([
          { kind: "Service", mergePatch: { metadata: { name: "renamed" } } },
        ]),
      });
      const { message, log } = await runRefusedProgram(dir);
      expect(message).to.equal(
        "1 problem in the stack's input, listed above; nothing was deployed",
      );
      expect(log.errors).to.have.length(1);
      expect(log.errors[0]).to.match(
        /^stacks\/Pulumi\.bad\.yaml: wso2-mi:patches\[0\]: cannot be applied to Service default\/good-service: changes metadata\.name/,
      );
      expect([...inputs.keys()]).to.deep.equal([]);
    });
  });
});
