import { expect } from "chai";
import { readFileSync } from "fs";
import * as path from "path";
import {
  BUILTIN_CONTROLLER_CONFIG_FILE,
  INGRESS_RESOURCE_NAME_NOTE,
  builtinControllerConfig,
  parseControllerConfig,
} from "../../../components/model/controllerConfig/parse";
import { Problems } from "../../../components/model/problems";
import type { ControllerConfig } from "../../../components/model/types";
import { lines, yaml } from "../settings/support";

const FILE = "stacks/conf.yaml";

function parse(text: string): { config: ControllerConfig; problems: string[] } {
  const problems = new Problems();
  const config = parseControllerConfig(text, FILE, problems);
  return { config, problems: lines(problems) };
}

/** One `integration-config` ConfigMap with the given data lines (indented by 2). */
function integrationConfig(data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: integration-config\ndata:\n${data}`;
}

function ingressConfig(data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: integration-ingress-config\ndata:\n${data}`;
}

describe("controller config: the built-in defaults", () => {
  it("are the operator's shipped file, parsed", () => {
    expect(builtinControllerConfig()).to.deep.equal({
      source: { file: BUILTIN_CONTROLLER_CONFIG_FILE },
      integration: {
        reconcileInterval: 10,
        autoIngressCreation: true,
        enableAutoScale: false,
        minReplicas: 1,
        maxReplicas: 5,
        hpaMetrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
        livenessProbe: { tcpSocket: { port: 8290 }, initialDelaySeconds: 10, periodSeconds: 5 },
        readinessProbe: {
          httpGet: { path: "/healthz", port: 9201 },
          initialDelaySeconds: 10,
          periodSeconds: 5,
        },
      },
      // ingressResourceName is not applied: the operator never used it for integrations.
      ingress: {
        host: "wso2ei.ingress.wso2.com",
        className: "nginx",
        annotations: {
          "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
          "nginx.ingress.kubernetes.io/ssl-redirect": "false",
        },
        transportMode: "https",
      },
    });
  });

  it("come from a verbatim copy of the operator's file", () => {
    const embedded = path.join(
      __dirname,
      "../../../components/model/controllerConfig/operator-defaults/integration_controller_conf.yaml",
    );
    const reference = path.join(
      __dirname,
      "..",
      "..",
      "fixtures",
      "operator",
      "integration_controller_conf.yaml",
    );
    expect(readFileSync(embedded, "utf8")).to.equal(readFileSync(reference, "utf8"));
  });

  it("are a fresh copy on every call", () => {
    const first = builtinControllerConfig();
    first.integration.minReplicas = 9;
    first.ingress.annotations!["x"] = "y";
    const second = builtinControllerConfig();
    expect(second.integration.minReplicas).to.equal(1);
    expect(second.ingress.annotations).to.not.have.property("x");
  });
});

