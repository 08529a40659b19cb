/**
 * Hostile YAML: alias bombs, self-containing aliases, deep nesting, very large files,
 * very many documents and characters YAML refuses are each one clear error naming the file (and
 * the place, when there is one), reached without walking what the aliases expand to.
 */
import { expect } from "chai";
import { parseControllerConfig } from "../../../components/model/controllerConfig/parse";
import { validateIntegration } from "../../../components/model/integration/validate";
import { Problems, formatProblem } from "../../../components/model/problems";
import { parseYamlDocuments } from "../../../components/model/input/yaml";
import {
  MAX_ALIASED_VALUES,
  MAX_YAML_BYTES,
  MAX_YAML_DOCUMENTS,
  aliasProblem,
} from "../../../components/model/input/yamlLimits";
import { crYaml } from "../../cli/run";
import { billionLaughs } from "./support";

/** What `parseYamlDocuments` reports for `text`, and how many documents it returns. */
function parse(text: string, file = "crs/x.yaml"): { lines: string[]; documents: number } {
  const problems = new Problems();
  const documents = parseYamlDocuments(text, file, problems);
  return { lines: problems.list.map(formatProblem), documents: documents.length };
}

/** Every problem of `text` read as Integration CRs. */
function crProblems(text: string): string[] {
  const problems = new Problems();
  for (const { value, source } of parseYamlDocuments(text, "crs/x.yaml", problems)) {
    validateIntegration(value, source, problems);
  }
  return problems.list.map(formatProblem);
}

const BOMB_MESSAGE =
  `YAML aliases: they expand this file by more than ${MAX_ALIASED_VALUES} values ` +
  '(a "billion laughs" alias bomb?); write the repeated parts out or alias less';
const CYCLE_MESSAGE =
  "YAML alias: it names a node that contains it, which would make the value endless; " +
  "write the value out instead";

describe("hostile YAML: aliases", () => {
  it("rejects a billion laughs (387 million values from 300 bytes) at the alias that crosses the limit", () => {
    expect(parse(billionLaughs(9))).to.deep.equal({
      lines: [`error: crs/x.yaml:6: l5[0]: ${BOMB_MESSAGE}`],
      documents: 0,
    });
  });

  it("rejects the bomb inside a CR before validation walks it", () => {
    const text = crYaml("bomb", [
      "env:",
      "  - name: A",
      "    valueFrom:",
      "      fieldRef: &f0 {fieldPath: metadata.name}",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `  - {name: B${i}, value: x, l: &f${i + 1} [${Array(10).fill(`*f${i}`).join(", ")}]}`,
      ),
    ]);
    expect(crProblems(text)).to.deep.equal([
      `error: crs/x.yaml:15: spec.env[5].l[3]: ${BOMB_MESSAGE}`,
    ]);
  });

  it("rejects an alias inside the node it names, in a mapping or a list, naming the alias's field", () => {
    expect(parse("spec: &s\n  deploySpec: *s\n").lines).to.deep.equal([
      `error: crs/x.yaml:2: spec.deploySpec: ${CYCLE_MESSAGE}`,
    ]);
    expect(parse("a: &l [1, [2, *l]]\n").lines).to.deep.equal([
      `error: crs/x.yaml:1: a[1][1]: ${CYCLE_MESSAGE}`,
    ]);
  });

  it("rejects aliases that nest values more than 100 levels deep", () => {
    const lines = ["l0: &l0 [x]"];
    for (let i = 1; i <= 120; i++) lines.push(`l${i}: &l${i} [*l${i - 1}]`);
    const { lines: problems, documents } = parse(lines.join("\n") + "\n");
    expect(documents).to.equal(0);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(
      /^error: crs\/x\.yaml:\d+: l\d+(\[0\])+: YAML aliases: they nest values more than 100 levels deep; write the repeated parts out or alias less$/,
    );
  });

  it("rejects an alias bomb embedded in a controller config value, naming the key", () => {
    const bomb = billionLaughs(9, "metrics")
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n");
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: integration-config",
      "data:",
      "  hpaMetrics: |",
      bomb,
    ].join("\n");
    const problems = new Problems();
    const config = parseControllerConfig(text, "conf.yaml", problems);
    expect(problems.list.map(formatProblem)).to.deep.equal([
      "error: conf.yaml:6: integration-config.data.hpaMetrics: the embedded YAML is refused " +
        `(at l5[0] in the value): ${BOMB_MESSAGE}`,
    ]);
    expect(config.integration).to.deep.equal({});
  });

  it("still reads anchors, aliases and merge keys used as YAML intends", () => {
    const probe = "&probe {tcpSocket: {port: 8290}, periodSeconds: 5}";
    const text = [
      crYaml("first", [`deploySpec: {livenessProbe: ${probe}, readinessProbe: *probe}`]),
      "---",
      "defaults: &defaults {pullPolicy: IfNotPresent, minReplicas: 2}",
      "apiVersion: wso2.com/v1alpha2",
      "kind: Integration",
      "metadata: {name: second}",
      "spec:",
      "  image: docker.io/wso2/second:1.0.0",
      "  deploySpec:",
      "    <<: *defaults",
      "    minReplicas: 3",
    ].join("\n");
    const problems = new Problems();
    const documents = parseYamlDocuments(text, "crs/x.yaml", problems);
    expect(problems.list).to.deep.equal([]);
    const deploySpecs = documents.map(
      (d) => (d.value as { spec: { deploySpec: unknown } }).spec.deploySpec,
    );
    expect(deploySpecs).to.deep.equal([
      {
        livenessProbe: { tcpSocket: { port: 8290 }, periodSeconds: 5 },
        readinessProbe: { tcpSocket: { port: 8290 }, periodSeconds: 5 },
      },
      { pullPolicy: "IfNotPresent", minReplicas: 3 },
    ]);
  });

  it("counts what shared nodes expand to once each, so that wide sharing stays linear", () => {
    // Five values each: the mapping, the list and its three numbers.
    const shared = { a: [1, 2, 3] };
    const fits = MAX_ALIASED_VALUES / 5;
    expect(aliasProblem([Array.from({ length: fits + 1 }, () => shared)])).to.equal(undefined);
    expect(aliasProblem([[], Array.from({ length: fits + 2 }, () => shared)])).to.deep.equal({
      index: 1,
      path: `[${fits + 1}]`,
      message: BOMB_MESSAGE,
    });
  });
});

