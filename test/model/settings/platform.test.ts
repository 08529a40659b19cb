/**
 * The platform keys of a stack (`podSecurity`, `securityContext`, ...): what each parses and
 * resolves to at the stack level and per integration, and each mistake with its file, line,
 * field and what would be right.
 */
import { expect } from "chai";
import {
  InputError,
  Problems,
  formatProblem,
  sortProblems,
} from "../../../components/model/problems";
import { loadStack } from "../../../components/model/loadStack";
import { loadStackSettings } from "../../../components/model/settings/stack";
import type { ResolvedIntegration } from "../../../components/model/types";
import { tempProject, yaml } from "./support";

const PULUMI_YAML = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";

function crFile(name: string, extra = ""): string {
  return (
    `apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: ${name}\n` +
    `spec:\n  image: registry.example.com/${name}:1.0.0\n${extra}`
  );
}

/** The integrations hello and orders (namespace apps) under the stack file `stack`, or its problems. */
export function loadPlatform(
  stack: string,
  files: Record<string, string> = {},
): { integrations: Record<string, ResolvedIntegration>; problems: string[] } {
  const dir = tempProject({
    "Pulumi.yaml": PULUMI_YAML,
    "stacks/Pulumi.dev.yaml": stack,
    "stacks/dev/hello.yaml": crFile("hello"),
    "stacks/dev/orders.yaml": crFile("orders"),
    ...files,
  });
  const problems = new Problems();
  const settings = loadStackSettings(dir, "dev", problems);
  try {
    const resolved = loadStack({ baseDir: dir, settings, problems });
    return {
      integrations: Object.fromEntries(resolved.integrations.map((i) => [i.name, i])),
      problems: sortProblems(resolved.advice).map(formatProblem),
    };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { integrations: {}, problems: sortProblems(error.problems).map(formatProblem) };
  }
}

describe("platform settings: podSecurity and securityContext", () => {
  it("hardens every pod by default, as wso2carbon (802)", () => {
    const { integrations, problems } = loadPlatform("config:\n  wso2-mi:namespace: apps\n");
    expect(problems).to.deep.equal([]);
    expect(integrations.hello.podSecurity).to.deep.equal({
      runAsUser: 802,
      runAsGroup: 802,
      fsGroup: 802,
    });
  });

  it("takes the user and groups from the stack, field by field from an integration's override", () => {
    const { integrations, problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:securityContext:
          runAsUser: 10001
          fsGroup: 2000
        wso2-mi:integrations:
          apps/orders:
            securityContext:
              runAsGroup: 3000
    `);
    expect(problems).to.deep.equal([]);
    expect(integrations.hello.podSecurity).to.deep.equal({
      runAsUser: 10001,
      runAsGroup: 802,
      fsGroup: 2000,
    });
    expect(integrations.orders.podSecurity).to.deep.equal({
      runAsUser: 10001,
      runAsGroup: 3000,
      fsGroup: 2000,
    });
  });

  it("turns hardening off with none, for the stack or one integration", () => {
    const stackWide = loadPlatform(
      "config:\n  wso2-mi:namespace: apps\n  wso2-mi:podSecurity: none\n",
    );
    expect(stackWide.problems).to.deep.equal([]);
    expect(stackWide.integrations.hello.podSecurity).to.equal(undefined);
    const one = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:integrations:
          apps/orders:
            podSecurity: none
    `);
    expect(one.integrations.hello.podSecurity).to.not.equal(undefined);
    expect(one.integrations.orders.podSecurity).to.equal(undefined);
  });

  it("warns once that a securityContext does nothing under none", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:podSecurity: none
        wso2-mi:securityContext:
          runAsUser: 10001
    `);
    expect(problems).to.deep.equal([
      "warning: stacks/Pulumi.dev.yaml:4: wso2-mi:securityContext: has no effect while podSecurity is none (wso2-mi:podSecurity); remove it, or set podSecurity to restricted",
    ]);
  });

  it("reports a wrong level with a did-you-mean, root, unknown fields and wrong types, each on its line", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:podSecurity: restricted2
        wso2-mi:securityContext:
          runAsUser: 0
          runAsGroup: "802"
          fsGrop: 802
        wso2-mi:integrations:
          apps/hello:
            podSecurity: baseline
            securityContext: 802
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:3: wso2-mi:podSecurity: expected "restricted" or "none", got "restricted2"; did you mean "restricted"?',
      "error: stacks/Pulumi.dev.yaml:5: wso2-mi:securityContext.runAsUser: must be at least 1, got 0",
      'error: stacks/Pulumi.dev.yaml:6: wso2-mi:securityContext.runAsGroup: expected an integer, got the string "802"; write 802 without quotes',
      'error: stacks/Pulumi.dev.yaml:7: wso2-mi:securityContext.fsGrop: unknown field; did you mean "fsGroup"?',
      'error: stacks/Pulumi.dev.yaml:10: wso2-mi:integrations["apps/hello"].podSecurity: expected "restricted" or "none", got "baseline"',
      'error: stacks/Pulumi.dev.yaml:11: wso2-mi:integrations["apps/hello"].securityContext: expected a mapping, got 802',
    ]);
  });

  it("expects a mapping for securityContext in the program's config too", () => {
    const { problems } = loadPlatform(
      "config:\n  wso2-mi:namespace: apps\n  wso2-mi:securityContext: 802\n",
    );
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:3: wso2-mi:securityContext: expected a mapping (in the stack file, indented under wso2-mi:securityContext), got "802"',
    ]);
  });
});