describe("controller config: integration-config", () => {
  it('reads "0" as 0 in minReplicas and maxReplicas, as the operator reads the file', () => {
    const { config, problems } = parse(
      integrationConfig('  minReplicas: "0"\n  maxReplicas: "0"\n'),
    );
    expect(problems).to.deep.equal([]);
    expect(config.integration).to.deep.equal({ minReplicas: 0, maxReplicas: 0 });
  });

  it("reads every key the operator knows, from the operator's strings", () => {
    const { config, problems } = parse(
      integrationConfig(
        yaml`
          reconcileInterval: "30"
          autoIngressCreation: "F"
          enableAutoScale: "TRUE"
          minReplicas: "0"
          maxReplicas: "+7"
          requestCPU: "250m"
          reqMemory: "512Mi"
          cpuLimit: "1"
          memoryLimit: "1Gi"
          hpaMetrics: |
            - type: Resource
              resource:
                name: memory
                target:
                  type: AverageValue
                  averageValue: 800Mi
          livenessProbe: |
            exec:
              command: ["true"]
          readinessProbe: |
            httpGet:
              path: /ready
              port: 9201
            periodSeconds: 3
        `.replace(/^/gm, "  "),
      ),
    );
    expect(problems).to.deep.equal([
      `note: ${FILE}:6: integration-config.data.reconcileInterval: ` +
        "read only by `npm run reconciler`: the resync frequency (at least 60 s) of the Pulumi " +
        "Kubernetes Operator Stack that re-applies this stack from git; render and `pulumi up` run " +
        "no loop",
    ]);
    expect(config.integration).to.deep.equal({
      reconcileInterval: 30,
      autoIngressCreation: false,
      enableAutoScale: true,
      minReplicas: 0,
      maxReplicas: 7,
      requestCPU: "250m",
      reqMemory: "512Mi",
      cpuLimit: "1",
      memoryLimit: "1Gi",
      hpaMetrics: [
        {
          type: "Resource",
          resource: { name: "memory", target: { type: "AverageValue", averageValue: "800Mi" } },
        },
      ],
      livenessProbe: { exec: { command: ["true"] } },
      readinessProbe: { httpGet: { path: "/ready", port: 9201 }, periodSeconds: 3 },
    });
    expect(config.ingress).to.deep.equal({});
  });

  it("sets only the keys the file sets; empty quantities and probes are unset", () => {
    const { config, problems } = parse(
      integrationConfig(
        '  minReplicas: "2"\n  requestCPU: ""\n  livenessProbe: ""\n  readinessProbe:\n',
      ),
    );
    expect(problems).to.deep.equal([]);
    expect(config.integration).to.deep.equal({ minReplicas: 2 });
  });

  it("names the file, the ConfigMap and the key of a bad boolean", () => {
    const { problems } = parse(integrationConfig('  enableAutoScale: "yes"\n'));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(
      /^error: stacks\/conf\.yaml:6: integration-config\.data\.enableAutoScale: expected a boolean, got "yes"/,
    );
    expect(problems[0]).to.include("true or false");
  });

  it("names the ConfigMap document in a file of several", () => {
    const { problems } = parse(
      `${integrationConfig('  autoIngressCreation: "on"\n')}---\n${ingressConfig('  ingressHostName: "a.example.com"\n')}`,
    );
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(
      /^error: stacks\/conf\.yaml:6 \(document 1\): integration-config\.data\.autoIngressCreation: expected a boolean, got "on"/,
    );
  });

  it("reports integers that are not the operator's integers", () => {
    const { problems } = parse(
      integrationConfig('  minReplicas: "three"\n  maxReplicas: "2.5"\n  reconcileInterval: "0"\n'),
    );
    expect(problems).to.deep.equal([
      `error: ${FILE}:6: integration-config.data.minReplicas: expected an integer such as "3", got "three"`,
      `error: ${FILE}:7: integration-config.data.maxReplicas: expected an integer such as "3", got "2.5"`,
      `error: ${FILE}:8: integration-config.data.reconcileInterval: must be at least 1, got 0`,
    ]);
  });

  it("accepts typed YAML values as well as strings", () => {
    const { config, problems } = parse(
      integrationConfig("  minReplicas: 3\n  enableAutoScale: true\n  cpuLimit: 2\n"),
    );
    expect(problems).to.deep.equal([]);
    expect(config.integration).to.deep.equal({
      minReplicas: 3,
      enableAutoScale: true,
      cpuLimit: "2",
    });
  });

  it("reports bad quantities, embedded YAML and its content, each under its key", () => {
    const { problems } = parse(
      integrationConfig(
        yaml`
          reqMemory: "512MB"
          hpaMetrics: |
            - type: Resource
              resource: [
          readinessProbe: |
            tcpSocket:
              port: 8290
            httpGet:
              port: 8290
        `.replace(/^/gm, "  "),
      ),
    );
    expect(problems).to.have.length(3);
    expect(problems[0]).to.match(
      /^error: stacks\/conf\.yaml:6: integration-config\.data\.reqMemory: "512MB" is not a Kubernetes quantity; did you mean "512Mi"/,
    );
    expect(problems[1]).to.equal(
      `error: ${FILE}:7: integration-config.data.hpaMetrics: the embedded YAML is malformed: ` +
        "unexpected end of the stream within a flow collection (line 3 of the value)",
    );
    expect(problems[2]).to.match(
      /^error: stacks\/conf\.yaml:10: integration-config\.data\.readinessProbe: .*exactly one of exec, httpGet, tcpSocket/,
    );
  });

  it("checks hpaMetrics as autoscaling/v2 metrics", () => {
    const { problems } = parse(integrationConfig('  hpaMetrics: "- type: Cpu"\n'));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(
      /^error: stacks\/conf\.yaml:6: integration-config\.data\.hpaMetrics\[0\]\.type: expected "Resource", .*got "Cpu"/,
    );
  });

  it("reports unknown keys with a did-you-mean, or where they belong", () => {
    const { problems } = parse(
      integrationConfig('  minReplica: "2"\n  ingressHostName: "a.example.com"\n  color: blue\n'),
    );
    expect(problems).to.deep.equal([
      `error: ${FILE}:6: integration-config.data.minReplica: unknown key; did you mean "minReplicas"?`,
      `error: ${FILE}:7: integration-config.data.ingressHostName: unknown key here; ` +
        `"ingressHostName" belongs in the integration-ingress-config ConfigMap`,
      `error: ${FILE}:8: integration-config.data.color: unknown key; the known keys are ` +
        "reconcileInterval, autoIngressCreation, enableAutoScale, minReplicas, maxReplicas, " +
        "requestCPU, reqMemory, cpuLimit, memoryLimit, hpaMetrics, livenessProbe, readinessProbe",
    ]);
  });

  it("reports every mistake of a document at once", () => {
    const { problems } = parse(
      integrationConfig(
        '  minReplicas: "x"\n  maxReplicas: "y"\n  enableAutoScale: "maybe"\n' +
          '  cpuLimit: "lots"\n  minReplica: "1"\n',
      ),
    );
    expect(problems.map((p) => p.split(": ")[2])).to.deep.equal([
      "integration-config.data.minReplicas",
      "integration-config.data.maxReplicas",
      "integration-config.data.enableAutoScale",
      "integration-config.data.cpuLimit",
      "integration-config.data.minReplica",
    ]);
    expect(problems.every((p) => p.startsWith("error: "))).to.equal(true);
  });
});

