/**
 * No secret in any message (issue 15): at most 60 characters of any value in any message, of
 * every command, however long the value (1 MB values, long git refs); and never a value that may
 * be a secret: a number where an env value's string belongs, an env `name` that holds
 * `NAME=value`, a scalar where a `secretKeyRef` mapping belongs, a `.env` line saved as a CR,
 * `user:password` in an image reference.
 */
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { main as plan } from "../../../cli/plan/main";
import { crYaml, run } from "../../cli/run";
import { cleanUp, project } from "../../cli/plan/support";
import { COMMANDS, commitAll, everyCommand, type CommandRun } from "../hostile/commands";

const PROJECT = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";
const STACK = ["config:", "  wso2-mi:namespace: apps", "  wso2-mi:crs: [crs]", ""].join("\n");
const PROGRAM_CONFIG = { "wso2-mi:namespace": "apps", "wso2-mi:crs": '["crs"]' };

/** A value of about `bytes` characters, repeating a pattern no message could make up. */
function longValue(bytes: number, unit = "q7Zk3"): string {
  return unit.repeat(Math.ceil(bytes / unit.length));
}

/**
 * The pieces of `value` longer than 60 characters that `text` shows: `value` repeats a unit, so
 * every window of 61 characters is one of unit-length many.
 */
function shownPast60(text: string, value: string, unit: string): string[] {
  const windows = Array.from({ length: unit.length }, (_, i) => value.slice(i, i + 61));
  return windows.filter((w) => w.length === 61 && text.includes(w));
}

/** Every command's output, each line at most as long as it says. */
function outputs(runs: CommandRun[]): string {
  return runs.map((r) => `${r.command}\n${r.stdout}\n${r.stderr}`).join("\n");
}

