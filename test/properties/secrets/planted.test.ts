/**
 * Secret values planted in a CR's env and in the stack's registry credentials, searched for in
 * everything each command prints, logs, exports and hands the engine. Render's stdout is the
 * manifest itself, so it is the one place env values may appear; registry credentials appear
 * nowhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { main as render } from "../../../cli/render/main";
import { main as start } from "../../../cli/start/main";
import { crYaml, run } from "../../cli/run";
import { cleanUp, outDir, project, renderOut, runPlan } from "../../cli/plan/support";
import {
  installMocks,
  runProgram,
  runRefusedProgram,
  type StateFor,
} from "../../components/harness";
import { IMAGE_DIGEST_TYPE } from "../../../provider/imageDigest";

/** Env values whose names look secret, by name. */
const ENV_SECRETS: Record<string, string> = {
  DB_PASSWORD: "pl4nted-db-Pa55",
  apiKey: "pl4nted-api-k3y",
  SESSION_TOKEN: "pl4nted-s3ssion-t0ken",
};
/** A probe header's value whose name (Authorization) looks secret. */
const HEADER_SECRET = "pl4nted-b3arer";
const REGISTRY_PASSWORD = "pl4nted-registry-Pa55";
const PLANTED = [...Object.values(ENV_SECRETS), HEADER_SECRET, REGISTRY_PASSWORD];

const WARNING =
  "the name looks secret but the value is written in the CR, so git and the Deployment hold it " +
  "in plain text: keep it in a Secret and write valueFrom.secretKeyRef: {name: <secret>, key: " +
  "<key>} instead of value";

const HEADER_WARNING =
  "the name looks secret but the value is written in the CR, so git and the Deployment hold it " +
  "in plain text: a probe header cannot come from a Secret; an exec probe can send it from an " +
  "env variable set with valueFrom.secretKeyRef";

/** The planted values (and their base64, as a Docker config would hold them) found in `text`. */
function leaks(text: string, planted: readonly string[] = PLANTED): string[] {
  return planted.filter(
    (value) => text.includes(value) || text.includes(Buffer.from(value).toString("base64")),
  );
}

/** Writes the CR `hello` of `dir`. */
function writeCr(dir: string, specLines: string[]): void {
  fs.writeFileSync(path.join(dir, "crs/hello.yaml"), crYaml("hello", specLines));
}

/** The plan between two render folders; it must succeed quietly. */
function planOutput(before: string, after: string, format: string): string {
  const result = runPlan(["--before", before, "--after", after, "--format", format]);
  expect(result.code, result.stderr).to.equal(0);
  expect(result.stderr).to.equal("");
  return result.stdout;
}

/** The CR's env with `secrets`, and a readiness probe sending {@link HEADER_SECRET}. */
function envLines(secrets: Record<string, string>): string[] {
  return [
    "deploySpec:",
    "  readinessProbe:",
    "    httpGet:",
    "      port: 9201",
    "      path: /health",
    "      httpHeaders:",
    "        - name: Authorization",
    `          value: Bearer ${HEADER_SECRET}`,
    "env:",
    "  - name: DB_URL",
    "    value: jdbc:postgresql://db/app",
    ...Object.entries(secrets).flatMap(([name, value]) => [
      `  - name: ${name}`,
      `    value: ${value}`,
    ]),
  ];
}

/** A stack `dev` of one CR with planted env secrets, and planted registry credentials. */
function plantedProject(extraSettings: string[] = []): string {
  return project({
    "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
    "crs/hello.yaml": crYaml("hello", envLines(ENV_SECRETS)),
    "stacks/Pulumi.dev.yaml": [
      "config:",
      "  wso2-mi:namespace: apps",
      "  wso2-mi:crs: [crs]",
      ...extraSettings,
      "",
    ].join("\n"),
  });
}

const CREDENTIALS_OF_WRONG_SHAPE = `  wso2-mi:registryCredentials: '{"registry.example.com": {"username": "ci", "password": "${REGISTRY_PASSWORD}", "email": 1}}'`;

