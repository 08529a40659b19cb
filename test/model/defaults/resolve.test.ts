import { expect } from "chai";
import { validateIntegration } from "../../../components/model/integration/validate";
import { Problems, type Source } from "../../../components/model/problems";
import { resolveStack } from "../../../components/model/defaults/resolve";
import type {
  AutoScaleSpec,
  ControllerConfig,
  DeploySpec,
  IngressDefaults,
  IntegrationCR,
  IntegrationDefaults,
  ResolvedIntegration,
  ResolvedStack,
  StackSettings,
} from "../../../components/model/types";
import { parseYamlDocuments } from "../../../components/model/input/yaml";
import { lines } from "../settings/support";

const STACK_FILE = "stacks/Pulumi.dev.yaml";
const CONTROLLER_FILE = "stacks/conf.yaml";

interface CrOptions {
  name?: string;
  namespace?: string;
  source?: Source;
  deploySpec?: DeploySpec;
  autoScale?: AutoScaleSpec;
  expose?: IntegrationCR["spec"]["expose"];
}

function cr(options: CrOptions = {}): IntegrationCR {
  const name = options.name ?? "hello";
  return {
    source: options.source ?? { file: `crs/${name}.yaml` },
    apiVersion: "wso2.com/v1alpha2",
    metadata: {
      name,
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    },
    spec: {
      image: "registry.example.com/hello:1.0.0",
      deploySpec: options.deploySpec ?? {},
      autoScale: options.autoScale ?? {},
      expose: options.expose ?? {},
      env: [],
      envFrom: [],
    },
  };
}

function settings(
  defaults: Partial<IntegrationDefaults> = {},
  ingress: Partial<IngressDefaults> = {},
  namespace?: string,
): StackSettings {
  return {
    source: { file: STACK_FILE },
    project: "wso2-mi",
    stack: "dev",
    crs: ["stacks/dev"],
    defaults,
    ingress,
    ...(namespace === undefined ? {} : { namespace }),
  };
}

function controller(
  integration: Partial<IntegrationDefaults> = {},
  ingress: Partial<IngressDefaults> = {},
): ControllerConfig {
  return { source: { file: CONTROLLER_FILE }, integration, ingress };
}

function resolve(
  crs: IntegrationCR[],
  stack: StackSettings = settings(),
  config?: ControllerConfig,
): { stack: ResolvedStack; problems: string[] } {
  const problems = new Problems();
  const resolved = resolveStack(crs, stack, config, problems);
  return { stack: resolved, problems: lines(problems) };
}

function one(
  crOptions: CrOptions,
  stack: StackSettings = settings(),
  config?: ControllerConfig,
): ResolvedIntegration {
  const { stack: resolved, problems } = resolve([cr(crOptions)], stack, config);
  expect(problems).to.deep.equal([]);
  return resolved.integrations[0];
}

const BUILTIN_LIVENESS = { tcpSocket: { port: 8290 }, initialDelaySeconds: 10, periodSeconds: 5 };
const BUILTIN_READINESS = {
  httpGet: { path: "/healthz", port: 9201 },
  initialDelaySeconds: 10,
  periodSeconds: 5,
};
const CPU_70 = {
  type: "Resource",
  resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
};
const cpuMetric = (percent: number) => [
  {
    type: "Resource",
    resource: { name: "cpu", target: { type: "Utilization", averageUtilization: percent } },
  },
];

/**
 * One key set at each of the four levels: the CR (when the CR has the field), the stack's
 * defaults, the controller config, the built-in. Taking the levels away from the top, the highest
 * left must win each time.
 */
interface PrecedenceCase<K extends keyof IntegrationDefaults> {
  key: K;
  cr?: (value: NonNullable<IntegrationDefaults[K]>) => CrOptions;
  values: [NonNullable<IntegrationDefaults[K]>, ...NonNullable<IntegrationDefaults[K]>[]];
  builtin: unknown;
  /** Other stack defaults the key needs to show (autoscaling on for maxReplicas). */
  with?: Partial<IntegrationDefaults>;
  read: (integration: ResolvedIntegration) => unknown;
}

