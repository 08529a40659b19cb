/** Render output folders, temporary projects and plan runs for the plan tests. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeOutDir, type Manifest } from "../../../cli/common/manifests";
import { main as plan } from "../../../cli/plan/main";
import { main as render } from "../../../cli/render/main";
import { crYaml, run, tempProject, type Result } from "../run";

/** Folders made by a test, removed by {@link cleanUp}. */
const made: string[] = [];

/** A new empty temporary folder. */
export function scratch(prefix = "wso2-mi-plan-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A render output folder holding `objects`, written by render's own `writeOutDir`. */
export function outDir(objects: readonly object[]): string {
  const dir = path.join(scratch(), "out");
  writeOutDir(objects as Manifest[], dir);
  return dir;
}

/** A temporary project (`Pulumi.yaml` of `wso2-mi`) holding `files`. */
export function project(files: Record<string, string>): string {
  const dir = tempProject(files);
  made.push(dir);
  return dir;
}

/** Renders the project in `cwd` with `renderArgs` into a new folder; the folder. */
export function renderOut(cwd: string, renderArgs: string[]): string {
  const dir = path.join(scratch(), "out");
  const result = run(render, [...renderArgs, "--out", dir], cwd);
  if (result.code !== 0) throw new Error(`render failed: ${result.stderr}`);
  return dir;
}

/** Runs `npm run plan -- ...argv` in `cwd`. */
export function runPlan(argv: string[], cwd?: string): Result {
  return run(plan, argv, cwd);
}

/** The plan's stdout between render folders of `before` and `after`; it must succeed quietly. */
export function planOf(
  before: readonly object[],
  after: readonly object[],
  format: string,
): string {
  return planDirs(outDir(before), outDir(after), format);
}

/** The plan's stdout between the render folders `before` and `after`; it must succeed quietly. */
export function planDirs(before: string, after: string, format = "text"): string {
  const result = runPlan(["--before", before, "--after", after, "--format", format]);
  if (result.code !== 0 || result.stderr !== "") {
    throw new Error(`plan exited with ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
}

/** Writes `text` to `file` in the project `dir`, making its folder. */
export function writeFile(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

/**
 * Renders the project in `dir` with `renderArgs`, applies `change` to its files and renders it
 * again: the two render folders.
 */
export function renderChange(
  dir: string,
  renderArgs: string[],
  change: () => void,
): { before: string; after: string } {
  const before = renderOut(dir, renderArgs);
  change();
  return { before, after: renderOut(dir, renderArgs) };
}

/** Removes every folder the tests made. */
export function cleanUp(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A Deployment as the builders make it, small: one container, the operator's labels. */
export function deployment(
  name: string,
  container: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
): object {
  const labels = { app: "integration", integration_cr: name };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `${name}-deployment`, namespace: "ns", labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: "micro-integrator",
              image: `ex/${name}:1`,
              ports: [{ containerPort: 8290, protocol: "TCP" }],
              ...container,
            },
          ],
        },
      },
      ...spec,
    },
  };
}

/** A Service as the builders make it, small. */
export function service(name: string, spec: Record<string, unknown> = {}): object {
  const labels = { app: "integration", integration_cr: name };
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `${name}-service`, namespace: "ns", labels },
    spec: {
      ports: [{ name: `${name}8290`, port: 8290, protocol: "TCP", targetPort: 8290 }],
      selector: labels,
      type: "ClusterIP",
      ...spec,
    },
  };
}

/** Settings of the `test` stack the removal fixtures deploy, over namespace `ns` and `crs/`. */
export interface RemovalStack {
  /** `wso2-mi:defaults.enableAutoScale`. Default: unset. */
  enableAutoScale?: boolean;
  /** `enableAutoScale` of the controller config file `controller.yaml`. Default: no such file. */
  controllerAutoScale?: boolean;
  /** `wso2-mi:createNamespace`. Default: unset (false). */
  createNamespace?: boolean;
}

/** `Pulumi.yaml` of a project whose stack files are in `stacks/`, as the repository's is. */
export const STACKS_PROJECT = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";

/** The `test` stack's file and controller config, for {@link project}. */
export function removalStackFiles(settings: RemovalStack = {}): Record<string, string> {
  const lines = ["config:", "  wso2-mi:namespace: ns", "  wso2-mi:crs: [crs]"];
  const files: Record<string, string> = { "Pulumi.yaml": STACKS_PROJECT };
  if (settings.createNamespace !== undefined) {
    lines.push(`  wso2-mi:createNamespace: ${settings.createNamespace}`);
  }
  if (settings.enableAutoScale !== undefined) {
    lines.push("  wso2-mi:defaults:", `    enableAutoScale: ${settings.enableAutoScale}`);
  }
  if (settings.controllerAutoScale !== undefined) {
    lines.push("  wso2-mi:controllerConfig: controller.yaml");
    files["controller.yaml"] = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: integration-config",
      "data:",
      `  enableAutoScale: "${settings.controllerAutoScale}"`,
      "",
    ].join("\n");
  }
  files["stacks/Pulumi.test.yaml"] = `${lines.join("\n")}\n`;
  return files;
}

/** What a removal fixture's CR sets; every field optional. */
export interface RemovalCr {
  /** `metadata.namespace`. Default: the stack's (`ns`). */
  namespace?: string;
  /** `spec.expose.inboundPorts`. Default: none. */
  inboundPorts?: number[];
  /** `spec.deploySpec.minReplicas`. Default: unset (1). */
  minReplicas?: number;
  /** `spec.autoScale.enabled`. Default: unset (the stack's). */
  autoScale?: boolean;
}

/** An Integration CR named `name` for the removal fixtures. */
export function removalCr(name: string, cr: RemovalCr = {}): string {
  const spec: string[] = [];
  if (cr.minReplicas !== undefined) spec.push("deploySpec:", `  minReplicas: ${cr.minReplicas}`);
  if (cr.autoScale !== undefined) spec.push("autoScale:", `  enabled: ${cr.autoScale}`);
  if (cr.inboundPorts !== undefined) {
    spec.push("expose:", `  inboundPorts: [${cr.inboundPorts.join(", ")}]`);
  }
  const text = crYaml(name, spec);
  return cr.namespace === undefined
    ? text
    : text.replace(`  name: ${name}\n`, `  name: ${name}\n  namespace: ${cr.namespace}\n`);
}

/**
 * The removal fixture: the `test` stack with alpha (inbound ports 8000 and 9000, autoscaled) and
 * beta (inbound port 7000, 3 replicas, and what `beta` sets), both in `ns`, and `extra` files.
 */
export function removalProject(
  beta: RemovalCr = {},
  stack: RemovalStack = {},
  extra: Record<string, string> = {},
): string {
  return project({
    ...removalStackFiles(stack),
    "crs/alpha.yaml": removalCr("alpha", { inboundPorts: [8000, 9000], autoScale: true }),
    "crs/beta.yaml": removalCr("beta", { inboundPorts: [7000], minReplicas: 3, ...beta }),
    ...extra,
  });
}

/** A way to switch beta's autoscaling in the removal fixture, as the README documents them. */
export interface AutoscaleRoute {
  route: string;
  /** What beta's CR sets for autoscaling `on`. */
  cr: (on: boolean) => RemovalCr;
  /** What the stack sets for autoscaling `on`. */
  stack: (on: boolean) => RemovalStack;
}

/** The CR's `autoScale.enabled`, the stack's `defaults`, and the controller config. */
export const AUTOSCALE_ROUTES: AutoscaleRoute[] = [
  { route: "the CR's autoScale.enabled", cr: (on) => ({ autoScale: on }), stack: () => ({}) },
  {
    route: "the stack's wso2-mi:defaults.enableAutoScale",
    cr: () => ({}),
    stack: (on) => ({ enableAutoScale: on }),
  },
  {
    route: "the controller config's enableAutoScale",
    cr: () => ({}),
    stack: (on) => ({ controllerAutoScale: on }),
  },
];

/** The removal fixture with beta's autoscaling `on` through `route`. */
export function autoscaleProject(route: AutoscaleRoute, on: boolean): string {
  return removalProject(route.cr(on), route.stack(on));
}

/** Rewrites the removal fixture in `dir` so that beta's autoscaling is `on` through `route`. */
export function switchAutoscale(dir: string, route: AutoscaleRoute, on: boolean): void {
  const files = {
    ...removalStackFiles(route.stack(on)),
    "crs/beta.yaml": removalCr("beta", { inboundPorts: [7000], minReplicas: 3, ...route.cr(on) }),
  };
  for (const [file, text] of Object.entries(files)) writeFile(dir, file, text);
}