describe("secrets: values in messages", () => {
  after(cleanUp);

  it("no message of any command shows more than 60 characters of a 1 MB value", async () => {
    const unit = "q7Zk3";
    const big = longValue(1024 * 1024, unit);
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "stacks/Pulumi.dev.yaml": [
        "config:",
        `  wso2-mi:namespace: ${big}`,
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:controllerConfig: controller.yaml",
        "  wso2-mi:defaults:",
        `    ${big}: 1`,
        `    requestCPU: ${big}`,
        "  wso2-mi:ingress:",
        `    host: ${big}`,
        "",
      ].join("\n"),
      "controller.yaml": [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: integration-ingress-config",
        "data:",
        `  ingressHostName: ${big}`,
        `  ingress.properties: "${big}"`,
        "",
      ].join("\n"),
      // At most four values a file: five of 1 MB are over the 5 MiB a file may hold.
      "crs/a.yaml": crYaml("a", [
        `imagePullSecret: ${big}`,
        "deploySpec:",
        `  reqMemory: ${big}`,
        `  pullPolicy: ${big}`,
      ]).replace("image: docker.io/wso2/a:1.0.0", `image: ${big}`),
      "crs/c.yaml": crYaml("c", [
        "deploySpec:",
        "  livenessProbe:",
        `    httpGet: {port: 8290, path: ${big}, scheme: ${big}}`,
        "env:",
        `  - name: ${big}`,
        "    value: x",
      ]),
      "crs/d.yaml": crYaml("d", [
        "env:",
        `  - name: ${big}=1`,
        "envFrom:",
        `  - {configMapRef: {name: c}, prefix: ${big}}`,
        `${big}: 1`,
      ]),
      "crs/b.yaml": crYaml("b").replace("  name: b\n", `  name: ${big}\n  namespace: ${big}\n`),
    });
    const config = {
      ...PROGRAM_CONFIG,
      "wso2-mi:namespace": big,
      "wso2-mi:controllerConfig": "controller.yaml",
    };
    const runs = await everyCommand(dir, { programConfig: config });
    expect(runs.map((r) => r.command)).to.deep.equal(COMMANDS);
    for (const result of runs) {
      const where = `${result.command}: ${result.stderr.slice(0, 2000)}`;
      expect(result.code, where).to.equal(1);
      // Every problem is there, each one line, none of them long.
      const lines = result.stderr.split("\n").filter((l) => l !== "");
      expect(lines.length, where).to.be.above(10);
      for (const line of lines) expect(line.length, line.slice(0, 300)).to.be.below(1200);
    }
    expect(shownPast60(outputs(runs), big, unit)).to.deep.equal([]);
  });

  it("plan shows at most 60 characters of a long git revision", () => {
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "stacks/Pulumi.dev.yaml": STACK,
      "crs/a.yaml": crYaml("a", ["deploySpec:", "  minReplicas: -1"]),
    });
    commitAll(dir);
    const unit = "r3fZ9/";
    // A real branch: git allows 255 characters per part, any number of parts.
    const branch = longValue(1200, unit).replace(/\/$/, "");
    execFileSync("git", ["branch", branch], { cwd: dir });
    const missing = `${branch}-missing`;
    const runs = [
      { command: "existing", ...run(plan, ["--stack", "dev", "--base", branch], dir) },
      { command: "missing", ...run(plan, ["--stack", "dev", "--base", missing], dir) },
    ];
    for (const result of runs) {
      expect(result.code, result.stderr).to.equal(1);
      expect(result.stderr, result.command).to.include(`${branch.slice(0, 60)}... (`);
    }
    expect(runs[0].stderr.split("\n").filter((l) => l !== "")).to.have.length(2);
    expect(shownPast60(outputs(runs), branch, unit)).to.deep.equal([]);
  });

  describe("values that may be secrets, in every command", () => {
    const PLANTED = "pl4nted-s3cret-value";
    const cases: [string, Record<string, string>, string][] = [
      [
        "a number where an env value's string belongs",
        { "crs/a.yaml": crYaml("a", ["env:", "  - name: PIN", "    value: 918273645"]) },
        "crs/a.yaml:9: spec.env[0].value: expected a string, got a number (not shown: env values may be secrets); quote it",
      ],
      [
        "an env name that holds NAME=value",
        { "crs/a.yaml": crYaml("a", ["env:", `  - name: DB_PASSWORD=${PLANTED}`]) },
        'crs/a.yaml:8: spec.env[0].name: must not contain "=" (not shown: a name with "=" may hold its value); write NAME=value as {name: DB_PASSWORD, value: "..."}',
      ],
      [
        "a scalar where the secretKeyRef mapping belongs",
        {
          "crs/a.yaml": crYaml("a", [
            "env:",
            "  - name: DB_PASSWORD",
            `    valueFrom: {secretKeyRef: ${PLANTED}}`,
          ]),
        },
        "crs/a.yaml:9: spec.env[0].valueFrom.secretKeyRef: expected a mapping, got a string (not shown: it may be a secret)",
      ],
      [
        "a scalar where valueFrom belongs",
        {
          "crs/a.yaml": crYaml("a", ["env:", "  - name: DB_PASSWORD", `    valueFrom: ${PLANTED}`]),
        },
        "crs/a.yaml:9: spec.env[0].valueFrom: expected a mapping, got a string (not shown: it may be a secret)",
      ],
      [
        "a scalar where envFrom's secretRef belongs (in the docs' spelling too)",
        { "crs/a.yaml": crYaml("a", ["envFrom:", `  - secretKeyRef: ${PLANTED}`]) },
        "crs/a.yaml:8: spec.envFrom[0].secretKeyRef: expected a mapping, got a string (not shown: it may be a secret)",
      ],
      [
        "a .env line saved as a CR",
        { "crs/a.yaml": `DB_PASSWORD=${PLANTED}\n` },
        "crs/a.yaml:1: expected a mapping (an Integration resource), got a string (not shown: it may be a secret)",
      ],
      [
        "user:password in an image reference",
        {
          "crs/a.yaml": crYaml("a").replace(
            "image: docker.io/wso2/a:1.0.0",
            `image: ci:${PLANTED}@registry.example.com/team/a:1.0.0`,
          ),
        },
        "crs/a.yaml:6: spec.image: is not a valid image reference: it holds a login (user:password@ before the registry; not shown), which an image reference never does: remove it, and give the registry's credentials as an imagePullSecret",
      ],
    ];
    for (const [what, files, line] of cases) {
      it(what, async () => {
        const dir = project({ "Pulumi.yaml": PROJECT, "stacks/Pulumi.dev.yaml": STACK, ...files });
        const runs = await everyCommand(dir, { programConfig: PROGRAM_CONFIG });
        expect(runs.map((r) => r.command)).to.deep.equal(COMMANDS);
        for (const result of runs) {
          const where = `${result.command}: ${result.stderr}`;
          expect(result.code, where).to.equal(1);
          const expected = result.command === "program" ? line : `error: ${line}`;
          expect(result.stderr.split("\n"), where).to.include(expected);
          expect(result.stdout + result.stderr, where).not.to.include(PLANTED);
          expect(result.stdout + result.stderr, where).not.to.include("918273645");
        }
      });
    }
  });
});