function precedence<K extends keyof IntegrationDefaults>(c: PrecedenceCase<K>): void {
  it(`${c.key}: the CR, then the stack, then the controller config, then the built-in`, () => {
    const [crValue, stackValue, controllerValue] =
      c.cr === undefined ? [undefined, ...c.values] : c.values;
    const crOptions = crValue === undefined || c.cr === undefined ? {} : c.cr(crValue);
    const stackWith = (value: unknown) =>
      settings({ ...c.with, ...(value === undefined ? {} : { [c.key]: value }) });
    const config = controller({ [c.key]: controllerValue });
    if (c.cr !== undefined) {
      expect(c.read(one(crOptions, stackWith(stackValue), config))).to.deep.equal(crValue);
    }
    expect(c.read(one({}, stackWith(stackValue), config))).to.deep.equal(stackValue);
    expect(c.read(one({}, stackWith(undefined), config))).to.deep.equal(controllerValue);
    expect(c.read(one({}, stackWith(undefined)))).to.deep.equal(c.builtin);
  });
}

describe("resolve: defaults precedence, key by key", () => {
  precedence({
    key: "minReplicas",
    cr: (minReplicas) => ({ deploySpec: { minReplicas } }),
    values: [0, 3, 0],
    builtin: 1,
    read: (i) => i.minReplicas,
  });
  precedence({
    key: "maxReplicas",
    cr: (maxReplicas) => ({ autoScale: { maxReplicas } }),
    values: [2, 3, 4],
    with: { enableAutoScale: true },
    builtin: 5,
    read: (i) => i.autoscaling?.maxReplicas,
  });
  precedence({
    key: "enableAutoScale",
    cr: (enabled) => ({ autoScale: { enabled } }),
    values: [true, false, true],
    builtin: false,
    read: (i) => i.autoscaling !== undefined,
  });

  it("false in a CR and 0 in the stack's defaults are values, not absence", () => {
    // (A CR's minReplicas: 0 is "unset", as the operator reads it: validation leaves it out.)
    const stack = settings({ enableAutoScale: true, minReplicas: 0 });
    const resolved = one({ autoScale: { enabled: false } }, stack);
    expect(resolved.autoscaling).to.equal(undefined);
    expect(resolved.minReplicas).to.equal(0);
  });
  precedence({
    key: "requestCPU",
    cr: (requestCPU) => ({ deploySpec: { requestCPU } }),
    values: ["100m", "200m", "300m"],
    builtin: undefined,
    read: (i) => i.resources.requests.cpu,
  });
  precedence({
    key: "reqMemory",
    cr: (reqMemory) => ({ deploySpec: { reqMemory } }),
    values: ["128Mi", "256Mi", "512Mi"],
    builtin: undefined,
    read: (i) => i.resources.requests.memory,
  });
  precedence({
    key: "cpuLimit",
    cr: (cpuLimit) => ({ deploySpec: { cpuLimit } }),
    values: ["1", "2", "3"],
    builtin: undefined,
    read: (i) => i.resources.limits.cpu,
  });
  precedence({
    key: "memoryLimit",
    cr: (memoryLimit) => ({ deploySpec: { memoryLimit } }),
    values: ["1Gi", "2Gi", "3Gi"],
    builtin: undefined,
    read: (i) => i.resources.limits.memory,
  });
  precedence({
    key: "livenessProbe",
    cr: (livenessProbe) => ({ deploySpec: { livenessProbe } }),
    values: [
      { tcpSocket: { port: 1 } },
      { tcpSocket: { port: 2 } },
      { exec: { command: ["true"] } },
    ],
    builtin: BUILTIN_LIVENESS,
    read: (i) => i.livenessProbe,
  });
  precedence({
    key: "readinessProbe",
    cr: (readinessProbe) => ({ deploySpec: { readinessProbe } }),
    values: [
      { httpGet: { path: "/a", port: 1 } },
      { httpGet: { path: "/b", port: 2 } },
      { httpGet: { path: "/c", port: 3 } },
    ],
    builtin: BUILTIN_READINESS,
    read: (i) => i.readinessProbe,
  });
  precedence({
    key: "hpaMetrics",
    values: [cpuMetric(50), cpuMetric(60)],
    with: { enableAutoScale: true },
    builtin: [CPU_70],
    read: (i) => i.autoscaling?.metrics,
  });

  it("autoIngressCreation: the stack (defaults or ingress.enabled), the controller config, the built-in", () => {
    const on = controller({ autoIngressCreation: true });
    const off = controller({ autoIngressCreation: false });
    expect(resolve([], settings({ autoIngressCreation: false }), on).stack.ingress).to.equal(
      undefined,
    );
    expect(resolve([], settings({}, { enabled: false }), on).stack.ingress).to.equal(undefined);
    expect(resolve([], settings({}, { enabled: true }), off).stack.ingress).to.not.equal(undefined);
    expect(resolve([], settings(), off).stack.ingress).to.equal(undefined);
    expect(resolve([], settings()).stack.ingress).to.not.equal(undefined);
  });

  it("namespace: the CR's, then the stack's, then default", () => {
    const stack = settings({}, {}, "from-stack");
    expect(one({ namespace: "from-cr" }, stack).namespace).to.equal("from-cr");
    expect(one({}, stack).namespace).to.equal("from-stack");
    expect(one({}).namespace).to.equal("default");
  });
});

