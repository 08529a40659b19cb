import { expect } from "chai";
import * as path from "path";
import { InputError, Problems, formatProblem } from "../../components/model/problems";
import { loadStackByName, loadStackFromSettings } from "../../components/model/loadStack";
import { loadStackSettings } from "../../components/model/settings/stack";
import { tempProject, yaml } from "./settings/support";

const PULUMI_YAML = "name: proj\nruntime: nodejs\nstackConfigDir: stacks\n";

const CONTROLLER_CONFIG = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: integration-config
  data:
    requestCPU: "250m"
    cpuLimit: "1"
    enableAutoScale: "true"
    maxReplicas: "4"
  ---
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: integration-ingress-config
  data:
    ingress.properties: |
      nginx.ingress.kubernetes.io/rewrite-target: /$2
    ingressHostName: "mi.example.com"
    tlsSecretName: "mi-tls"
`;

function crFile(name: string, extra = ""): string {
  return (
    `apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: ${name}\n` +
    `spec:\n  image: registry.example.com/${name}:1.0.0\n${extra}`
  );
}

function project(overrides: Record<string, string> = {}): string {
  return tempProject({
    "Pulumi.yaml": PULUMI_YAML,
    "stacks/Pulumi.dev.yaml": yaml`
      config:
        proj:namespace: dev
        proj:controllerConfig: stacks/conf.yaml
        proj:defaults:
          cpuLimit: "2"
    `,
    "stacks/conf.yaml": CONTROLLER_CONFIG,
    "stacks/dev/hello.yaml": crFile("hello", "  expose:\n    inboundPorts: [9000, 8000]\n"),
    "stacks/dev/other.yaml": crFile("other", "  deploySpec:\n    minReplicas: 2\n"),
    ...overrides,
  });
}

/** The problems an InputError carries, as printed, or a failure when nothing is thrown. */
function thrown(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  expect.fail("expected an InputError");
}

describe("loading a whole stack", () => {
  it("reads the settings, the controller config and the CRs, and applies defaults", () => {
    const dir = project();
    const stack = loadStackByName(dir, "dev");
    const common = {
      namespace: "dev",
      pullPolicy: "Always",
      resources: { requests: { cpu: "250m" }, limits: { cpu: "2" } },
      autoscaling: {
        maxReplicas: 4,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
      livenessProbe: { tcpSocket: { port: 8290 }, initialDelaySeconds: 10, periodSeconds: 5 },
      readinessProbe: {
        httpGet: { path: "/healthz", port: 9201 },
        initialDelaySeconds: 10,
        periodSeconds: 5,
      },
      passthroPort: 8290,
      env: [],
      envFrom: [],
      configMaps: [],
      podAnnotations: {},
      podSecurity: { runAsUser: 802, runAsGroup: 802, fsGroup: 802 },
      startupProbe: { tcpSocket: { port: 8290 }, failureThreshold: 30, periodSeconds: 10 },
      topologySpread: true,
      disruptionBudget: true,
    };
    expect(stack).to.deep.equal({
      integrations: [
        {
          ...common,
          source: { file: path.join("stacks/dev", "hello.yaml"), line: 1 },
          name: "hello",
          image: "registry.example.com/hello:1.0.0",
          minReplicas: 1,
          inboundPorts: [9000, 8000],
        },
        {
          ...common,
          source: { file: path.join("stacks/dev", "other.yaml"), line: 1 },
          name: "other",
          image: "registry.example.com/other:1.0.0",
          minReplicas: 2,
          inboundPorts: [],
        },
      ],
      ingress: {
        name: "ei-operator-ingress",
        host: "mi.example.com",
        tlsSecretName: "mi-tls",
        annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/$2" },
        scheme: "https",
      },
      reconcileInterval: { seconds: 10, from: "the built-in default" },
      advice: [],
    });
  });

  it("reports a missing controller config file at the stack key that names it", () => {
    const dir = project({
      "stacks/Pulumi.dev.yaml": "config:\n  proj:controllerConfig: stacks/missing.yaml\n",
    });
    const problems = new Problems();
    const settings = loadStackSettings(dir, "dev", problems);
    expect(thrown(() => loadStackFromSettings({ baseDir: dir, settings, problems }))).to.deep.equal(
      [
        "error: stacks/Pulumi.dev.yaml:2: proj:controllerConfig: no such file: " +
          '"stacks/missing.yaml" (paths are relative to the project directory)',
      ],
    );
    const folder = project({
      "stacks/Pulumi.dev.yaml": "config:\n  proj:controllerConfig: stacks\n",
    });
    expect(thrown(() => loadStackByName(folder, "dev"))).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:2: proj:controllerConfig: "stacks" is not a file; name the ' +
        "controller config file",
    ]);
  });

  it("throws every problem at once: stack, controller config, CRs and defaults", () => {
    const dir = project({
      "stacks/Pulumi.dev.yaml": yaml`
        config:
          proj:controllerConfig: stacks/conf.yaml
          proj:namespce: dev
      `,
      "stacks/conf.yaml": yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: integration-config
        data:
          reconcileInterval: "10"
          enableAutoScale: "yes"
      `,
      "stacks/dev/other.yaml": crFile(
        "hello",
        "  deploySpec:\n    requestCPU: 3\n    cpuLimit: 2\n",
      ),
      "stacks/dev/third.yaml": crFile("third", "  deploySpec:\n    minReplica: 1\n"),
    });
    const problems = thrown(() => loadStackByName(dir, "dev"));
    expect(problems.map((p) => p.split(": ").slice(0, 3).join(": "))).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml:3: proj:namespce",
      "note: stacks/conf.yaml:6: integration-config.data.reconcileInterval",
      "error: stacks/conf.yaml:7: integration-config.data.enableAutoScale",
      `error: ${path.join("stacks/dev", "third.yaml")}:8: spec.deploySpec.minReplica`,
      `error: ${path.join("stacks/dev", "other.yaml")}:8: spec.deploySpec.requestCPU`,
      `error: ${path.join("stacks/dev", "other.yaml")}:4: metadata.name`,
    ]);
    expect(problems[0]).to.equal(
      'error: stacks/Pulumi.dev.yaml:3: proj:namespce: unknown key; did you mean "proj:namespace"?',
    );
    expect(problems[4]).to.equal(
      `error: ${path.join("stacks/dev", "other.yaml")}:8: spec.deploySpec.requestCPU: ` +
        'requestCPU "3" (spec.deploySpec.requestCPU) is above cpuLimit "2" ' +
        "(spec.deploySpec.cpuLimit); a request cannot exceed its limit: lower requestCPU or " +
        "raise cpuLimit",
    );
    expect(problems[5]).to.equal(
      `error: ${path.join("stacks/dev", "other.yaml")}:4: metadata.name: integration "hello" in ` +
        `namespace "default" is also defined in ${path.join("stacks/dev", "hello.yaml")}; names ` +
        "must be unique in a namespace: rename one, or give it another metadata.namespace",
    );
  });

  it("returns warnings and notes as advice when nothing is an error", () => {
    const dir = project({
      "stacks/conf.yaml": CONTROLLER_CONFIG.replace(
        "\ndata:\n",
        '\ndata:\n  reconcileInterval: "10"\n',
      ),
    });
    expect(loadStackByName(dir, "dev").advice.map(formatProblem)).to.deep.equal([
      "note: stacks/conf.yaml:6 (document 1): integration-config.data.reconcileInterval: " +
        "read only by `npm run reconciler`: the resync frequency (at least 60 s) of the Pulumi " +
        "Kubernetes Operator Stack that re-applies this stack from git; render and `pulumi up` run " +
        "no loop",
    ]);
  });

  it("loads the project's own example stack", () => {
    const stack = loadStackByName(path.join(__dirname, "../.."), "dev");
    expect(stack.integrations.length).to.be.greaterThan(0);
    expect(stack.integrations.every((i) => i.namespace === "integrations-dev")).to.equal(true);
    expect(stack.ingress?.host).to.equal("dev.integrations.example.com");
  });
});
