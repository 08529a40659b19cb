/**
 * What the API server would refuse is refused first, and what would fail silently is warned of
 * (issue 15), by every command that reads a stack: env variable names as Kubernetes before 1.32
 * takes them, an IP address as the Ingress host, annotations over 256 KiB, int32 bounds, a named
 * probe port, Micro Integrator's own ports, `.nan`, and across the stack two namespaces routing
 * one host and path; warnings for memory in milli-units, YAML 1.1 numbers and `-Xmx` above the
 * memory limit. Every problem at once, also those found only once defaults are applied.
 */
import { expect } from "chai";
import { crYaml } from "../../cli/run";
import { cleanUp, project } from "../../cli/plan/support";
import { COMMANDS, everyCommand, type CommandRun } from "./commands";

const PROJECT = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";

/** A CR `name` in `namespace` (none: the stack's) with `spec` lines. */
function cr(name: string, spec: string[] = [], namespace?: string): string {
  const text = crYaml(name, spec);
  return namespace === undefined
    ? text
    : text.replace(`  name: ${name}\n`, `  name: ${name}\n  namespace: ${namespace}\n`);
}

/** The lines a command printed, without the prefix the program's log has not. */
function printed(result: CommandRun, severity: string): string[] {
  const lines = result.stderr.split("\n").filter((l) => l !== "");
  if (result.command === "program") {
    return lines.filter((l) => /^[^ ]+\.yaml/.test(l)).map((l) => `${severity}: ${l}`);
  }
  return lines.filter((l) => l.startsWith(`${severity}: `));
}

const ANNOTATION = "x".repeat(300 * 1024);