describe("resolve: one integration", () => {
  it("applies the built-in defaults to a bare CR", () => {
    expect(one({})).to.deep.equal({
      source: { file: "crs/hello.yaml" },
      name: "hello",
      namespace: "default",
      image: "registry.example.com/hello:1.0.0",
      pullPolicy: "Always",
      minReplicas: 1,
      resources: { requests: {}, limits: {} },
      livenessProbe: BUILTIN_LIVENESS,
      readinessProbe: BUILTIN_READINESS,
      passthroPort: 8290,
      inboundPorts: [],
      env: [],
      envFrom: [],
      configMaps: [],
      podAnnotations: {},
      podSecurity: { runAsUser: 802, runAsGroup: 802, fsGroup: 802 },
      startupProbe: { tcpSocket: { port: 8290 }, failureThreshold: 30, periodSeconds: 10 },
      topologySpread: true,
    });
  });

  it("keeps the CR's fields, the inbound ports in the CR's order (the operator's)", () => {
    const resolved = one({
      deploySpec: {
        pullPolicy: "IfNotPresent",
        affinity: { nodeAffinity: {} },
        configmapDetails: [{ name: "conf", mountPath: "/home/conf", fileName: "a.xml" }],
      },
      expose: { passthroPort: 8280, inboundPorts: [9000, 8000, 8500] },
    });
    expect(resolved.pullPolicy).to.equal("IfNotPresent");
    expect(resolved.affinity).to.deep.equal({ nodeAffinity: {} });
    expect(resolved.configMaps).to.deep.equal([
      { name: "conf", mountPath: "/home/conf", fileName: "a.xml" },
    ]);
    expect(resolved.passthroPort).to.equal(8280);
    expect(resolved.inboundPorts).to.deep.equal([9000, 8000, 8500]);
  });

  it("turns autoscaling on with the maximum and the metrics", () => {
    const resolved = one({ autoScale: { enabled: true, maxReplicas: 3 } });
    expect(resolved.autoscaling).to.deep.equal({ maxReplicas: 3, metrics: [CPU_70] });
    expect(resolved.minReplicas).to.equal(1);
  });

  it("lets minReplicas be 0 (from the stack or a controller config) when autoscaling is off", () => {
    expect(one({}, settings({ minReplicas: 0 })).minReplicas).to.equal(0);
    expect(one({}, settings(), controller({ minReplicas: 0 })).minReplicas).to.equal(0);
  });
});

