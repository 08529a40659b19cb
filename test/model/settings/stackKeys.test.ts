/**
 * The stack keys this issue adds, `createNamespace` and `kubernetes`: what they parse to, and the
 * errors for unknown keys, wrong types and impossible combinations, each naming the stack file,
 * the key and (read from the file) its line.
 */
import * as fs from "node:fs";
import { expect } from "chai";
import { Problems } from "../../../components/model/problems";
import { loadStackSettings, parseStackSettings } from "../../../components/model/settings/stack";
import type { StackSettings } from "../../../components/model/types";
import { lines, tempProject, yaml } from "./support";

const FILE = "stacks/Pulumi.dev.yaml";
const OPTS = { project: "wso2-mi", stack: "dev", file: FILE };

function parse(config: Record<string, string>): { settings: StackSettings; problems: string[] } {
  const problems = new Problems();
  const settings = parseStackSettings(config, OPTS, problems);
  return { settings, problems: lines(problems) };
}

function kubernetes(value: Record<string, unknown>): Record<string, string> {
  return { "wso2-mi:kubernetes": JSON.stringify(value) };
}

/** The settings and problems of a project whose `stacks/Pulumi.dev.yaml` is `text`. */
function fromStackFile(
  text: string,
  project = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
) {
  const dir = tempProject({ "Pulumi.yaml": project, "stacks/Pulumi.dev.yaml": text });
  try {
    const problems = new Problems();
    const settings = loadStackSettings(dir, "dev", problems);
    return { settings, problems: lines(problems) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("stack settings: createNamespace", () => {
  it("is absent by default and read as a boolean", () => {
    expect(parse({}).settings.createNamespace).to.equal(undefined);
    expect(parse({ "wso2-mi:createNamespace": "true" }).settings.createNamespace).to.equal(true);
    expect(parse({ "wso2-mi:createNamespace": "false" }).settings.createNamespace).to.equal(false);
  });

  it("names the key and the accepted spellings for anything else", () => {
    expect(parse({ "wso2-mi:createNamespace": "yes" }).problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: wso2-mi:createNamespace: expected a boolean, got "yes"; ' +
        "write true or false (also accepted: 1 t T TRUE true True 0 f F FALSE false False)",
    ]);
  });

  it("suggests itself for a misspelling", () => {
    expect(parse({ "wso2-mi:createNamespaces": "true" }).problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: wso2-mi:createNamespaces: unknown key; did you mean "wso2-mi:createNamespace"?',
    ]);
  });
});

describe("stack settings: kubernetes", () => {
  it("reads every key", () => {
    const { settings, problems } = parse(
      kubernetes({ context: "prod", serverSideApply: false, readinessTimeoutSeconds: 900 }),
    );
    expect(problems).to.deep.equal([]);
    expect(settings.kubernetes).to.deep.equal({
      context: "prod",
      serverSideApply: false,
      readinessTimeoutSeconds: 900,
    });
    expect(parse(kubernetes({ skipAwait: true })).settings.kubernetes).to.deep.equal({
      skipAwait: true,
    });
  });

  it("reports an unknown key with a did-you-mean, and lists the keys otherwise", () => {
    expect(
      parse(kubernetes({ contxt: "prod", kubeconfig: "~/.kube/config" })).problems,
    ).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.contxt: unknown key; did you mean "context"?',
      "error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.kubeconfig: unknown key; the known keys " +
        "are context, serverSideApply, skipAwait, readinessTimeoutSeconds, skipIngressAwait, " +
        "replicasHandover",
    ]);
  });

  it("reads skipIngressAwait and replicasHandover, sorted and once each", () => {
    const { settings, problems } = parse(
      kubernetes({ skipIngressAwait: true, replicasHandover: ["b/two", "a/one", "b/two"] }),
    );
    expect(problems).to.deep.equal([]);
    expect(settings.kubernetes).to.deep.equal({
      skipIngressAwait: true,
      replicasHandover: ["a/one", "b/two"],
    });
  });

  it("names the item of replicasHandover that is not <namespace>/<name>", () => {
    expect(
      parse(kubernetes({ skipIngressAwait: "yes please", replicasHandover: ["a/one", "two"] }))
        .problems,
    ).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.skipIngressAwait: expected a boolean, got "yes please"; ' +
        "write true or false (also accepted: 1 t T TRUE true True 0 f F FALSE false False)",
      "error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.replicasHandover[1]: expected an integration as <namespace>/<name>",
    ]);
  });

  it("reports wrong types, naming each field", () => {
    const { settings, problems } = parse(
      kubernetes({ context: "", serverSideApply: "maybe", readinessTimeoutSeconds: "900" }),
    );
    expect(problems).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.context: expected a kubeconfig context, got an empty value",
      'error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.serverSideApply: expected a boolean, got "maybe"; ' +
        "write true or false (also accepted: 1 t T TRUE true True 0 f F FALSE false False)",
      'error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.readinessTimeoutSeconds: expected an integer, got the string "900"; write 900 without quotes',
    ]);
    expect(settings.kubernetes).to.deep.equal({});
  });

  it("bounds the readiness timeout to a day", () => {
    expect(parse(kubernetes({ readinessTimeoutSeconds: 0 })).problems).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.readinessTimeoutSeconds: must be between 1 and 86400, got 0",
    ]);
    expect(parse(kubernetes({ readinessTimeoutSeconds: 86400 })).problems).to.deep.equal([]);
  });

  it("rejects skipAwait: true with a readiness timeout, which would have no effect", () => {
    expect(
      parse(kubernetes({ skipAwait: true, readinessTimeoutSeconds: 300 })).problems,
    ).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes.readinessTimeoutSeconds: has no effect " +
        "with skipAwait: true, since Pulumi then does not wait for readiness; remove one of them",
    ]);
    expect(
      parse(kubernetes({ skipAwait: false, readinessTimeoutSeconds: 300 })).problems,
    ).to.deep.equal([]);
  });

  it("expects an object", () => {
    expect(parse({ "wso2-mi:kubernetes": "prod" }).problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: wso2-mi:kubernetes: expected a mapping (in the stack file, indented keys under wso2-mi:kubernetes), got "prod"',
    ]);
  });

  it("rejects kubernetes: keys that its explicit provider would not read", () => {
    const { problems } = parse({
      ...kubernetes({ serverSideApply: true }),
      "kubernetes:context": "prod",
      "kubernetes:kubeconfig": "/etc/kubeconfig",
    });
    expect(problems).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml: kubernetes:context: is read only by Pulumi's default " +
        "Kubernetes provider, and wso2-mi:kubernetes makes this stack use its own; set it as " +
        "wso2-mi:kubernetes.context instead",
      "error: stacks/Pulumi.dev.yaml: kubernetes:kubeconfig: is read only by Pulumi's default " +
        "Kubernetes provider, and wso2-mi:kubernetes makes this stack use its own; remove " +
        "wso2-mi:kubernetes.context and .serverSideApply to use the default provider",
    ]);
  });

  it("leaves kubernetes: keys to the default provider when no explicit one is asked for", () => {
    const { problems } = parse({
      ...kubernetes({ readinessTimeoutSeconds: 600 }),
      "kubernetes:context": "prod",
    });
    expect(problems).to.deep.equal([]);
  });

  it("names the line of the field in the stack file", () => {
    const { problems } = fromStackFile(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:kubernetes:
          context: prod
          skipAwait: true
          readinessTimeoutSeconds: 300
        wso2-mi:createNamespace: perhaps
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:7: wso2-mi:createNamespace: expected a boolean, got "perhaps"; ' +
        "write true or false (also accepted: 1 t T TRUE true True 0 f F FALSE false False)",
      "error: stacks/Pulumi.dev.yaml:6: wso2-mi:kubernetes.readinessTimeoutSeconds: has no effect " +
        "with skipAwait: true, since Pulumi then does not wait for readiness; remove one of them",
    ]);
  });
});

describe("stack settings: Pulumi.yaml's config defaults", () => {
  const project = (config: string): string =>
    `name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\nconfig:\n${config}`;

  it("apply to the keys the stack file does not set, as the Pulumi CLI applies them", () => {
    const { settings, problems } = fromStackFile(
      "config:\n  wso2-mi:crs: stacks/dev\n",
      project("  namespace:\n    type: string\n    default: team-a\n  createNamespace: true\n"),
    );
    expect(problems).to.deep.equal([]);
    expect(settings.namespace).to.equal("team-a");
    expect(settings.createNamespace).to.equal(true);
  });

  it("give way to the stack file's values", () => {
    const { settings } = fromStackFile(
      "config:\n  wso2-mi:namespace: team-b\n  wso2-mi:createNamespace: false\n",
      project("  namespace:\n    type: string\n    default: team-a\n  createNamespace: true\n"),
    );
    expect(settings.namespace).to.equal("team-b");
    expect(settings.createNamespace).to.equal(false);
  });
});
