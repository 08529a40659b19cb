/**
 * Defects the fuzz tests found, each fixed where it arose, and those found probing what the
 * fuzz tests' oracle (the OpenAPI schema) cannot see: rules the API server enforces beyond its
 * schema. Each case is the smallest reproduction (hostile input has its own tests in
 * test/hostile).
 */
import { expect } from "chai";
import { validateIntegration } from "../../components/spec/integration";
import { Problems, formatProblem } from "../../components/spec/problems";
import { parseYamlDocuments } from "../../components/spec/yaml";
import { crYaml } from "../cli/run";
import { runPipeline, violations } from "./pipeline";

function crProblems(text: string): string[] {
  const problems = new Problems();
  for (const { value, source } of parseYamlDocuments(text, "crs/aff.yaml", problems)) {
    validateIntegration(value, source, problems);
  }
  return problems.list.map(formatProblem);
}

describe("fuzz regressions", () => {
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
      'error: crs/aff.yaml:11: spec.envFrom[0].prefix: must not contain "=", got "A="',
    ]);
  });
});