describe("resolve: checks after defaults", () => {
  it("reports maxReplicas below minReplicas, saying where each came from", () => {
    const { problems } = resolve(
      [cr({ deploySpec: { minReplicas: 3 }, autoScale: { enabled: true } })],
      settings({ maxReplicas: 2 }),
    );
    expect(problems).to.deep.equal([
      "error: crs/hello.yaml: spec.autoScale.maxReplicas: maxReplicas 2 (the stack's " +
        `defaults.maxReplicas in ${STACK_FILE}) is below minReplicas 3 ` +
        "(spec.deploySpec.minReplicas); raise maxReplicas to at least 3 or lower minReplicas",
    ]);
  });

  it("names the controller config and the built-in as sources", () => {
    const { problems } = resolve(
      [cr({ autoScale: { enabled: true } })],
      settings(),
      controller({ minReplicas: 6 }),
    );
    expect(problems).to.deep.equal([
      "error: crs/hello.yaml: spec.autoScale.maxReplicas: maxReplicas 5 (the built-in " +
        "default) is below minReplicas 6 " +
        `(minReplicas in ${CONTROLLER_FILE}); raise maxReplicas to at least 6 or lower minReplicas`,
    ]);
  });

  it("requires minReplicas of at least 1 with autoscaling on", () => {
    const { problems } = resolve(
      [cr({ autoScale: { enabled: true } })],
      settings(),
      controller({ minReplicas: 0 }),
    );
    expect(problems).to.deep.equal([
      "error: crs/hello.yaml: spec.deploySpec.minReplicas: minReplicas is 0 (minReplicas in " +
        `${CONTROLLER_FILE}); with autoscaling on (spec.autoScale.enabled) it must be at least 1, ` +
        "since an HPA cannot scale to zero",
    ]);
  });

  it('reads a controller config\'s maxReplicas "0" as 0, as the operator does', () => {
    // Unused with autoscaling off; with it on, below minReplicas (the HPA would be refused).
    expect(one({}, settings(), controller({ maxReplicas: 0 })).autoscaling).to.equal(undefined);
    const { problems } = resolve(
      [cr({ autoScale: { enabled: true } })],
      settings(),
      controller({ maxReplicas: 0 }),
    );
    expect(problems).to.deep.equal([
      `error: crs/hello.yaml: spec.autoScale.maxReplicas: maxReplicas 0 (maxReplicas in ` +
        `${CONTROLLER_FILE}) is below minReplicas 1 (the built-in default); raise maxReplicas ` +
        "to at least 1 or lower minReplicas",
    ]);
  });

  it("reports a request above its limit, after defaults", () => {
    const { problems } = resolve(
      [cr({ deploySpec: { requestCPU: "2", memoryLimit: "1Gi" } })],
      settings({ reqMemory: "1025Mi" }),
      controller({ cpuLimit: "1500m", reqMemory: "1Gi" }),
    );
    expect(problems).to.deep.equal([
      'error: crs/hello.yaml: spec.deploySpec.requestCPU: requestCPU "2" ' +
        '(spec.deploySpec.requestCPU) is above cpuLimit "1500m" (cpuLimit in ' +
        `${CONTROLLER_FILE}); a request cannot exceed its limit: lower requestCPU or raise cpuLimit`,
      'error: crs/hello.yaml: spec.deploySpec.reqMemory: reqMemory "1025Mi" (the stack\'s ' +
        `defaults.reqMemory in ${STACK_FILE}) is above memoryLimit "1Gi" ` +
        "(spec.deploySpec.memoryLimit); a request cannot exceed its limit: lower reqMemory or " +
        "raise memoryLimit",
    ]);
  });

  it("accepts a request equal to its limit in other units", () => {
    expect(
      resolve([cr({ deploySpec: { requestCPU: "1", cpuLimit: "1000m" } })]).problems,
    ).to.deep.equal([]);
  });

  it("reports two integrations with one name in one namespace, naming both files", () => {
    const { stack, problems } = resolve([
      cr({ source: { file: "crs/a.yaml", document: 2 } }),
      cr({ source: { file: "crs/b.yaml" }, namespace: "other" }),
      cr({ source: { file: "crs/c.yaml" }, namespace: "default" }),
    ]);
    expect(problems).to.deep.equal([
      'error: crs/c.yaml: metadata.name: integration "hello" in namespace "default" is also ' +
        "defined in crs/a.yaml (document 2); names must be unique in a namespace: rename one, " +
        "or give it another metadata.namespace",
    ]);
    expect(stack.integrations.map((i) => `${i.namespace}/${i.name}`)).to.deep.equal([
      "default/hello",
      "other/hello",
    ]);
  });

  it("sorts integrations by namespace, then name", () => {
    const { stack } = resolve([
      cr({ name: "b", namespace: "y" }),
      cr({ name: "c", namespace: "x" }),
      cr({ name: "a", namespace: "y" }),
    ]);
    expect(stack.integrations.map((i) => `${i.namespace}/${i.name}`)).to.deep.equal([
      "x/c",
      "y/a",
      "y/b",
    ]);
  });

  it("collects warnings and notes as advice", () => {
    const problems = new Problems();
    problems.note({ file: CONTROLLER_FILE }, "x", "a note");
    problems.warning({ file: "crs/a.yaml" }, "y", "a warning");
    const resolved = resolveStack([cr()], settings(), undefined, problems);
    expect(lines(problems)).to.deep.equal([
      `note: ${CONTROLLER_FILE}: x: a note`,
      "warning: crs/a.yaml: y: a warning",
    ]);
    expect(resolved.advice).to.deep.equal(problems.list);
  });

  it("reconcileInterval: the stack, then the controller config, then the built-in, with where", () => {
    const config = controller({ reconcileInterval: 30 });
    expect(
      resolve([], settings({ reconcileInterval: 120 }), config).stack.reconcileInterval,
    ).to.deep.equal({
      seconds: 120,
      from: `the stack's defaults.reconcileInterval in ${STACK_FILE}`,
    });
    expect(resolve([], settings(), config).stack.reconcileInterval).to.deep.equal({
      seconds: 30,
      from: `reconcileInterval in ${CONTROLLER_FILE}`,
    });
    expect(resolve([]).stack.reconcileInterval).to.deep.equal({
      seconds: 10,
      from: "the built-in default",
    });
  });
});

