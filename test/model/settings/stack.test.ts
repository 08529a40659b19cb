import { expect } from "chai";
import * as path from "path";
import { Problems } from "../../../components/model/problems";
import {
  loadStackSettings,
  parseStackSettings,
  readProject,
  SECRET_STACK_KEYS,
  STACK_KEYS,
  stackConfigFromFile,
} from "../../../components/model/settings/stack";
import type { StackSettings } from "../../../components/model/types";
import { lines, tempProject, yaml } from "./support";

const FILE = "stacks/Pulumi.dev.yaml";

/** Every key of the project, as an unknown key's message lists them. */
const KEY_LIST = [...STACK_KEYS, ...SECRET_STACK_KEYS].map((k) => `wso2-mi:${k}`).join(", ");
const OPTS = { project: "wso2-mi", stack: "dev", file: FILE };

function parse(config: Record<string, string>): { settings: StackSettings; problems: string[] } {
  const problems = new Problems();
  const settings = parseStackSettings(config, OPTS, problems);
  return { settings, problems: lines(problems) };
}

function fromFile(text: string): { config: Record<string, string>; problems: string[] } {
  const dir = tempProject({ "Pulumi.dev.yaml": text });
  const problems = new Problems();
  const config = stackConfigFromFile(path.join(dir, "Pulumi.dev.yaml"), "wso2-mi", problems);
  return { config, problems: lines(problems).map((l) => l.replace(dir + path.sep, "")) };
}