describe("secrets: planted values in every output", () => {
  after(cleanUp);

  describe("the commands", () => {
    it("render prints the manifest with the env values (it is the manifest), and warns without them", () => {
      const dir = plantedProject();
      const result = run(render, ["--stack", "dev"], dir);
      expect(result.code, result.stderr).to.equal(0);
      expect(leaks(result.stdout)).to.deep.equal([...Object.values(ENV_SECRETS), HEADER_SECRET]);
      expect(leaks(result.stderr)).to.deep.equal([]);
      const warnings = result.stderr.split("\n").filter((line) => line.startsWith("warning:"));
      expect(warnings).to.deep.equal([
        `warning: crs/hello.yaml:14: spec.deploySpec.readinessProbe.httpGet.httpHeaders[0].value: ${HEADER_WARNING}`,
        `warning: crs/hello.yaml:19: spec.env[1].value: ${WARNING}`,
        `warning: crs/hello.yaml:21: spec.env[2].value: ${WARNING}`,
        `warning: crs/hello.yaml:23: spec.env[3].value: ${WARNING}`,
      ]);
    });

    it("npm start shows none of them", () => {
      const dir = plantedProject();
      const result = run(start, ["--stack", "dev"], dir);
      expect(result.code, result.stderr).to.equal(0);
      expect(leaks(result.stdout + result.stderr)).to.deep.equal([]);
      expect(result.stderr).to.contain(WARNING);
    });

    for (const format of ["text", "markdown", "json"]) {
      it(`plan (${format}) shows none of them, whether created, changed or deleted`, () => {
        const dir = plantedProject();
        const created = renderOut(dir, ["--stack", "dev"]);
        const empty = outDir([]);
        writeCr(dir, envLines({ ...ENV_SECRETS, DB_PASSWORD: "pl4nted-new-Pa55" }));
        const changed = renderOut(dir, ["--stack", "dev"]);
        const outputs = [
          planOutput(empty, created, format),
          planOutput(created, changed, format),
          planOutput(changed, empty, format),
        ];
        expect(outputs[1]).to.contain("[secret]");
        for (const output of outputs) {
          expect(leaks(output, [...PLANTED, "pl4nted-new-Pa55"])).to.deep.equal([]);
        }
      });
    }

    it("an error about a secret's value or the registry credentials shows neither", () => {
      const dir = plantedProject([CREDENTIALS_OF_WRONG_SHAPE]);
      writeCr(dir, ["env:", "  - name: ADMIN_PWD", "    value: 918273645"]);
      for (const main of [render, start]) {
        const result = run(main, ["--stack", "dev"], dir);
        expect(result.code).to.equal(1);
        expect(result.stdout).to.equal("");
        expect(leaks(result.stderr, [...PLANTED, "918273645"])).to.deep.equal([]);
        expect(result.stderr).to.contain(
          "spec.env[0].value: expected a string, got a number (not shown: the name looks secret); quote it",
        );
        expect(result.stderr).to.contain("wso2-mi:registryCredentials");
      }
    });
  });

  describe("the program under mocks", () => {
    const DIGEST = `sha256:${"e".repeat(64)}`;
    const digests: StateFor = (type, inputs) =>
      type === IMAGE_DIGEST_TYPE
        ? {
            ...inputs,
            digest: DIGEST,
            pinned: `docker.io/wso2/hello@${DIGEST}`,
          }
        : inputs;
    const SECRET = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig };

    /** Every place in `value` a planted value sits, and whether a Pulumi secret wraps it. */
    function placesOf(value: unknown, at = "", inSecret = false): string[] {
      if (typeof value === "string") {
        return leaks(value).length > 0 ? [`${at}${inSecret ? " (secret)" : ""}`] : [];
      }
      if (Array.isArray(value))
        return value.flatMap((v, i) => placesOf(v, `${at}[${i}]`, inSecret));
      if (typeof value !== "object" || value === null) return [];
      const record = value as Record<string, unknown>;
      const secret = record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
      if (secret) return placesOf(record.value, at, true);
      return Object.entries(record).flatMap(([k, v]) => placesOf(v, `${at}.${k}`, inSecret));
    }

    const refreshModes: [string, string[]][] = [
      ["without image refresh", []],
      ["with image refresh, mode digest", ["  wso2-mi:imageRefresh: {enabled: true}"]],
      [
        "with image refresh, mode annotation",
        ["  wso2-mi:imageRefresh: {enabled: true, mode: annotation}"],
      ],
    ];

    for (const [title, settings] of refreshModes) {
      it(`hands the engine each planted env value and header as a Pulumi secret, and nothing else, ${title}`, async () => {
        const dir = plantedProject(settings);
        const config: Record<string, string> = {
          "wso2-mi:namespace": "apps",
          "wso2-mi:crs": JSON.stringify(["crs"]),
        };
        if (settings.length > 0) {
          config["wso2-mi:imageRefresh"] = JSON.stringify(
            settings[0].includes("annotation")
              ? { enabled: true, mode: "annotation" }
              : { enabled: true },
          );
        }
        const run = await runProgram(dir, "wso2-mi", "dev", config, digests);
        const places = run.registrations.flatMap((r) => placesOf(r.inputs, `${r.type}::${r.name}`));
        const container =
          "kubernetes:apps/v1:Deployment::apps/hello-deployment.spec.template.spec.containers[0]";
        const env = `${container}.env`;
        expect(places).to.deep.equal([
          `${env}[1].value (secret)`,
          `${env}[2].value (secret)`,
          `${env}[3].value (secret)`,
          `${container}.readinessProbe.httpGet.httpHeaders[0].value (secret)`,
        ]);
        const deployment = run.registrations.find((r) => r.name === "apps/hello-deployment");
        const spec = JSON.stringify(deployment?.inputs.spec);
        expect(spec).to.contain(
          JSON.stringify({ name: "DB_URL", value: "jdbc:postgresql://db/app" }),
        );
        expect(spec).to.contain(JSON.stringify(SECRET).slice(1, -1));
        if (settings.length > 0) expect(spec).to.contain(DIGEST);
        expect(leaks(JSON.stringify(run.integrations))).to.deep.equal([]);
        expect(leaks(JSON.stringify(run.log))).to.deep.equal([]);
        expect(run.log.warnings.filter((w) => w.includes(WARNING))).to.have.length(3);
      });
    }

    it("refuses bad input without showing a secret value", async () => {
      const dir = plantedProject([CREDENTIALS_OF_WRONG_SHAPE]);
      writeCr(dir, ["env:", "  - name: ADMIN_PWD", "    value: 918273645"]);
      const inputs = installMocks("wso2-mi", "dev", {
        "wso2-mi:namespace": "apps",
        "wso2-mi:crs": JSON.stringify(["crs"]),
        "wso2-mi:registryCredentials": JSON.stringify({
          "registry.example.com": { username: "ci", password: REGISTRY_PASSWORD, email: 1 },
        }),
      });
      const { message, log } = await runRefusedProgram(dir);
      expect([...inputs.keys()]).to.deep.equal([]);
      expect(leaks(message + JSON.stringify(log), [...PLANTED, "918273645"])).to.deep.equal([]);
      const errors = log.errors.join("\n");
      expect(errors).to.contain("(not shown: the name looks secret)");
      expect(errors).to.contain("wso2-mi:registryCredentials");
    });

    it("refuses registry credentials Pulumi holds in plain text, without showing them", async () => {
      const dir = plantedProject();
      const config = {
        "wso2-mi:namespace": "apps",
        "wso2-mi:crs": JSON.stringify(["crs"]),
        "wso2-mi:registryCredentials": JSON.stringify({
          "registry.example.com": { username: "ci", password: REGISTRY_PASSWORD },
        }),
      };
      const inputs = installMocks("wso2-mi", "dev", config, undefined, undefined, []);
      const { message, log } = await runRefusedProgram(dir);
      expect([...inputs.keys()]).to.deep.equal([]);
      expect(leaks(message + JSON.stringify(log))).to.deep.equal([]);
      expect(log.errors).to.deep.equal([
        "stacks/Pulumi.dev.yaml: wso2-mi:registryCredentials: holds credentials in plain text; " +
          "store them encrypted instead: pulumi config set --secret wso2-mi:registryCredentials '<JSON>'",
      ]);
      const run = await runProgram(dir, "wso2-mi", "dev", config);
      expect(run.log.errors).to.deep.equal([]);
    });
  });
});