describe("resolve: the shared ingress", () => {
  it("is the operator's by default, named as the operator named it", () => {
    expect(resolve([]).stack.ingress).to.deep.equal({
      name: "ei-operator-ingress",
      host: "wso2ei.ingress.wso2.com",
      className: "nginx",
      annotations: {
        "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
        "nginx.ingress.kubernetes.io/ssl-redirect": "false",
      },
      scheme: "http",
    });
  });

  it("takes each field from the stack, then the controller config, then the built-in", () => {
    const config = controller(
      {},
      {
        name: "from-config",
        host: "config.example.com",
        tlsSecretName: "config-tls",
        className: "config-class",
        annotations: { "a.example.com/config": "1" },
      },
    );
    expect(resolve([], settings(), config).stack.ingress).to.deep.equal({
      // Only the stack names it: the operator never applied a config's name to integrations.
      name: "ei-operator-ingress",
      host: "config.example.com",
      tlsSecretName: "config-tls",
      className: "config-class",
      annotations: { "a.example.com/config": "1" },
      scheme: "https",
    });
    const stack = settings(
      {},
      {
        name: "from-stack",
        host: "stack.example.com",
        tlsSecretName: "stack-tls",
        className: "stack-class",
        annotations: { "a.example.com/stack": "2", "a.example.com/config": "3" },
      },
    );
    expect(resolve([], stack, config).stack.ingress).to.deep.equal({
      name: "from-stack",
      host: "stack.example.com",
      tlsSecretName: "stack-tls",
      className: "stack-class",
      annotations: { "a.example.com/config": "3", "a.example.com/stack": "2" },
      scheme: "https",
    });
  });

  it("takes no class from a controller config whose properties name none", () => {
    const config = controller({}, { annotations: { "a.example.com/x": "1" } });
    expect(resolve([], settings(), config).stack.ingress).to.deep.equal({
      name: "ei-operator-ingress",
      host: "wso2ei.ingress.wso2.com",
      annotations: { "a.example.com/x": "1" },
      scheme: "http",
    });
  });

  it("lets a stack turn off TLS and the class with empty names", () => {
    const config = controller({}, { tlsSecretName: "config-tls", className: "nginx" });
    const ingress = resolve([], settings({}, { tlsSecretName: "", className: "" }), config).stack
      .ingress;
    expect(ingress?.scheme).to.equal("http");
    expect(ingress).to.not.have.property("tlsSecretName");
    expect(ingress).to.not.have.property("className");
  });
});

