import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { load, loadAll } from "js-yaml";
import { INTEGRATION_CRD_SCHEMA } from "../../../components/model/integration/crdSchema";
import { validateIntegration } from "../../../components/model/integration/validate";
import { Problems } from "../../../components/model/problems";
import type { SchemaNode } from "../../../components/model/rules";
import type { IntegrationCR } from "../../../components/model/types";
import { parseYamlDocuments } from "../../../components/model/input/yaml";
import { reported } from "../support";

/** Verbatim copies of the operator's CRD, sample CR and docs (see the README there). */
const OPERATOR = path.join(__dirname, "..", "..", "fixtures", "operator");
const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "crs");

function validate(
  text: string,
  file: string,
): { cr: IntegrationCR | undefined; problems: string[] } {
  const problems = new Problems();
  const docs = parseYamlDocuments(text, file, problems);
  expect(docs).to.have.length(1);
  const cr = validateIntegration(docs[0].value, docs[0].source, problems);
  return { cr, problems: reported(problems) };
}

/** The docs' full example CR (`manage-integrations.md`, step 4), with the `.....` line removed. */
function docsExample(): string {
  const md = fs.readFileSync(path.join(OPERATOR, "manage-integrations.md"), "utf8");
  const block =
    /```yaml\n( {4}apiVersion: "wso2\.com\/v1alpha2"\n {4}kind: "Integration"\n {4}metadata:\n {6}name: "sample-integration"[\s\S]*?) {4}```/.exec(
      md,
    );
  expect(block, "the docs' example CR").to.not.equal(null);
  return block![1]
    .split("\n")
    .filter((line) => line.trim() !== ".....")
    .map((line) => line.slice(4))
    .join("\n");
}

describe("integration: the reference and documented CRs", () => {
  it("validates the reference sample CR without problems, normalized", () => {
    const text = fs.readFileSync(path.join(OPERATOR, "sample_integration_cr.yaml"), "utf8");
    const { cr, problems } = validate(text, "crs/sample_integration_cr.yaml");
    expect(problems).to.deep.equal([]);
    expect(cr).to.deep.equal({
      source: { file: "crs/sample_integration_cr.yaml", line: 17 },
      apiVersion: "wso2.com/v1alpha2",
      metadata: { name: "test-integration" },
      spec: {
        image: "sajithagimash/test:1.0.0",
        deploySpec: {
          minReplicas: 1,
          requestCPU: "500m",
          reqMemory: "512Mi",
          cpuLimit: "2000m",
          memoryLimit: "2048Mi",
        },
        autoScale: { enabled: true, maxReplicas: 3 },
        expose: { passthroPort: 8290, inboundPorts: [8000] },
        env: [{ name: "DEV_ENV_USER_EP", value: "https://reqres.in/api" }],
        envFrom: [],
      },
    });
  });

  it("validates the docs' example CR, with its placeholders filled in, with two warnings", () => {
    const text = docsExample()
      .replace(
        '"<Docker image for the Hello World Scenario>"',
        "registry.example.com/hello-world:1.0.0",
      )
      .replace("CONFIG_MAP_NAME", "config-map-name")
      .replace("SECRET_NAME", "secret-name");
    const { cr, problems } = validate(text, "crs/integration_cr.yaml");
    expect(problems).to.deep.equal([
      `warning: crs/integration_cr.yaml:42: spec.env[2].valueFrom.configMapRef: the operator's docs spell this "configMapRef"; Kubernetes calls it "configMapKeyRef", which is what is deployed: rename it`,
      `warning: crs/integration_cr.yaml:48: spec.envFrom[1].secretKeyRef: the operator's docs spell this "secretKeyRef"; Kubernetes calls it "secretRef", which is what is deployed: rename it`,
    ]);
    expect(cr).to.deep.equal({
      source: { file: "crs/integration_cr.yaml", line: 1 },
      apiVersion: "wso2.com/v1alpha2",
      metadata: { name: "sample-integration" },
      spec: {
        image: "registry.example.com/hello-world:1.0.0",
        deploySpec: {
          minReplicas: 1,
          requestCPU: "500m",
          reqMemory: "512Mi",
          cpuLimit: "2000m",
          memoryLimit: "2048Mi",
          livenessProbe: { tcpSocket: { port: 8290 }, initialDelaySeconds: 30, periodSeconds: 10 },
          readinessProbe: {
            httpGet: { path: "/healthz", port: 9201 },
            initialDelaySeconds: 30,
            periodSeconds: 10,
          },
        },
        autoScale: { enabled: true, maxReplicas: 3 },
        expose: { passthroPort: 8290, inboundPorts: [8000, 9000] },
        env: [
          { name: "DEV_ENV_USER_EP", value: "https://reqres.in/api" },
          {
            name: "SECRET_USERNAME",
            valueFrom: { secretKeyRef: { name: "backend-user", key: "backend-username" } },
          },
          {
            name: "CONFIGMAP_USERNAME",
            valueFrom: { configMapKeyRef: { name: "backend-map", key: "backend-username" } },
          },
        ],
        envFrom: [
          { configMapRef: { name: "config-map-name" } },
          { secretRef: { name: "secret-name" } },
        ],
      },
    });
  });

  it("reports the docs' placeholders, as written, as the names Kubernetes would reject", () => {
    const { cr, problems } = validate(docsExample(), "crs/integration_cr.yaml");
    expect(cr).to.equal(undefined);
    expect(problems).to.deep.equal([
      `error: crs/integration_cr.yaml:6: spec.image: "<Docker image for the Hello World Scenario>" is a placeholder from the operator's documentation; write the image your integration was pushed as, e.g. registry.example.com/team/hello:1.0.0`,
      `warning: crs/integration_cr.yaml:42: spec.env[2].valueFrom.configMapRef: the operator's docs spell this "configMapRef"; Kubernetes calls it "configMapKeyRef", which is what is deployed: rename it`,
      `error: crs/integration_cr.yaml:47: spec.envFrom[0].configMapRef.name: not a ConfigMap name: "CONFIG_MAP_NAME" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "config-map-name"`,
      `warning: crs/integration_cr.yaml:48: spec.envFrom[1].secretKeyRef: the operator's docs spell this "secretKeyRef"; Kubernetes calls it "secretRef", which is what is deployed: rename it`,
      `error: crs/integration_cr.yaml:49: spec.envFrom[1].secretKeyRef.name: not a Secret name: "SECRET_NAME" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "secret-name"`,
    ]);
  });
});