describe("hostile input: what Kubernetes would refuse, or run and fail", () => {
  after(cleanUp);

  it("every command refuses it, with every problem at once", async () => {
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "stacks/Pulumi.dev.yaml": [
        "config:",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:ingress:",
        "    host: 10.1.2.3",
        "    annotations:",
        `      example.com/big: ${ANNOTATION}`,
        "",
      ].join("\n"),
      "crs/a.yaml": cr("a", [
        "deploySpec:",
        "  minReplicas: 2147483648",
        "  requestCPU: 2",
        "  cpuLimit: 1",
        "  livenessProbe:",
        "    httpGet: {port: http, path: /health}",
        "  readinessProbe:",
        "    tcpSocket: {port: 8290}",
        "    periodSeconds: .nan",
        "expose:",
        "  inboundPorts: [9164, 8000]",
        "env:",
        "  - {name: my var, value: x}",
        "envFrom:",
        "  - {configMapRef: {name: c}, prefix: 1P}",
      ]),
      "crs/b.yaml": cr("b", [], "one"),
      "crs/c.yaml": cr("b", [], "two"),
    });
    const runs = await everyCommand(dir, {
      programConfig: {
        "wso2-mi:namespace": "apps",
        "wso2-mi:crs": '["crs"]',
        "wso2-mi:ingress": JSON.stringify({
          host: "10.1.2.3",
          annotations: { "example.com/big": ANNOTATION },
        }),
      },
    });
    const crErrors = [
      "error: crs/a.yaml:8: spec.deploySpec.minReplicas: must be at most 2147483647 (the largest 32-bit integer, as Kubernetes requires), got 2147483648",
      // Found once defaults are applied, and reported with the others although the CR has errors.
      'error: crs/a.yaml:9: spec.deploySpec.requestCPU: requestCPU "2" (spec.deploySpec.requestCPU) is above cpuLimit "1" (spec.deploySpec.cpuLimit); a request cannot exceed its limit: lower requestCPU or raise cpuLimit',
      "error: crs/a.yaml:12: spec.deploySpec.livenessProbe.httpGet.port: the livenessProbe checks the port named \"http\", but no container port has a name (the container's ports are 8290, 8000): write the port's number",
      "error: crs/a.yaml:15: spec.deploySpec.readinessProbe.periodSeconds: expected a whole number, got .nan (not a number)",
      "error: crs/a.yaml:17: spec.expose.inboundPorts[0]: 9164 is Micro Integrator's management API port, which Micro Integrator itself listens on; an inbound endpoint cannot take it: choose another port",
      `error: crs/a.yaml:19: spec.env[0].name: "my var" is not an environment variable name Kubernetes before 1.32 (the supported range is Kubernetes 1.30 to 1.36) accepts: use letters, digits, '_', '-' and '.', not starting with a digit`,
      `error: crs/a.yaml:21: spec.envFrom[0].prefix: "1P" is not an envFrom prefix Kubernetes before 1.32 (the supported range is Kubernetes 1.30 to 1.36) accepts: use letters, digits, '_', '-' and '.', not starting with a digit`,
      'error: crs/c.yaml:4: metadata.name: the Ingress of namespace "two" would route host "wso2ei.ingress.wso2.com" path "/b-service(/|$)(.*)", which the Ingress of namespace "one" routes already (crs/b.yaml); the ingress controller serves only one of them: rename one of the integrations',
    ];
    const annotations =
      "the Ingress's annotations (the controller config's ingress.properties and the stack's " +
      // The annotation, its key, and the built-in rewrite-target and ssl-redirect ones.
      `ingress.annotations) hold ${300 * 1024 + 105} bytes (keys and values); the API server refuses an ` +
      "object whose annotations hold more than 262144 (256 KiB): remove some of them";
    const host =
      'wso2-mi:ingress.host: "10.1.2.3" is an IP address; Kubernetes refuses one as an Ingress ' +
      "host: give a DNS name that resolves to it";
    expect(runs.map((r) => r.command)).to.deep.equal(COMMANDS);
    for (const result of runs) {
      const where = `${result.command}:\n${result.stderr}`;
      expect(result.code, where).to.equal(1);
      expect(result.stdout, where).to.equal("");
      const errors = printed(result, "error");
      if (result.command === "program") {
        // The program gets its settings from Pulumi's config: the stack file without lines.
        expect([...errors].sort(), where).to.deep.equal(
          [
            ...crErrors,
            `error: stacks/Pulumi.dev.yaml: ${annotations}`,
            `error: stacks/Pulumi.dev.yaml: ${host}`,
          ].sort(),
        );
      } else {
        const own = [
          ...crErrors,
          `error: stacks/Pulumi.dev.yaml: ${annotations}`,
          `error: stacks/Pulumi.dev.yaml:5: ${host}`,
        ];
        const base =
          result.command === "plan --base"
            ? own.map((l) => l.replace("error: ", "error: HEAD:"))
            : [];
        expect([...errors].sort(), where).to.deep.equal([...base, ...own].sort());
      }
    }
  });

  it("every command warns of what the cluster would run and fail with, and goes on", async () => {
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "stacks/Pulumi.dev.yaml": [
        "config:",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:defaults:",
        "    memoryLimit: 1Gi",
        "    maxReplicas: 010",
        "",
      ].join("\n"),
      "crs/w.yaml": cr("w", [
        "deploySpec:",
        "  reqMemory: 256m",
        "  minReplicas: 010",
        "env:",
        "  - {name: JAVA_OPTS, value: -Xms512m -Xmx2g -Dpassword=pl4nted}",
      ]),
    });
    const runs = await everyCommand(dir, {
      programConfig: {
        "wso2-mi:namespace": "apps",
        "wso2-mi:crs": '["crs"]',
        // Pulumi reads the stack file as YAML 1.1: 010 is 8.
        "wso2-mi:defaults": '{"maxReplicas":8,"memoryLimit":"1Gi"}',
      },
    });
    const crWarnings = [
      'warning: crs/w.yaml:8: spec.deploySpec.reqMemory: "256m" is 0.256 bytes: "m" means thousandths, not megabytes; write "256Mi" (mebibytes) or "256M" (megabytes)',
      "warning: crs/w.yaml:9: spec.deploySpec.minReplicas: 010 is 10 here (YAML 1.2) but 8 to YAML 1.1 readers (kubectl, the operator, the Pulumi CLI, where a leading 0 is octal): write 8 or 10 to say which is meant",
      `warning: crs/w.yaml:11: spec.env[0].value: -Xmx2g lets the heap grow to 2 GiB, above the memory limit "1Gi" (the stack's defaults.memoryLimit in stacks/Pulumi.dev.yaml); the JVM needs more than its heap, so under load the pod would be OOM-killed: lower -Xmx to about 75% of the limit, or raise memoryLimit`,
    ];
    const stackWarning =
      "warning: stacks/Pulumi.dev.yaml:6: wso2-mi:defaults.maxReplicas: 010 is 10 here (YAML 1.2) but 8 to YAML 1.1 readers (kubectl, the operator, the Pulumi CLI, where a leading 0 is octal): write 8 or 10 to say which is meant";
    expect(runs.map((r) => r.command)).to.deep.equal(COMMANDS);
    for (const result of runs) {
      const where = `${result.command}:\n${result.stderr}`;
      expect(result.code, where).to.equal(0);
      expect(result.stderr, where).not.to.include("pl4nted");
      // plan --live's own warning of its empty export (commands.ts) is no warning of the input.
      const warnings = printed(result, "warning").filter(
        (w) => !w.startsWith("warning: no live object of namespace apps was given"),
      );
      const expected = result.command === "program" ? crWarnings : [...crWarnings, stackWarning];
      expect(warnings, where).to.deep.equal(expected);
    }
  });
});