describe("resolve: the lines of problems found after defaults", () => {
  /** The CRs of `text`, read as `crs/hello.yaml` with their fields' lines. */
  function crsOf(text: string): IntegrationCR[] {
    const problems = new Problems();
    const crs = parseYamlDocuments(text, "crs/hello.yaml", problems).map(({ source, value }) =>
      validateIntegration(value, source, problems),
    );
    expect(lines(problems)).to.deep.equal([]);
    return crs.filter((c): c is IntegrationCR => c !== undefined);
  }

  const header = (name: string): string =>
    `apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: ${name}\n` +
    `spec:\n  image: registry.example.com/${name}:1.0.0\n`;

  it("names the CR field's own line when the CR sets it", () => {
    const text =
      header("hello") +
      "  deploySpec:\n    minReplicas: 3\n    requestCPU: 2\n" +
      "  autoScale:\n    enabled: true\n    maxReplicas: 2\n";
    const { problems } = resolve(crsOf(text), settings(), controller({ cpuLimit: "1" }));
    expect(problems).to.deep.equal([
      'error: crs/hello.yaml:9: spec.deploySpec.requestCPU: requestCPU "2" ' +
        '(spec.deploySpec.requestCPU) is above cpuLimit "1" (cpuLimit in ' +
        `${CONTROLLER_FILE}); a request cannot exceed its limit: lower requestCPU or raise cpuLimit`,
      "error: crs/hello.yaml:12: spec.autoScale.maxReplicas: maxReplicas 2 " +
        "(spec.autoScale.maxReplicas) is below minReplicas 3 (spec.deploySpec.minReplicas); " +
        "raise maxReplicas to at least 3 or lower minReplicas",
    ]);
  });

  it("names the nearest field the CR has when the value came from the defaults", () => {
    const text =
      header("hello") + "  autoScale:\n    enabled: true\n  deploySpec:\n    memoryLimit: 1Gi\n";
    const { problems } = resolve(
      crsOf(text),
      settings({ maxReplicas: 2, reqMemory: "2Gi" }),
      controller({ minReplicas: 3 }),
    );
    expect(problems).to.deep.equal([
      'error: crs/hello.yaml:9: spec.deploySpec.reqMemory: reqMemory "2Gi" (the stack\'s ' +
        `defaults.reqMemory in ${STACK_FILE}) is above memoryLimit "1Gi" ` +
        "(spec.deploySpec.memoryLimit); a request cannot exceed its limit: lower reqMemory or " +
        "raise memoryLimit",
      "error: crs/hello.yaml:7: spec.autoScale.maxReplicas: maxReplicas 2 (the stack's " +
        `defaults.maxReplicas in ${STACK_FILE}) is below minReplicas 3 (minReplicas in ` +
        `${CONTROLLER_FILE}); raise maxReplicas to at least 3 or lower minReplicas`,
    ]);
  });

  it("names the second integration's metadata.name line in a file of two", () => {
    const text = `${header("hello")}---\n${header("hello")}`;
    const { problems } = resolve(crsOf(text));
    expect(problems).to.deep.equal([
      'error: crs/hello.yaml:11 (document 2): metadata.name: integration "hello" in namespace ' +
        '"default" is also defined in crs/hello.yaml (document 1); names must be unique in a ' +
        "namespace: rename one, or give it another metadata.namespace",
    ]);
  });
});