describe("stack settings: stackConfigFromFile", () => {
  it("gives the strings the Pulumi runtime gives a program", () => {
    const { config, problems } = fromFile(yaml`
      secretsprovider: passphrase
      encryptionsalt: v1:abc
      config:
        namespace: integrations-dev
        wso2-mi:crs:
          - stacks/dev
          - stacks/shared/a.yaml
        wso2-mi:defaults:
          minReplicas: 2
          enableAutoScale: "true"
          requestCPU: 0.5
          livenessProbe:
            tcpSocket: { port: 0x1F62 }
        wso2-mi:ingress:
          host: dev.example.com
          annotations:
            b.example.com/z: "<a & b>"
            a.example.com/y: "x: y"
        wso2-mi:config:controllerConfig: stacks/conf.yaml
        kubernetes:context: kind-dev
        other:hex: 0x10
        other:float: 1.50
        other:bool: yes
        other:true: true
        other:date: 2024-01-01
        other:empty:
        other:tilde: ~
        other:quoted: "null"
        other:secret:
          secure: v1:abc
        other:nested:
          a: { secure: v1:abc }
    `);
    expect(problems).to.deep.equal([]);
    expect(config).to.deep.equal({
      "wso2-mi:namespace": "integrations-dev",
      "wso2-mi:crs": '["stacks/dev","stacks/shared/a.yaml"]',
      "wso2-mi:defaults":
        '{"enableAutoScale":"true","livenessProbe":{"tcpSocket":{"port":8034}},"minReplicas":2,"requestCPU":0.5}',
      "wso2-mi:ingress":
        '{"annotations":{"a.example.com/y":"x: y","b.example.com/z":"\\u003ca \\u0026 b\\u003e"},"host":"dev.example.com"}',
      "wso2-mi:controllerConfig": "stacks/conf.yaml",
      "kubernetes:context": "kind-dev",
      "other:hex": "0x10",
      "other:float": "1.50",
      "other:bool": "yes",
      "other:true": "true",
      "other:date": "2024-01-01",
      "other:empty": "",
      "other:tilde": "",
      "other:quoted": "null",
    });
  });

  it("reads a stack file with no config as no settings", () => {
    expect(fromFile("").config).to.deep.equal({});
    expect(fromFile("secretsprovider: passphrase\n").config).to.deep.equal({});
  });

  it("reports secrets our keys cannot be, malformed keys, and keys set twice", () => {
    const { config, problems } = fromFile(yaml`
      config:
        wso2-mi:namespace:
          secure: v1:abc
        wso2-mi:password:
          secure: v1:abc
        a:b:c: 1
        crs: stacks/a
        wso2-mi:crs: stacks/b
    `);
    expect(problems).to.deep.equal([
      "error: Pulumi.dev.yaml:2: wso2-mi:namespace: a secret value cannot be read offline, and " +
        "render needs this setting as plain text; set it without --secret: pulumi config set " +
        "wso2-mi:namespace <value>",
      `error: Pulumi.dev.yaml:4: wso2-mi:password: unknown key; the keys of this project are ${KEY_LIST}`,
      `error: Pulumi.dev.yaml:6: a:b:c: not a configuration key; write <namespace>:<name> such as ` +
        `"wso2-mi:namespace", or a name alone for this project's keys`,
      'error: Pulumi.dev.yaml:8: wso2-mi:crs: the same key as "crs"; keep only one of them',
    ]);
    expect(config).to.deep.equal({ "wso2-mi:crs": "stacks/a" });
  });

  it("reports a file that is not a stack file", () => {
    expect(fromFile("- a\n").problems).to.deep.equal([
      "error: Pulumi.dev.yaml: expected a mapping with the key config, got a list",
    ]);
    expect(fromFile("config: [a]\n").problems).to.deep.equal([
      "error: Pulumi.dev.yaml:1: config: expected a mapping of keys to values, got a list",
    ]);
    expect(fromFile("config:\n  a: 1\n---\nconfig: {}\n").problems).to.deep.equal([
      "error: Pulumi.dev.yaml:4 (document 2): a stack file holds one YAML document; remove the " +
        "`---` and what follows",
    ]);
  });

  it("reports an unknown top-level key, with the one it is closest to", () => {
    expect(
      fromFile("confg:\n  wso2-mi:namespace: a\nsecretsprovider: passphrase\n").problems,
    ).to.deep.equal(['error: Pulumi.dev.yaml:1: confg: unknown key; did you mean "config"?']);
    expect(fromFile("settings: {}\n").problems).to.deep.equal([
      "error: Pulumi.dev.yaml:1: settings: unknown key; the known keys are config, environment, " +
        "secretsprovider, encryptedkey, encryptionsalt",
    ]);
  });

  it("warns that the config of Pulumi ESC environments is not read offline", () => {
    const { config, problems } = fromFile(yaml`
      environment:
        - acme/prod-cluster
        - acme/registry
      config:
        wso2-mi:namespace: a
    `);
    expect(config).to.deep.equal({ "wso2-mi:namespace": "a" });
    expect(problems).to.deep.equal([
      'warning: Pulumi.dev.yaml:1: environment: imports the Pulumi ESC environments "acme/prod-cluster", ' +
        '"acme/registry", which `pulumi up` evaluates and offline commands cannot: config they set ' +
        "(pulumiConfig, such as wso2-mi:* keys) is missing from this output, which may differ from " +
        "what `pulumi up` deploys; set those keys in the stack file to see them offline",
    ]);
  });

  it("reads a stack the way the program reads Pulumi's config", () => {
    const { config } = fromFile(yaml`
      config:
        wso2-mi:namespace: integrations-dev
        wso2-mi:crs: [stacks/dev]
        wso2-mi:defaults: { minReplicas: 2, cpuLimit: 1 }
        wso2-mi:ingress: { host: dev.example.com, enabled: true }
    `);
    const fromPulumi = {
      "wso2-mi:namespace": "integrations-dev",
      "wso2-mi:crs": '["stacks/dev"]',
      "wso2-mi:defaults": '{"cpuLimit":1,"minReplicas":2}',
      "wso2-mi:ingress": '{"enabled":true,"host":"dev.example.com"}',
    };
    expect(config).to.deep.equal(fromPulumi);
    expect(parse(config)).to.deep.equal(parse(fromPulumi));
  });
});