describe("controller config: integration-ingress-config", () => {
  it("reads every key; ingress.properties values keep their colons", () => {
    const { config, problems } = parse(
      ingressConfig(
        yaml`
          ingress.properties: |
            # the class is deprecated as an annotation
            kubernetes.io/ingress.class: 'public'

            nginx.ingress.kubernetes.io/configuration-snippet: more_set_headers "X-Via: mi:8290"
            nginx.ingress.kubernetes.io/proxy-body-size: "8m"
            nginx.ingress.kubernetes.io/server-alias: "a.example.com' 
          ingressResourceName: "mi-ingress"
          ingressHostName: "*.integrations.example.com"
          tlsSecretName: "mi-tls"
          ingressTransportMode: "http"
        `.replace(/^/gm, "  "),
      ),
    );
    expect(problems).to.deep.equal([
      `note: ${FILE}:6: integration-ingress-config.data["ingress.properties"]: line 2: the ` +
        "annotation kubernetes.io/ingress.class is deprecated; it is emitted as " +
        "spec.ingressClassName: public",
      `note: ${FILE}:13: integration-ingress-config.data.ingressResourceName: accepted and not ` +
        "applied: the operator never used ingressResourceName for integrations (only its " +
        "API-gateway controllers read it) and always named their Ingress ei-operator-ingress, as " +
        "this stack does; to give the Ingress another name, set the stack's ingress.name",
    ]);
    expect(config.ingress).to.deep.equal({
      annotations: {
        "nginx.ingress.kubernetes.io/configuration-snippet": 'more_set_headers "X-Via: mi:8290"',
        "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
        "nginx.ingress.kubernetes.io/server-alias": `"a.example.com'`,
      },
      className: "public",
      host: "*.integrations.example.com",
      tlsSecretName: "mi-tls",
      transportMode: "http",
    });
    expect(config.integration).to.deep.equal({});
  });

  it("properties without the class set no class; an empty tlsSecretName is no TLS", () => {
    const { config, problems } = parse(
      ingressConfig('  ingress.properties: "a.example.com/x: 1"\n  tlsSecretName: ""\n'),
    );
    expect(problems).to.deep.equal([]);
    expect(config.ingress).to.deep.equal({ annotations: { "a.example.com/x": "1" } });
  });

  it("reports bad lines, keys, names and modes", () => {
    const { problems } = parse(
      ingressConfig(
        yaml`
          ingress.properties: |
            no colon here
            bad key!: x
            a/b: 1
            a/b: 2
          ingressResourceName: "Mi_Ingress"
          ingressHostName: "bad host"
          ingressTransportMode: "HTTPS"
          ingresHostName: "a.example.com"
          minReplicas: "1"
        `.replace(/^/gm, "  "),
      ),
    );
    const at = (line: number): string => `${FILE}:${line}: integration-ingress-config.data`;
    expect(problems).to.deep.equal([
      `error: ${at(6)}["ingress.properties"]: line 1: expected "key: value", got "no colon here"`,
      `error: ${at(6)}["ingress.properties"]: line 2: annotation key "bad key!" is not valid: ` +
        `"bad key!" must be 1-63 characters: letters, digits, '-', '_' and '.', starting and ` +
        "ending with a letter or digit",
      `warning: ${at(6)}["ingress.properties"]: line 4: "a/b" is set again; the later value is used`,
      `error: ${at(11)}.ingressResourceName: "Mi_Ingress" is not a valid name: use only lower-case ` +
        `letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "mi-ingress"`,
      `error: ${at(12)}.ingressHostName: expected a host name such as "integrations.example.com": ` +
        `"bad host" is not a valid name: use only lower-case letters, digits, '-' and '.', ` +
        `starting and ending with a letter or digit, e.g. "bad-host"`,
      `error: ${at(13)}.ingressTransportMode: expected "http" or "https", got "HTTPS"; did you mean "https"?`,
      `error: ${at(14)}.ingresHostName: unknown key; did you mean "ingressHostName"?`,
      `error: ${at(15)}.minReplicas: unknown key here; "minReplicas" belongs in the integration-config ConfigMap`,
    ]);
  });
});