describe("hostile YAML: size, documents and nesting", () => {
  it("rejects text over 5 MiB without parsing it", () => {
    const text = `a: "${"x".repeat(MAX_YAML_BYTES)}"\n`;
    expect(parse(text)).to.deep.equal({
      lines: [
        "error: crs/x.yaml: the file is 5.1 MiB, over the limit of 5 MiB; split it into several " +
          "files (a folder of CR files is read whole)",
      ],
      documents: 0,
    });
  });

  it("counts bytes, not characters: 2 million three-byte characters are over the limit", () => {
    expect(parse(`a: ${"€".repeat(2_000_000)}\n`).lines).to.have.length(1);
    expect(parse(`a: ${"x".repeat(2_000_000)}\n`).lines).to.deep.equal([]);
  });

  it("reads 1,000 documents and rejects 1,001, stopping at the 1,001st", () => {
    const cr = (i: number): string => crYaml(`i${i}`);
    const thousand = Array.from({ length: MAX_YAML_DOCUMENTS }, (_, i) => cr(i)).join("---\n");
    expect(parse(thousand)).to.deep.equal({ lines: [], documents: MAX_YAML_DOCUMENTS });
    expect(parse(`${thousand}---\n${cr(1000)}`)).to.deep.equal({
      lines: [
        "error: crs/x.yaml: the file holds more than 1000 YAML documents; split it into several " +
          "files (a folder of CR files is read whole)",
      ],
      documents: 0,
    });
  });

  it("rejects a million empty documents (4 MB of `---`) as too many", () => {
    expect(parse("---\n".repeat(1_000_000)).lines).to.deep.equal([
      "error: crs/x.yaml: the file holds more than 1000 YAML documents; split it into several " +
        "files (a folder of CR files is read whole)",
    ]);
  });

  it("rejects nesting deeper than 100 levels, however deep, as one syntax error", () => {
    for (const depth of [101, 100_000]) {
      const { lines, documents } = parse(`a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`);
      expect(documents).to.equal(0);
      expect(lines).to.deep.equal([
        "error: crs/x.yaml:1: YAML syntax: values are nested more than 100 levels deep",
      ]);
    }
  });
});

describe("hostile YAML: characters and types YAML or Kubernetes do not have", () => {
  it("names a character YAML refuses, and its line", () => {
    expect(parse("a: 1\nb: x\u0007y\nc: 3\n").lines).to.deep.equal([
      'error: crs/x.yaml:2: YAML syntax: the character U+0007 is not allowed in YAML; remove it or write it as an escape ("\\u0007") in a double-quoted string',
    ]);
    expect(parse("a: 1\nb: x\ud800").lines).to.deep.equal([
      'error: crs/x.yaml:2: YAML syntax: the character U+D800 is not allowed in YAML; remove it or write it as an escape ("\\uD800") in a double-quoted string',
    ]);
  });

  it("keeps a syntax error's line within the file", () => {
    expect(parse('a: 1\nb: "open').lines).to.deep.equal([
      "error: crs/x.yaml:2: YAML syntax: unexpected end of the stream within a double quoted scalar",
    ]);
  });

  it("reads dates as strings, as Kubernetes does, so a date is no mapping", () => {
    expect(crProblems(crYaml("dated", ["deploySpec: 2024-01-01"]))).to.deep.equal([
      'error: crs/x.yaml:7: spec.deploySpec: expected a mapping, got "2024-01-01"',
    ]);
    expect(
      crProblems(crYaml("dated").replace("  name: dated", "  name: dated\n  labels: 2024-01-01")),
    ).to.deep.equal([
      'error: crs/x.yaml:5: metadata.labels: expected a mapping of strings, got "2024-01-01"',
    ]);
  });

  it("refuses the tags that are not Kubernetes' (!!binary, !!set, !!omap, !!pairs)", () => {
    for (const tag of ["!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]"]) {
      const name = tag.slice(2, tag.indexOf(" "));
      expect(parse(`a: ${tag}\n`).lines).to.deep.equal([
        `error: crs/x.yaml:1: YAML syntax: unknown tag !<tag:yaml.org,2002:${name}>`,
      ]);
    }
  });

  it("writes a value's control, line-separator and bidi characters as escapes in messages", () => {
    const text = crYaml("odd", ['imagePullSecret: "a\\u2028b\\u202ec\\u0085d\\te"']);
    expect(crProblems(text)).to.deep.equal([
      "error: crs/x.yaml:7: spec.imagePullSecret: not a Secret name: \"a\\u2028b\\u202ec\\u0085d\\te\" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. \"a-b-c-d-e\"",
    ]);
  });

  it("reports a 2-million-character unknown field once, with the known fields and 60 of its characters", () => {
    const key = "k".repeat(2_000_000);
    const problems = crProblems(crYaml("long", [`${key}: 1`]));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.equal(
      `error: crs/x.yaml:7: spec.${"k".repeat(60)}\u2026: unknown field; the known fields are autoScale, deploySpec, ` +
        "env, envFrom, expose, image, imagePullSecret",
    );
  });
});