describe("stack settings: parseStackSettings", () => {
  it("reads every key of the project and ignores other namespaces", () => {
    const { settings, problems } = parse({
      "wso2-mi:namespace": "integrations-dev",
      "wso2-mi:crs": '["stacks/dev","stacks/shared/a.yaml"]',
      "wso2-mi:controllerConfig": "stacks/conf.yaml",
      "wso2-mi:defaults":
        '{"enableAutoScale":"true","minReplicas":2,"maxReplicas":"4","requestCPU":0.5,' +
        '"hpaMetrics":"- type: Resource\\n  resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}",' +
        '"livenessProbe":{"tcpSocket":{"port":8290}}}',
      "wso2-mi:ingress":
        '{"enabled":true,"name":"mi","host":"dev.example.com","className":"public",' +
        '"tlsSecretName":"dev-tls","transportMode":"http","annotations":{"a.example.com/y":"x: y"}}',
      "kubernetes:context": "kind-dev",
      "other:namespace": "Not_A_Name",
    });
    expect(problems).to.deep.equal([]);
    expect(settings).to.deep.equal({
      source: { file: FILE },
      project: "wso2-mi",
      stack: "dev",
      namespace: "integrations-dev",
      crs: ["stacks/dev", "stacks/shared/a.yaml"],
      controllerConfig: "stacks/conf.yaml",
      defaults: {
        enableAutoScale: true,
        minReplicas: 2,
        maxReplicas: 4,
        requestCPU: "0.5",
        hpaMetrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } },
          },
        ],
        livenessProbe: { tcpSocket: { port: 8290 } },
      },
      ingress: {
        enabled: true,
        name: "mi",
        host: "dev.example.com",
        className: "public",
        tlsSecretName: "dev-tls",
        transportMode: "http",
        annotations: { "a.example.com/y": "x: y" },
      },
    });
  });

  it("reports keys under the project's name misspelt, and leaves other packages' keys alone", () => {
    const { settings, problems } = parse({
      "wso-mi:namespace": "a",
      "WSO2-MI:crs": "b",
      "kubernetes:context": "c",
      "aws:region": "eu-west-1",
      "other-project:x": "d",
    });
    expect(settings.namespace).to.equal(undefined);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml: WSO2-MI:crs: unknown namespace "WSO2-MI", which no package ' +
        'reads; did you mean "wso2-mi:crs"?',
      'error: stacks/Pulumi.dev.yaml: wso-mi:namespace: unknown namespace "wso-mi", which no ' +
        'package reads; did you mean "wso2-mi:namespace"?',
    ]);
  });

  it("defaults crs to stacks/<stack> and sets nothing else", () => {
    expect(parse({ "kubernetes:context": "x" })).to.deep.equal({
      settings: {
        source: { file: FILE },
        project: "wso2-mi",
        stack: "dev",
        crs: ["stacks/dev"],
        defaults: {},
        ingress: {},
      },
      problems: [],
    });
  });

  it("takes crs as one path or a list", () => {
    expect(parse({ "wso2-mi:crs": "stacks/one.yaml" }).settings.crs).to.deep.equal([
      "stacks/one.yaml",
    ]);
    expect(parse({ "wso2-mi:crs": '["a","b"]' }).settings.crs).to.deep.equal(["a", "b"]);
  });

  it("reports unknown keys of the project with a did-you-mean, or where they belong", () => {
    expect(
      parse({
        "wso2-mi:namspace": "x",
        "wso2-mi:minReplicas": "2",
        "wso2-mi:host": "h",
        "wso2-mi:color": "c",
      }).problems,
    ).to.deep.equal([
      `error: ${FILE}: wso2-mi:color: unknown key; the keys of this project are ${KEY_LIST}`,
      `error: ${FILE}: wso2-mi:host: unknown key; set host under wso2-mi:ingress`,
      `error: ${FILE}: wso2-mi:minReplicas: unknown key; set minReplicas under wso2-mi:defaults`,
      `error: ${FILE}: wso2-mi:namspace: unknown key; did you mean "wso2-mi:namespace"?`,
    ]);
  });

  it("reports unknown sub-keys with a did-you-mean, or what we call them", () => {
    expect(
      parse({
        "wso2-mi:defaults": '{"minReplica": 1, "ingressHostName": "x", "tlsSecretName": "s"}',
        "wso2-mi:ingress": '{"hots": "a", "ingressHostName": "b", "autoIngressCreation": true}',
      }).problems,
    ).to.deep.equal([
      `error: ${FILE}: wso2-mi:defaults.minReplica: unknown key; did you mean "minReplicas"?`,
      `error: ${FILE}: wso2-mi:defaults.ingressHostName: unknown key here; set it as "host" under wso2-mi:ingress`,
      `error: ${FILE}: wso2-mi:defaults.tlsSecretName: unknown key here; set it as "tlsSecretName" under wso2-mi:ingress`,
      `error: ${FILE}: wso2-mi:ingress.hots: unknown key; did you mean "host"?`,
      `error: ${FILE}: wso2-mi:ingress.ingressHostName: unknown key here; a stack's ingress calls it "host"`,
      `error: ${FILE}: wso2-mi:ingress.autoIngressCreation: unknown key here; a stack's ingress calls it "enabled"`,
    ]);
  });

  it("reports wrong types, naming the stack file and the key", () => {
    const { problems } = parse({
      "wso2-mi:namespace": "Dev_1",
      "wso2-mi:defaults": "5",
      "wso2-mi:ingress": "{bad",
      "wso2-mi:crs": "[]",
      "wso2-mi:controllerConfig": "",
    });
    expect(problems).to.deep.equal([
      `error: ${FILE}: wso2-mi:controllerConfig: expected the path of a controller config file, got an empty value`,
      `error: ${FILE}: wso2-mi:crs: expected at least one CR file or folder`,
      `error: ${FILE}: wso2-mi:defaults: expected a mapping (in the stack file, indented keys under wso2-mi:defaults), got "5"`,
      `error: ${FILE}: wso2-mi:ingress: not valid JSON: ${jsonError("{bad")}`,
      `error: ${FILE}: wso2-mi:namespace: expected a namespace name: "Dev_1" is not a valid name: ` +
        `use only lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. "dev-1"`,
    ]);
  });

  it("checks defaults and ingress values with the controller config's rules", () => {
    const { settings, problems } = parse({
      "wso2-mi:defaults":
        '{"maxReplicas": 2.5, "enableAutoScale": "yes", "minReplicas": "three", "cpuLimit": "1 core"}',
      "wso2-mi:ingress":
        '{"enabled": "yes", "annotations": ["x"], "host": "Bad Host", "transportMode": "ftp"}',
    });
    expect(
      problems.map((p) => p.slice(0, p.indexOf(":", p.indexOf("wso2-mi:") + 8))),
    ).to.deep.equal([
      `error: ${FILE}: wso2-mi:defaults.maxReplicas`,
      `error: ${FILE}: wso2-mi:defaults.enableAutoScale`,
      `error: ${FILE}: wso2-mi:defaults.minReplicas`,
      `error: ${FILE}: wso2-mi:defaults.cpuLimit`,
      `error: ${FILE}: wso2-mi:ingress.enabled`,
      `error: ${FILE}: wso2-mi:ingress.annotations`,
      `error: ${FILE}: wso2-mi:ingress.host`,
      `error: ${FILE}: wso2-mi:ingress.transportMode`,
    ]);
    expect(problems[2]).to.equal(
      `error: ${FILE}: wso2-mi:defaults.minReplicas: expected an integer such as "3", got "three"`,
    );
    expect(problems[5]).to.equal(
      `error: ${FILE}: wso2-mi:ingress.annotations: expected a map of annotation names to strings, got a list`,
    );
    expect(problems[7]).to.equal(
      `error: ${FILE}: wso2-mi:ingress.transportMode: expected "http" or "https", got "ftp"`,
    );
    expect(settings.defaults).to.deep.equal({});
    expect(settings.ingress).to.deep.equal({});
  });

  it("notes reconcileInterval and who reads it", () => {
    expect(parse({ "wso2-mi:defaults": '{"reconcileInterval": 10}' }).problems).to.deep.equal([
      `note: ${FILE}: wso2-mi:defaults.reconcileInterval: ` +
        "read only by `npm run reconciler`: the resync frequency (at least 60 s) of the Pulumi " +
        "Kubernetes Operator Stack that re-applies this stack from git; render and `pulumi up` run " +
        "no loop",
    ]);
  });

  it("reports autoIngressCreation and ingress.enabled that disagree", () => {
    expect(
      parse({
        "wso2-mi:defaults": '{"autoIngressCreation": "false"}',
        "wso2-mi:ingress": '{"enabled": true}',
      }).problems,
    ).to.deep.equal([
      `error: ${FILE}: wso2-mi:ingress.enabled: is true but wso2-mi:defaults.autoIngressCreation ` +
        "is false; set only one of them",
    ]);
    expect(
      parse({
        "wso2-mi:defaults": '{"autoIngressCreation": "0"}',
        "wso2-mi:ingress": '{"enabled": false}',
      }).problems,
    ).to.deep.equal([]);
  });

  it("moves the deprecated class annotation to className, and empty names mean none", () => {
    const { settings, problems } = parse({
      "wso2-mi:ingress":
        '{"annotations": {"kubernetes.io/ingress.class": "public", "a.example.com/x": "1"}, "tlsSecretName": ""}',
    });
    expect(problems).to.deep.equal([
      `note: ${FILE}: wso2-mi:ingress.annotations["kubernetes.io/ingress.class"]: the annotation ` +
        "kubernetes.io/ingress.class is deprecated; it is emitted as spec.ingressClassName: public",
    ]);
    expect(settings.ingress).to.deep.equal({
      annotations: { "a.example.com/x": "1" },
      className: "public",
      tlsSecretName: "",
    });
    expect(
      parse({
        "wso2-mi:ingress":
          '{"className": "nginx", "annotations": {"kubernetes.io/ingress.class": "public"}}',
      }).problems[1],
    ).to.equal(
      `error: ${FILE}: wso2-mi:ingress.annotations: kubernetes.io/ingress.class is "public" but ` +
        'className is "nginx"; keep only className',
    );
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

describe("stack settings: loadStackSettings and the project", () => {
  const project = {
    "Pulumi.yaml": "name: proj\nruntime: nodejs\nstackConfigDir: stacks\n",
    "stacks/Pulumi.dev.yaml": "config:\n  proj:namespace: dev\n  proj:crs: crs/dev\n",
    "stacks/Pulumi.prod.yaml": "",
  };

  it("reads stacks/Pulumi.<stack>.yaml with the project's name", () => {
    const dir = tempProject(project);
    const problems = new Problems();
    expect(loadStackSettings(dir, "dev", problems)).to.deep.equal({
      source: { file: "stacks/Pulumi.dev.yaml" },
      project: "proj",
      stack: "dev",
      namespace: "dev",
      crs: ["crs/dev"],
      defaults: {},
      ingress: {},
    });
    expect(loadStackSettings(dir, "org/proj/prod", problems).stack).to.equal("prod");
    expect(lines(problems)).to.deep.equal([]);
  });

  it("lists the stacks that exist when the stack file is missing", () => {
    const dir = tempProject(project);
    const problems = new Problems();
    loadStackSettings(dir, "deb", problems);
    loadStackSettings(dir, "staging", problems);
    expect(lines(problems)).to.deep.equal([
      'error: stacks/Pulumi.deb.yaml: no such stack file; did you mean "dev"? the stacks are dev, prod',
      "error: stacks/Pulumi.staging.yaml: no such stack file; the stacks are dev, prod",
    ]);
    const empty = tempProject({ "Pulumi.yaml": "name: proj\nstackConfigDir: stacks\n" });
    const none = new Problems();
    loadStackSettings(empty, "dev", none);
    expect(lines(none)).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml: no such stack file, and no stack files in stacks/; create " +
        "one with `pulumi stack init dev`",
    ]);
  });

  it("reports an unknown key naming the stack file", () => {
    const dir = tempProject({
      ...project,
      "stacks/Pulumi.dev.yaml": "config:\n  proj:namespce: dev\n",
    });
    const problems = new Problems();
    loadStackSettings(dir, "dev", problems);
    expect(lines(problems)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:2: proj:namespce: unknown key; did you mean "proj:namespace"?',
    ]);
  });

  it("reports values of the wrong type in a stack file", () => {
    const dir = tempProject({
      ...project,
      "stacks/Pulumi.dev.yaml": yaml`
        config:
          proj:defaults: [1, 2]
          proj:ingress:
            enabled: maybe
            annotations: { a.example.com/x: 1 }
          proj:crs: [stacks/dev, 5]
      `,
    });
    const problems = new Problems();
    const settings = loadStackSettings(dir, "dev", problems);
    expect(lines(problems)).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:6: proj:crs[1]: expected a string, got 5; quote it: "5"',
      "error: stacks/Pulumi.dev.yaml:2: proj:defaults: expected a mapping (in the stack file, " +
        'indented keys under proj:defaults), got "[1,2]"',
      'error: stacks/Pulumi.dev.yaml:5: proj:ingress.annotations["a.example.com/x"]: expected a ' +
        'string, got 1; quote it: "1"',
      `error: stacks/Pulumi.dev.yaml:4: proj:ingress.enabled: expected a boolean, got "maybe"; ` +
        "write true or false (also accepted: 1 t T TRUE true True 0 f F FALSE false False)",
    ]);
    expect(settings.crs).to.deep.equal(["stacks/dev"]);
  });

  it("names the stack file's line of each key and of the fields inside it", () => {
    const text = yaml`
      encryptionsalt: v1:abc
      config:
        namespace: dev
        defaults:
          minReplicas: 2
          requestCPU: lots
          autoIngressCreation: false
        proj:ingress:
          enabled: true
          annotations:
            nginx.ingress.kubernetes.io/ssl-redirect: "false"
            kubernetes.io/ingress.class: public
          className: nginx
          colour: blue
        proj:crs:
          - stacks/dev
          - ""
    `;
    const dir = tempProject({ ...project, "stacks/Pulumi.dev.yaml": text });
    const problems = new Problems();
    loadStackSettings(dir, "dev", problems);
    expect(lines(problems)).to.deep.equal([
      `error: ${FILE}:17: proj:crs[1]: expected a CR file or folder, got ""`,
      `error: ${FILE}:6: proj:defaults.requestCPU: "lots" is not a Kubernetes quantity; write a ` +
        "number with an optional suffix: m (1/1000), k M G T P E, or Ki Mi Gi Ti Pi Ei, e.g. " +
        '"500m", "2", "512Mi"',
      `note: ${FILE}:12: proj:ingress.annotations["kubernetes.io/ingress.class"]: the annotation ` +
        "kubernetes.io/ingress.class is deprecated; it is emitted as spec.ingressClassName: public",
      `error: ${FILE}:14: proj:ingress.colour: unknown key; the known keys are enabled, name, ` +
        "host, className, tlsSecretName, annotations, transportMode",
      `error: ${FILE}:10: proj:ingress.annotations: kubernetes.io/ingress.class is "public" but ` +
        'className is "nginx"; keep only className',
      `error: ${FILE}:9: proj:ingress.enabled: is true but proj:defaults.autoIngressCreation is ` +
        "false; set only one of them",
    ]);
    // The program gets the same config from Pulumi, without the file's text: no line.
    const config = stackConfigFromFile(path.join(dir, FILE), "proj", new Problems());
    const fromConfig = new Problems();
    parseStackSettings(config, { project: "proj", stack: "dev", file: FILE }, fromConfig);
    expect(lines(fromConfig)).to.deep.equal(lines(problems).map((l) => l.replace(/:\d+: /, ": ")));
  });

  it("reads the project's name, and says when there is no project", () => {
    const found = new Problems();
    expect(readProject(path.join(__dirname, "../../.."), found)?.name).to.equal("wso2-mi");
    expect(lines(found)).to.deep.equal([]);
    const dir = tempProject({});
    const missing = new Problems();
    expect(readProject(dir, missing)).to.equal(undefined);
    expect(lines(missing)).to.deep.equal([
      `error: Pulumi.yaml: no Pulumi project in ${dir}; run from the project's directory ` +
        "(the one with Pulumi.yaml)",
    ]);
    const nameless = new Problems();
    expect(readProject(tempProject({ "Pulumi.yaml": "runtime: nodejs\n" }), nameless)).to.equal(
      undefined,
    );
    expect(lines(nameless)).to.deep.equal([
      "error: Pulumi.yaml: name: the project needs a name, e.g. `name: wso2-mi`",
    ]);
  });
});