describe("controller config: documents", () => {
  it("reports documents that are not the operator's two ConfigMaps, each by name", () => {
    const { config, problems } = parse(
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: integration-ingres-config
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: something-else
        ---
        apiVersion: v2
        kind: ConfigMap
        metadata:
          name: integration-config
        data:
          minReplicas: "2"
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: integration-config
        spec: {}
      `,
    );
    expect(problems).to.deep.equal([
      `error: ${FILE}:2 (document 1): kind: expected "ConfigMap", got "Deployment"; a controller ` +
        `config holds only the ConfigMaps "integration-config" and "integration-ingress-config"`,
      `error: ${FILE}:9 (document 2): metadata.name: expected "integration-config" or ` +
        `"integration-ingress-config", got "integration-ingres-config"; did you mean ` +
        `"integration-ingress-config"?`,
      `error: ${FILE}:14 (document 3): metadata.name: expected "integration-config" or ` +
        `"integration-ingress-config", got "something-else"; the operator reads no other ConfigMap`,
      `error: ${FILE}:16 (document 4): apiVersion: expected "v1", got "v2"`,
      `error: ${FILE}:27 (document 5): spec: unknown field; the known fields are apiVersion, kind, metadata, data`,
      `error: ${FILE}:26 (document 5): metadata.name: a second integration-config ConfigMap; the ` +
        "first is document 4; merge them into one",
    ]);
    expect(config.integration).to.deep.equal({ minReplicas: 2 });
  });

  it("names the line of each key, in whichever document it is", () => {
    const { problems } = parse(
      yaml`
        # the operator's controller config
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: integration-config
        data:
          minReplicas: "1"
          hpaMetrics: |
            - type: Resource
              resource: { name: cpu, target: { type: Utilization, averageUtilization: 150x } }
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: integration-ingress-config
        data:
          ingressResourceName: "mi-ingress"

          ingressHostName: "Bad_Host"
      `,
    );
    expect(problems).to.deep.equal([
      `error: ${FILE}:8 (document 1): integration-config.data.hpaMetrics[0].resource.target.` +
        'averageUtilization: expected an integer, got "150x"',
      `note: ${FILE}:17 (document 2): integration-ingress-config.data.ingressResourceName: ` +
        INGRESS_RESOURCE_NAME_NOTE,
      `error: ${FILE}:19 (document 2): integration-ingress-config.data.ingressHostName: expected ` +
        'a host name such as "integrations.example.com": "Bad_Host" is not a valid name: use ' +
        "only lower-case letters, digits, '-' and '.', starting and ending with a letter or " +
        'digit, e.g. "bad-host"',
    ]);
  });

  it("reports malformed YAML once, and an empty file as a warning", () => {
    expect(parse("data: [\n").problems).to.have.length(1);
    expect(parse("data: [\n").problems[0]).to.match(
      /^error: stacks\/conf\.yaml:\d+: YAML syntax: /,
    );
    expect(parse("# nothing\n").problems).to.deep.equal([
      `warning: ${FILE}: no ConfigMap found; expected "integration-config" or ` +
        `"integration-ingress-config"; the built-in defaults apply`,
    ]);
  });
});
