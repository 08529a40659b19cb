/**
 * Defects the fuzz tests found, each fixed where it arose, and those found probing what the
 * fuzz tests' oracle (the OpenAPI schema) cannot see: rules the API server enforces beyond its
 * schema. Each case is the smallest reproduction (hostile input has its own tests in
 * test/hostile).
 */
import { expect } from "chai";
import { validateIntegration } from "../../../components/model/integration/validate";
import { Problems, formatProblem } from "../../../components/model/problems";
import { parseStackSettings } from "../../../components/model/settings/stack";
import { parseYamlDocuments } from "../../../components/model/input/yaml";
import { crYaml } from "../../cli/run";
import { STACK_FILE, runPipeline, violations } from "./pipeline";
import { inputsViolations } from "./pulumiInputs";

function crProblems(text: string): string[] {
  const problems = new Problems();
  for (const { value, source } of parseYamlDocuments(text, "crs/aff.yaml", problems)) {
    validateIntegration(value, source, problems);
  }
  return problems.list.map(formatProblem);
}

/** A stack file whose registry password is written as `password` (YAML, unquoted). */
function stackWithPassword(password: string): string {
  return [
    "config:",
    "  wso2-mi:registryCredentials:",
    "    registry.example.com:",
    "      username: ci",
    `      password: ${password}`,
    "",
  ].join("\n");
}

const PROJECT_YAML = "name: wso2-mi\nstackConfigDir: stacks\n";
const ALIAS =
  'YAML syntax: an alias (a value starting with "*") that names no anchor; if the value is text, quote it';
const TAG =
  'YAML syntax: an unknown tag (a value starting with "!"); if the value is text, quote it';

