/** The stack's `imageRefresh` and `registryCredentials` keys, from Pulumi's config and from a stack file. */
import * as path from "node:path";
import { expect } from "chai";
import { DEFAULT_IMAGE_REFRESH } from "../../../components/model/settings/imageRefresh";
import { Problems } from "../../../components/model/problems";
import {
  loadStackSettings,
  parseStackSettings,
  stackConfigFromFile,
} from "../../../components/model/settings/stack";
import type { StackSettings } from "../../../components/model/types";
import { lines, tempProject, yaml } from "./support";

const FILE = "stacks/Pulumi.dev.yaml";

function parse(config: Record<string, string>): { settings: StackSettings; problems: string[] } {
  const problems = new Problems();
  const settings = parseStackSettings(
    config,
    { project: "wso2-mi", stack: "dev", file: FILE },
    problems,
  );
  return { settings, problems: lines(problems) };
}

function refresh(value: object | string): ReturnType<typeof parse> {
  return parse({
    "wso2-mi:imageRefresh": typeof value === "string" ? value : JSON.stringify(value),
  });
}

/** The stack file's config and its problems, paths relative to the temporary project. */
function fromFile(text: string): { config: Record<string, string>; problems: string[] } {
  const dir = tempProject({ "Pulumi.dev.yaml": text });
  const problems = new Problems();
  const config = stackConfigFromFile(path.join(dir, "Pulumi.dev.yaml"), "wso2-mi", problems);
  return { config, problems: lines(problems).map((l) => l.replace(dir + path.sep, "")) };
}

describe("image refresh: stack settings", () => {
  it("is absent, and so off, when the stack does not set it", () => {
    const { settings, problems } = parse({});
    expect(problems).to.deep.equal([]);
    expect(settings.imageRefresh).to.equal(undefined);
  });

  it("applies the defaults: digest mode, fail when unreachable, no insecure registries", () => {
    const { settings, problems } = refresh({ enabled: true });
    expect(problems).to.deep.equal([]);
    expect(settings.imageRefresh).to.deep.equal({
      enabled: true,
      mode: "digest",
      onUnreachable: "fail",
      insecureRegistries: [],
    });
    expect(refresh({}).settings.imageRefresh).to.deep.equal(DEFAULT_IMAGE_REFRESH);
  });

  it("reads every key", () => {
    const { settings, problems } = refresh({
      enabled: "true",
      mode: "annotation",
      onUnreachable: "keep",
      insecureRegistries: ["registry.local:5000", "10.0.0.7", "[::1]:5000"],
      timeoutSeconds: 15,
      dockerConfig: "ci/docker-config.json",
    });
    expect(problems).to.deep.equal([]);
    expect(settings.imageRefresh).to.deep.equal({
      enabled: true,
      mode: "annotation",
      onUnreachable: "keep",
      insecureRegistries: ["registry.local:5000", "10.0.0.7", "[::1]:5000"],
      timeoutSeconds: 15,
      dockerConfig: "ci/docker-config.json",
    });
  });

  it("reports unknown keys with a did-you-mean, and wrong values with what would be right", () => {
    const { problems } = refresh({
      enable: true,
      mode: "digests",
      onUnreachable: "ignore",
      insecureRegistries: ["http://registry.local:5000", "a/b"],
      timeoutSeconds: 0,
      dockerConfig: "",
      colour: "red",
    });
    const at = `error: ${FILE}: wso2-mi:imageRefresh`;
    expect(problems).to.deep.equal([
      `${at}.enable: unknown key; did you mean "enabled"?`,
      `${at}.mode: expected "digest" or "annotation", got "digests"; did you mean "digest"?`,
      `${at}.onUnreachable: expected "fail" or "keep", got "ignore"`,
      `${at}.insecureRegistries[0]: remove "http://": list the registry as host[:port], e.g. ` +
        '"registry.local:5000"',
      `${at}.insecureRegistries[1]: "a/b" is not a registry host; write host[:port], e.g. ` +
        '"registry.local:5000"',
      `${at}.timeoutSeconds: must be between 1 and 600, got 0`,
      `${at}.dockerConfig: expected the path of a Docker config file, got an empty value`,
      `${at}.colour: unknown key; the known keys are enabled, mode, onUnreachable, ` +
        "insecureRegistries, timeoutSeconds, dockerConfig, policy",
    ]);
  });

  it("reads insecureRegistries as image references read their registry", () => {
    const accepted = ["Reg.Example.COM", "reg.local:00080", "[::]", "[2001:db8::1]:5000"];
    const { settings, problems } = refresh({ insecureRegistries: accepted });
    expect(problems).to.deep.equal([]);
    expect(settings.imageRefresh?.insecureRegistries).to.deep.equal(accepted);
    const refused = ["[::ffff:10.0.0.1]:5000", "[1:2:3]", "reg.local.", "reg.local:port", "::1"];
    const at = `error: ${FILE}: wso2-mi:imageRefresh.insecureRegistries`;
    const notAHost = 'is not a registry host; write host[:port], e.g. "registry.local:5000"';
    expect(refresh({ insecureRegistries: refused }).problems).to.deep.equal([
      `${at}[0]: "[::ffff:10.0.0.1]:5000" ${notAHost}`,
      `${at}[1]: "[1:2:3]" ${notAHost}`,
      `${at}[2]: "reg.local." ${notAHost}`,
      `${at}[3]: "reg.local:port": the port must be a number, got "port"`,
      `${at}[4]: "::1" ${notAHost}`,
    ]);
  });

  it("reports wrong types", () => {
    const { problems } = refresh({ enabled: "yes", mode: 1, insecureRegistries: "r:5000" });
    const at = `error: ${FILE}: wso2-mi:imageRefresh`;
    expect(problems).to.deep.equal([
      `${at}.enabled: expected a boolean, got "yes"; write true or false (also accepted: 1 t T ` +
        "TRUE true True 0 f F FALSE false False)",
      `${at}.mode: expected a string, got 1; quote it: "1"`,
      `${at}.insecureRegistries: expected a list of strings, got "r:5000"`,
    ]);
    expect(refresh("true").problems).to.deep.equal([
      `${at}: expected a mapping (in the stack file, indented keys under wso2-mi:imageRefresh), ` +
        'got "true"',
    ]);
  });

  it("names the stack file's line of a wrong key", () => {
    const dir = tempProject({
      "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
      "stacks/Pulumi.dev.yaml": yaml`
        config:
          wso2-mi:namespace: dev
          wso2-mi:imageRefresh:
            enabled: true
            mode: pinned
      `,
    });
    const problems = new Problems();
    const settings = loadStackSettings(dir, "dev", problems);
    expect(lines(problems)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:5: wso2-mi:imageRefresh.mode: expected "digest" or ' +
        '"annotation", got "pinned"',
    ]);
    expect(settings.imageRefresh).to.deep.equal({ ...DEFAULT_IMAGE_REFRESH, enabled: true });
  });
});

