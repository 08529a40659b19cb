/**
 * `wso2-mi:integrations`: per-integration overrides of the stack level, in one shape
 * (`"<namespace>/<name>": { <stack-level key>: ... }`), read from a stack file with lines, and
 * resolved between the CR and the stack level.
 */
import { expect } from "chai";
import {
  InputError,
  Problems,
  formatProblem,
  sortProblems,
} from "../../../components/model/problems";
import { loadStackFromSettings } from "../../../components/model/loadStack";
import { OVERRIDE_KEYS } from "../../../components/model/settings/platform";
import { loadStackSettings, parseStackSettings } from "../../../components/model/settings/stack";
import type { ResolvedStack } from "../../../components/model/types";
import { lines, tempProject, yaml } from "./support";

/** The keys an override takes, as messages list them. */
const OVERRIDE_LIST = OVERRIDE_KEYS.join(", ");

const PULUMI_YAML = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";

function crFile(name: string, extra = ""): string {
  return (
    `apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: ${name}\n` +
    `spec:\n  image: registry.example.com/${name}:1.0.0\n${extra}`
  );
}

/** A project with the CRs hello and orders in namespace `apps`, and the stack file `stack`. */
function project(stack: string): string {
  return tempProject({
    "Pulumi.yaml": PULUMI_YAML,
    "stacks/Pulumi.dev.yaml": stack,
    "stacks/dev/hello.yaml": crFile("hello"),
    "stacks/dev/orders.yaml": crFile("orders", "  deploySpec:\n    minReplicas: 4\n"),
  });
}

/** The stack loaded as render loads it, or the problems it throws. */
function load(stack: string): { resolved?: ResolvedStack; problems: string[] } {
  const dir = project(stack);
  const problems = new Problems();
  const settings = loadStackSettings(dir, "dev", problems);
  try {
    const resolved = loadStackFromSettings({ baseDir: dir, settings, problems });
    return { resolved, problems: resolved.advice.map(formatProblem) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { problems: error.problems.map(formatProblem) };
  }
}

describe("stack settings: integrations (per-integration overrides)", () => {
  it("puts an override's defaults above the stack's, below the CR's own fields", () => {
    const { resolved, problems } = load(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:defaults:
          minReplicas: 2
          cpuLimit: "1"
        wso2-mi:integrations:
          apps/hello:
            defaults:
              minReplicas: 3
              cpuLimit: "2"
          apps/orders:
            defaults:
              minReplicas: 5
    `);
    expect(problems).to.deep.equal([]);
    const [hello, orders] = resolved?.integrations ?? [];
    expect(hello.name).to.equal("hello");
    expect(hello.minReplicas).to.equal(3);
    expect(hello.resources.limits).to.deep.equal({ cpu: "2" });
    // The CR's own minReplicas (4) stands above the override; the stack's cpuLimit applies.
    expect(orders.minReplicas).to.equal(4);
    expect(orders.resources.limits).to.deep.equal({ cpu: "1" });
  });

  it("names the override as the source of a value in a later check", () => {
    const { problems } = load(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:integrations:
          apps/hello:
            defaults:
              requestCPU: "3"
              cpuLimit: "2"
    `);
    expect(problems).to.deep.equal([
      'error: stacks/dev/hello.yaml:5: spec.deploySpec.requestCPU: requestCPU "3" (wso2-mi:integrations["apps/hello"].defaults.requestCPU in stacks/Pulumi.dev.yaml) is above cpuLimit "2" (wso2-mi:integrations["apps/hello"].defaults.cpuLimit in stacks/Pulumi.dev.yaml); a request cannot exceed its limit: lower requestCPU or raise cpuLimit',
    ]);
  });

  it("reports an id that names no integration, with a did-you-mean, on its line", () => {
    const { problems } = load(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:integrations:
          apps/helo:
            defaults:
              minReplicas: 3
          other/orders:
            defaults:
              minReplicas: 3
          apps/payments:
            defaults:
              minReplicas: 3
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:4: wso2-mi:integrations["apps/helo"]: no integration "apps/helo" in this stack; did you mean "apps/hello"?',
      'error: stacks/Pulumi.dev.yaml:10: wso2-mi:integrations["apps/payments"]: no integration "apps/payments" in this stack; its integrations are apps/hello, apps/orders',
      'error: stacks/Pulumi.dev.yaml:7: wso2-mi:integrations["other/orders"]: no integration "other/orders" in this stack; did you mean "apps/orders"?',
    ]);
  });

  it("reports ids that are not <namespace>/<name>, stack-wide keys, unknown keys and bad values, each on its line", () => {
    const dir = project(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:integrations:
          hello:
            defaults: {}
          apps/orders:
            namespace: other
            defaultz: {}
            color: blue
            defaults:
              minReplicas: many
              autoIngressCreation: false
          apps/hello: 3
    `);
    const problems = new Problems();
    loadStackSettings(dir, "dev", problems);
    expect(sortProblems(problems.list).map(formatProblem)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:4: wso2-mi:integrations.hello: expected an integration as <namespace>/<name>, e.g. "apps/hello", got "hello"',
      `error: stacks/Pulumi.dev.yaml:7: wso2-mi:integrations["apps/orders"].namespace: is a stack-wide setting and cannot differ per integration; set it as wso2-mi:namespace (the keys an integration takes: ${OVERRIDE_LIST})`,
      'error: stacks/Pulumi.dev.yaml:8: wso2-mi:integrations["apps/orders"].defaultz: unknown key; did you mean "defaults"?',
      `error: stacks/Pulumi.dev.yaml:9: wso2-mi:integrations["apps/orders"].color: unknown key; the keys an integration takes are ${OVERRIDE_LIST}`,
      'error: stacks/Pulumi.dev.yaml:11: wso2-mi:integrations["apps/orders"].defaults.minReplicas: expected an integer such as "3", got "many"',
      'error: stacks/Pulumi.dev.yaml:12: wso2-mi:integrations["apps/orders"].defaults.autoIngressCreation: is stack-wide and cannot differ per integration; set it in the stack\'s defaults',
      'error: stacks/Pulumi.dev.yaml:13: wso2-mi:integrations["apps/hello"]: expected a mapping of settings, got 3',
    ]);
  });

  it("reads the same from the program's config map, without lines", () => {
    const problems = new Problems();
    const settings = parseStackSettings(
      {
        "wso2-mi:integrations": JSON.stringify({ "apps/hello": { defaults: { minReplicas: 3 } } }),
      },
      { project: "wso2-mi", stack: "dev", file: "stacks/Pulumi.dev.yaml" },
      problems,
    );
    expect(lines(problems)).to.deep.equal([]);
    expect(settings.integrations).to.deep.equal({ "apps/hello": { defaults: { minReplicas: 3 } } });
    parseStackSettings(
      { "wso2-mi:integrations": "apps/hello" },
      { project: "wso2-mi", stack: "dev", file: "stacks/Pulumi.dev.yaml" },
      problems,
    );
    expect(lines(problems)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: wso2-mi:integrations: expected a mapping (in the stack file, indented keys under wso2-mi:integrations), got "apps/hello"',
    ]);
  });

  it("suggests itself for a misspelt stack key", () => {
    const problems = new Problems();
    parseStackSettings(
      { "wso2-mi:integration": "{}" },
      { project: "wso2-mi", stack: "dev", file: "stacks/Pulumi.dev.yaml" },
      problems,
    );
    expect(lines(problems)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: wso2-mi:integration: unknown key; did you mean "wso2-mi:integrations"?',
    ]);
  });
});