describe("fuzz regressions", () => {
  // FUZZ_SEED=20260506: a password written without quotes that starts with "*" or "!" is an
  // alias or a tag to YAML, and the syntax error quoted it.
  it("never quotes an alias's name or a tag in a YAML syntax error (a password written unquoted)", () => {
    const shown = (password: string): string[] => {
      const input = {
        crs: [],
        stackFile: { project: PROJECT_YAML, text: stackWithPassword(password) },
      };
      const outcome = runPipeline(input);
      expect(violations({ ...input, secrets: ["Pl4nt123456S3cret"] }, outcome)).to.deep.equal([]);
      return outcome.problems.map(formatProblem);
    };
    expect(shown("*Pl4nt123456S3cret")).to.deep.equal([`error: ${STACK_FILE}:5: ${ALIAS}`]);
    expect(shown("!Pl4nt123456S3cret")).to.deep.equal([`error: ${STACK_FILE}:6: ${TAG}`]);
    expect(shown("!!Pl4nt123456S3cret")).to.deep.equal([`error: ${STACK_FILE}:6: ${TAG}`]);
    expect(shown("!x!Pl4nt123456S3cret")).to.deep.equal([`error: ${STACK_FILE}:5: ${TAG}`]);
    expect(
      crProblems(crYaml("env", ["env:", "  - {name: TOKEN, value: *Pl4nt123456S3cret}"])),
    ).to.deep.equal([`error: crs/aff.yaml:8: ${ALIAS}`]);
  });

  // FUZZ_SEED=1 (the stack file two ways): after an empty document (`...`, `---`), every scalar
  // of the stack file was passed on as JSON, so the namespace "team-a" became "\"team-a\"".
  it("reads a stack file's values alike whatever empty documents surround its config", () => {
    const crs = [{ file: "crs/cr.yaml", text: crYaml("cr") }];
    for (const lead of ["...\n", "---\n---\n", "# stack\n---\n", ""]) {
      const text = `${lead}config:\n  wso2-mi:namespace: team-a\n  wso2-mi:createNamespace: 'true'\n---\n`;
      const input = { crs, stackFile: { project: PROJECT_YAML, text } };
      const outcome = runPipeline(input);
      expect(outcome.problems.map(formatProblem)).to.deep.equal([]);
      expect(outcome.objects?.map((o) => `${o.kind} ${o.metadata?.namespace ?? ""}`)).to.deep.equal(
        ["Namespace ", "Deployment team-a", "Service team-a", "Ingress team-a"],
      );
    }
  });

  // Found probing the project file's `config:` defaults with planted credentials: they were read
  // as the stack's credentials without a word, though the project file is plain text.
  it("refuses registry credentials in the project file's config defaults, without showing them", () => {
    const project = [
      "name: wso2-mi",
      "stackConfigDir: stacks",
      "config:",
      "  registryCredentials:",
      "    default: {ghcr.io: {username: ci, password: Pl4nt123456S3cret}}",
      "",
    ].join("\n");
    const text = "config:\n  wso2-mi:registryCredentials:\n    secure: v1:abc\n";
    const input = { crs: [], stackFile: { project, text }, secrets: ["Pl4nt123456S3cret"] };
    const outcome = runPipeline(input);
    expect(violations(input, outcome)).to.deep.equal([]);
    expect(outcome.problems.map(formatProblem)).to.deep.equal([
      "error: Pulumi.yaml: wso2-mi:registryCredentials: holds credentials in plain text in the " +
        "project file; remove it there and store them encrypted in each stack instead: " +
        "pulumi config set --secret wso2-mi:registryCredentials '<JSON>'",
    ]);
  });

  it("checks the registry hosts of imageRefresh.insecureRegistries: DNS labels, IP addresses, ports 1-65535", () => {
    const problems = new Problems();
    const hosts = [
      "registry.local:5000",
      "10.0.0.7",
      "[::1]:5000",
      "localhost",
      "r.local:99999",
      "r:0",
      "[:]",
      "a..b",
      "a_b.c",
    ];
    parseStackSettings(
      { "wso2-mi:imageRefresh": JSON.stringify({ insecureRegistries: hosts }) },
      { project: "wso2-mi", stack: "fuzz", file: STACK_FILE },
      problems,
    );
    const at = `error: ${STACK_FILE}: wso2-mi:imageRefresh.insecureRegistries`;
    const notAHost = 'is not a registry host; write host[:port], e.g. "registry.local:5000"';
    expect(problems.list.map(formatProblem)).to.deep.equal([
      `${at}[4]: "r.local:99999": the port must be between 1 and 65535, got 99999`,
      `${at}[5]: "r:0": the port must be between 1 and 65535, got 0`,
      `${at}[6]: "[:]" ${notAHost}`,
      `${at}[7]: "a..b" ${notAHost}`,
      `${at}[8]: "a_b.c" ${notAHost}`,
    ]);
  });

  // FUZZ_SEED=21 FUZZ_RUNS=4 (mutated YAML text): an embedded probe or hpaMetrics of two YAML
  // documents threw "Cannot read properties of undefined (reading 'line')".
  it("refuses embedded YAML of more than one document, in the stack's defaults and the controller config", () => {
    const probe = "tcpSocket: {port: 9201}\n---\nperiodSeconds: 5\n";
    const problems = new Problems();
    parseStackSettings(
      { "wso2-mi:defaults": JSON.stringify({ livenessProbe: probe }) },
      { project: "wso2-mi", stack: "fuzz", file: STACK_FILE },
      problems,
    );
    const input = {
      crs: [],
      controllerConfig: {
        file: "stacks/conf.yaml",
        text: `{kind: ConfigMap, apiVersion: v1, metadata: {name: integration-config}, data: {hpaMetrics: "- a\\n---\\n"}}\n`,
      },
    };
    const outcome = runPipeline(input);
    expect(violations(input, outcome)).to.deep.equal([]);
    const twoDocuments =
      "the embedded YAML holds more than one document; remove the `---` and what follows";
    expect([...problems.list, ...outcome.problems].map(formatProblem)).to.deep.equal([
      `error: ${STACK_FILE}: wso2-mi:defaults.livenessProbe: ${twoDocuments}`,
      `error: stacks/conf.yaml:1: integration-config.data.hpaMetrics: ${twoDocuments}`,
    ]);
  });

  it("still names YAML's own tags, which are no one's text", () => {
    expect(crProblems("a: !!binary aGk=\n")).to.deep.equal([
      "error: crs/aff.yaml:1: YAML syntax: unknown tag !<tag:yaml.org,2002:binary>",
    ]);
  });

  it("checks selector operators against the values Kubernetes allows (the API server rejected them)", () => {
    const text = crYaml("aff", [
      "deploySpec:",
      "  affinity:",
      "    nodeAffinity:",
      "      requiredDuringSchedulingIgnoredDuringExecution:",
      "        nodeSelectorTerms:",
      "          - matchFields:",
      "              - {key: metadata.name, operator: in, values: [a]}",
      "    podAntiAffinity:",
      "      requiredDuringSchedulingIgnoredDuringExecution:",
      "        - topologyKey: kubernetes.io/hostname",
      "          labelSelector:",
      "            matchExpressions:",
      "              - {key: app, operator: Gt, values: ['1']}",
    ]);
    expect(crProblems(text)).to.deep.equal([
      "error: crs/aff.yaml:13: spec.deploySpec.affinity.nodeAffinity." +
        "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]." +
        'operator: expected "In", "NotIn", "Exists", "DoesNotExist", "Gt" or "Lt", got "in"; ' +
        'did you mean "In"?',
      "error: crs/aff.yaml:19: spec.deploySpec.affinity.podAntiAffinity." +
        "requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0]." +
        'operator: expected "In", "NotIn", "Exists" or "DoesNotExist", got "Gt"',
    ]);
  });

  it("keeps the operators Kubernetes allows, which build a Deployment the API server accepts", () => {
    const text = crYaml("aff", [
      "deploySpec:",
      "  affinity:",
      "    nodeAffinity:",
      "      requiredDuringSchedulingIgnoredDuringExecution:",
      "        nodeSelectorTerms:",
      "          - matchExpressions:",
      "              - {key: cores, operator: Gt, values: ['4']}",
      "              - {key: disk, operator: DoesNotExist}",
    ]);
    const input = { crs: [{ file: "crs/aff.yaml", text }] };
    const outcome = runPipeline(input);
    expect(violations(input, outcome)).to.deep.equal([]);
    expect(outcome.objects?.map((o) => o.kind)).to.deep.equal(["Deployment", "Service", "Ingress"]);
  });

  it("checks affinity as the API server does beyond its schema: values per operator, field selectors, weights, keys", () => {
    const text = crYaml("aff", [
      "deploySpec:",
      "  affinity:",
      "    nodeAffinity:",
      "      preferredDuringSchedulingIgnoredDuringExecution:",
      "        - weight: 0",
      "          preference:",
      "            matchExpressions:",
      "              - {key: a, operator: In, values: []}",
      "              - {key: b, operator: Exists, values: [x]}",
      "              - {key: c, operator: Lt, values: ['1', '2']}",
      "            matchFields:",
      "              - {key: metadata.labels, operator: In, values: [n]}",
      "              - {key: metadata.name, operator: Exists}",
      "    podAffinity:",
      "      requiredDuringSchedulingIgnoredDuringExecution:",
      "        - topologyKey: ''",
      "          namespaces: [Team_A]",
      "          labelSelector:",
      "            matchLabels: {'bad key!': 'bad value!'}",
      "            matchExpressions: [{key: app, operator: NotIn}]",
    ]);
    const at = "error: crs/aff.yaml";
    const node =
      "spec.deploySpec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]";
    const pod =
      "spec.deploySpec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
    expect(crProblems(text)).to.deep.equal([
      `${at}:11: ${node}.weight: must be between 1 and 100, got 0`,
      `${at}:14: ${node}.preference.matchExpressions[0].values: In needs at least one value`,
      `${at}:15: ${node}.preference.matchExpressions[1].values: Exists takes no values; remove them`,
      `${at}:16: ${node}.preference.matchExpressions[2].values: Lt needs exactly one value, an integer such as "4"`,
      `${at}:18: ${node}.preference.matchFields[0].key: nodes can be selected by "metadata.name" only, not by "metadata.labels"`,
      `${at}:19: ${node}.preference.matchFields[1].operator: a field selector takes "In" or "NotIn", not "Exists"`,
      `${at}:22: ${pod}.topologyKey: must not be empty; e.g. kubernetes.io/hostname`,
      `${at}:25: ${pod}.labelSelector.matchLabels["bad key!"]: not a label key: "bad key!" must be 1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
      `${at}:25: ${pod}.labelSelector.matchLabels["bad key!"]: "bad value!": a label value must be at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
      `${at}:26: ${pod}.labelSelector.matchExpressions[0].values: NotIn needs at least one value`,
      `${at}:23: ${pod}.namespaces[0]: "Team_A" is not a valid name: use only lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. "team-a"`,
    ]);
  });

  it("checks a probe's HTTP header names and an envFrom prefix as the API server does", () => {
    const text = crYaml("hdr", [
      "deploySpec:",
      "  readinessProbe:",
      "    httpGet: {port: 9201, httpHeaders: [{name: 'X Probe', value: a}, {name: X-Probe, value: b}]}",
      "envFrom:",
      "  - {prefix: 'A=', configMapRef: {name: shared}}",
    ]);
    expect(crProblems(text)).to.deep.equal([
      "error: crs/aff.yaml:9: spec.deploySpec.readinessProbe.httpGet.httpHeaders[0].name: " +
        "\"X Probe\" is not an HTTP header name: use letters, digits and '-'",
      'error: crs/aff.yaml:11: spec.envFrom[0].prefix: "A=" is not an envFrom prefix Kubernetes ' +
        "before 1.32 (the supported range is Kubernetes 1.30 to 1.36) accepts: use letters, " +
        "digits, '_', '-' and '.', not starting with a digit",
    ]);
  });

  describe("each Deployment's resource inputs resolve to the built object", () => {
    /** The inputs' violations for a CR `hello` (spec lines `spec`) and stack config `config`. */
    async function inputsProblems(spec: string[], config: Record<string, string>) {
      const outcome = runPipeline(
        {
          crs: [{ file: "crs/hello.yaml", text: crYaml("hello", spec) }],
          config,
        },
        true,
      );
      expect(
        outcome.problems.filter((p) => p.severity === "error").map(formatProblem),
      ).to.deep.equal([]);
      const seen = { secrets: 0, digests: 0 };
      const found = await Promise.all((outcome.inputs ?? []).map((c) => inputsViolations(c, seen)));
      return { violations: found.flat().map((v) => v.slice(0, 160)), seen };
    }

    it("an env value holding U+0000 (YAML's \\0) is no digest mark", async () => {
      const { violations: found, seen } = await inputsProblems(
        ["env:", '  - {name: A, value: "\\0digest\\0"}', '  - {name: DB_PASSWORD, value: "a\\0"}'],
        { "wso2-mi:imageRefresh": JSON.stringify({ enabled: true, mode: "annotation" }) },
      );
      expect(found).to.deep.equal([]);
      expect(seen).to.deep.equal({ secrets: 2, digests: 1 });
    });

    it("a refreshed image keeps the Deployment's pulumi.com/skipAwait annotation", async () => {
      const { violations: found, seen } = await inputsProblems([], {
        "wso2-mi:imageRefresh": JSON.stringify({ enabled: true }),
        "wso2-mi:kubernetes": JSON.stringify({ skipAwait: true }),
      });
      expect(found).to.deep.equal([]);
      expect(seen).to.deep.equal({ secrets: 0, digests: 1 });
    });
  });
});