describe("image refresh: registryCredentials", () => {
  const SECRET = "s3cr3t-Pa55word";

  it("accepts a secret in the stack file and leaves it out offline", () => {
    const { config, problems } = fromFile(yaml`
      config:
        wso2-mi:namespace: dev
        wso2-mi:registryCredentials:
          secure: v1:AAAABBBBCCCC
    `);
    expect(problems).to.deep.equal([]);
    expect(config).to.deep.equal({ "wso2-mi:namespace": "dev" });
  });

  it("refuses credentials in plain text in the stack file, without showing them", () => {
    const { config, problems } = fromFile(yaml`
      config:
        wso2-mi:registryCredentials:
          registry.example.com:
            username: ci
            password: ${SECRET}
    `);
    expect(config).to.deep.equal({});
    expect(problems).to.deep.equal([
      "error: Pulumi.dev.yaml:2: wso2-mi:registryCredentials: holds credentials in plain text; " +
        "store them encrypted instead: pulumi config set --secret wso2-mi:registryCredentials " +
        "'<JSON>'",
    ]);
  });

  it("accepts the decrypted value the program gets, and keeps nothing of it", () => {
    const { settings, problems } = parse({
      "wso2-mi:registryCredentials": JSON.stringify({
        "registry.example.com": { username: "ci", password: SECRET },
      }),
    });
    expect(problems).to.deep.equal([]);
    expect(JSON.stringify(settings)).not.to.include(SECRET);
    expect(JSON.stringify(settings)).not.to.include("registry.example.com");
  });

  it("reports a malformed value without showing it", () => {
    const bad = [
      `{"registry.example.com": {"username": "ci", "password": "${SECRET}"`,
      `["${SECRET}"]`,
      JSON.stringify({ "r.example.com": { username: "ci", password: SECRET, token: SECRET } }),
    ];
    const shape =
      'expected a JSON mapping of registry host to {"username": "...", "password": "..."} ' +
      "(the value is a secret and is not shown)";
    const problems = bad.map((value) => parse({ "wso2-mi:registryCredentials": value }).problems);
    expect(problems).to.deep.equal([
      [`error: ${FILE}: wso2-mi:registryCredentials: ${shape}; it is not valid JSON`],
      [`error: ${FILE}: wso2-mi:registryCredentials: ${shape}`],
      [`error: ${FILE}: wso2-mi:registryCredentials["r.example.com"]: ${shape}`],
    ]);
    expect(problems.flat().join("\n")).not.to.include(SECRET);
  });

  it("suggests the key when it is misspelt", () => {
    expect(parse({ "wso2-mi:registryCredential": "{}" }).problems).to.deep.equal([
      `error: ${FILE}: wso2-mi:registryCredential: unknown key; did you mean ` +
        '"wso2-mi:registryCredentials"?',
    ]);
  });
});
