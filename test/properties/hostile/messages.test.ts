/**
 * Messages that help (issue 15), in every command: keys such as `constructor` and `__proto__`
 * are plain unknown keys at every level of every input (never a crash, never a property every
 * object inherits); a did-you-mean never suggests what was written.
 */
import { expect } from "chai";
import { crYaml } from "../../cli/run";
import { cleanUp, project } from "../../cli/plan/support";
import { COMMANDS, everyCommand } from "./commands";

const PROJECT = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";
const KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty"];

/** `key: 1` lines for each of {@link KEYS}, indented. */
function planted(indent: string, value = "1"): string[] {
  return KEYS.map((key) => `${indent}${key}: ${value}`);
}

describe("hostile messages", () => {
  after(cleanUp);

  it("constructor, __proto__ and their kin are plain unknown keys everywhere", async () => {
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "stacks/Pulumi.dev.yaml": [
        "config:",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:controllerConfig: controller.yaml",
        ...planted("  wso2-mi:"),
        "  wso2-mi:defaults:",
        ...planted("    "),
        "  wso2-mi:ingress:",
        ...planted("    "),
        "  wso2-mi:imageRefresh:",
        ...planted("    "),
        "  wso2-mi:kubernetes:",
        ...planted("    "),
        "",
      ].join("\n"),
      "controller.yaml": [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: {name: integration-config}",
        "data:",
        ...planted("  ", '"1"'),
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: {name: integration-ingress-config}",
        "data:",
        ...planted("  ", '"1"'),
        "",
      ].join("\n"),
      "crs/a.yaml": [
        ...planted(""),
        ...crYaml("a", [
          ...planted(""),
          "deploySpec:",
          ...planted("  "),
          "  livenessProbe:",
          "    tcpSocket: {port: 8290}",
          ...planted("    "),
          "  affinity:",
          ...planted("    "),
          "autoScale:",
          ...planted("  "),
          "expose:",
          ...planted("  "),
          "env:",
          "  - name: A",
          "    valueFrom:",
          "      secretKeyRef: {name: s, key: k}",
          ...planted("      "),
          "envFrom:",
          "  - configMapRef: {name: c}",
          ...planted("    "),
        ]).split("\n"),
      ].join("\n"),
    });
    const runs = await everyCommand(dir, {
      programConfig: {
        "wso2-mi:namespace": "apps",
        "wso2-mi:crs": '["crs"]',
        "wso2-mi:controllerConfig": "controller.yaml",
        ...Object.fromEntries(KEYS.map((k) => [`wso2-mi:${k}`, "1"])),
      },
    });
    expect(runs.map((r) => r.command)).to.deep.equal(COMMANDS);
    // 4 keys at: 5 stack places, 2 ConfigMaps, 9 CR places.
    const places = 5 + 2 + 9;
    for (const result of runs) {
      const where = `${result.command}:\n${result.stderr}`;
      expect(result.code, where).to.equal(1);
      const errors = result.stderr
        .split("\n")
        .filter((l) => /^(error: )?(HEAD:)?[^ ]+\.yaml/.test(l))
        .filter((l) => !l.startsWith("HEAD:") && !l.startsWith("error: HEAD:"));
      // The program gets the stack's settings from Pulumi's config: the top-level keys only.
      const expected = result.command === "program" ? places - 4 : places;
      expect(errors, where).to.have.length(expected * KEYS.length);
      for (const line of errors) {
        expect(line, where).to.match(
          /(constructor|__proto__|toString|hasOwnProperty)"?\]?: unknown (field|key)(; (the known fields are|the known keys are|the keys of this project are) |$)/,
        );
        expect(line).not.to.match(/belongs in|function|\[object/);
      }
    }
  });

  it("a did-you-mean never suggests what was written", async () => {
    const long = `${"a".repeat(70)}_`;
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "stacks/Pulumi.dev.yaml": [
        "config:",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:defaults:",
        "    minReplica: 1",
        "",
      ].join("\n"),
      "crs/a.yaml": crYaml("a", [
        `imagePullSecret: ${long}`,
        "deploySpec:",
        "  pullPolicy: always",
        "  livenessProbe:",
        "    httpGet: {port: 8290, scheme: http}",
      ]).replace("kind: Integration", "kind: integration"),
      "crs/b.yaml": crYaml("b").replace("  name: b\n", `  name: b\n  namespace: ${long}\n`),
    });
    const runs = await everyCommand(dir, {
      programConfig: {
        "wso2-mi:namespace": "apps",
        "wso2-mi:crs": '["crs"]',
        "wso2-mi:defaults": '{"minReplica":1}',
      },
    });
    for (const result of runs) {
      const where = `${result.command}:\n${result.stderr}`;
      expect(result.code, where).to.equal(1);
      const suggestions = [
        ...result.stderr.matchAll(
          /got ("[^"]*"(?:\.\.\. \(\d+ characters\))?)[^\n]*?(?:did you mean|e\.g\.) ("[^"]*"(?:\.\.\. \(\d+ characters\))?)/g,
        ),
      ];
      expect(suggestions.length, where).to.be.at.least(3);
      for (const [, written, suggested] of suggestions) {
        expect(suggested, where).not.to.equal(written);
      }
      // A name cut alike in both would read as the input: no suggestion then.
      expect(result.stderr, where).not.to.match(/is not a valid name: [^\n]*e\.g\. "a{60}"\.\.\./);
    }
  });
});