describe("integration: the docs' examples as copied", () => {
  it("says the docs' `.....` line is a placeholder, not a YAML syntax error", () => {
    const md = fs.readFileSync(path.join(OPERATOR, "manage-integrations.md"), "utf8");
    const block = /```yaml\n( {4}apiVersion: "wso2\.com\/v1alpha2"[\s\S]*?) {4}```/.exec(md);
    expect(block, "the docs' example CR").to.not.equal(null);
    const text = block![1]
      .split("\n")
      .map((line) => line.slice(4))
      .join("\n");
    const dots = text.split("\n").findIndex((line) => line.trim() === ".....") + 1;
    expect(dots).to.be.greaterThan(0);
    const problems = new Problems();
    expect(parseYamlDocuments(text, "crs/integration_cr.yaml", problems)).to.deep.equal([]);
    expect(reported(problems)).to.deep.equal([
      `error: crs/integration_cr.yaml:${dots}: dots alone on a line are the documentation's placeholder for lines it leaves out: remove the line, or write out what it stands for`,
    ]);
  });

  it("says `...` inside a list is a placeholder, and leaves `...` ending a document to YAML", () => {
    const cr = (tail: string): string =>
      `apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: a\nspec:\n  image: a:1\n  expose:\n    inboundPorts:\n      - 8000\n${tail}`;
    const inList = new Problems();
    parseYamlDocuments(cr("      ...\n"), "a.yaml", inList);
    expect(reported(inList)).to.deep.equal([
      "error: a.yaml:10: dots alone on a line are the documentation's placeholder for lines it leaves out: remove the line, or write out what it stands for",
    ]);
    const ended = new Problems();
    expect(parseYamlDocuments(cr("...\n"), "a.yaml", ended)).to.have.length(1);
    expect(reported(ended)).to.deep.equal([]);
  });
});

/** Every property path of a schema, `[]` for list items: what a CR using every field must contain. */
function schemaPaths(node: SchemaNode, prefix: string): string[] {
  const paths: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const here = prefix === "" ? key : `${prefix}.${key}`;
    paths.push(here, ...schemaPaths(child, here));
    if (child.items !== undefined) paths.push(...schemaPaths(child.items, `${here}[]`));
  }
  return paths;
}

function valuePaths(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuePaths(item, `${prefix}[]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = prefix === "" ? key : `${prefix}.${key}`;
    return [here, ...valuePaths(child, here)];
  });
}

describe("integration: every field of the operator's CRD", () => {
  const text = fs.readFileSync(path.join(FIXTURES, "full_integration_cr.yaml"), "utf8");
  const raw = loadAll(text) as { spec: Record<string, unknown> }[];

  it("embeds the CRD's v1alpha2 openAPIV3Schema, descriptions left out", () => {
    const crd = load(
      fs.readFileSync(path.join(OPERATOR, "wso2.com_integrations_crd.yaml"), "utf8"),
    ) as { spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } };
    const strip = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(strip);
      if (typeof v !== "object" || v === null) return v;
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== "description")
          .map(([k, c]) => [k, strip(c)]),
      );
    };
    expect(crd.spec.versions.map((v) => v.name)).to.deep.equal(["v1alpha2"]);
    expect(INTEGRATION_CRD_SCHEMA).to.deep.equal(
      strip(crd.spec.versions[0].schema.openAPIV3Schema),
    );
  });

  it("has a fixture that uses every property the CRD defines", () => {
    const used = new Set(raw.flatMap((doc) => valuePaths(doc, "")));
    const missing = schemaPaths(INTEGRATION_CRD_SCHEMA, "").filter((p) => !used.has(p));
    expect(missing).to.deep.equal([]);
  });

  it("accepts those CRs without problems and keeps every field", () => {
    const problems = new Problems();
    const crs = parseYamlDocuments(text, "crs/full.yaml", problems).map((d) =>
      validateIntegration(d.value, d.source, problems),
    );
    expect(reported(problems)).to.deep.equal([]);
    const deploySpec = raw[0].spec.deploySpec as Record<string, unknown>;
    expect(crs[0]).to.deep.equal({
      source: { file: "crs/full.yaml", document: 1, line: 3 },
      apiVersion: "integration.wso2.com/v1alpha2",
      metadata: {
        name: "full-integration",
        namespace: "team-a",
        labels: { "app.kubernetes.io/part-of": "orders" },
        annotations: { "example.com/owner": "team-a: orders" },
      },
      spec: {
        ...raw[0].spec,
        deploySpec: { ...deploySpec, cpuLimit: "2" },
        autoScale: { enabled: true, maxReplicas: 6 },
      },
    });
    expect(crs[0]!.spec.env[4].valueFrom?.resourceFieldRef?.divisor).to.equal("1Mi");
    expect(crs[1]!.spec.deploySpec).to.deep.equal(raw[1].spec.deploySpec);
    expect(crs[2]!.spec.deploySpec).to.deep.equal(raw[2].spec.deploySpec);
  });
});
