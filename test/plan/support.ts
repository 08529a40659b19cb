/** Render output folders, temporary projects and plan runs for the plan tests. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeOutDir, type Manifest } from "../../cli/manifests";
import { main as plan } from "../../cli/plan";
import { main as render } from "../../cli/render";
import { run, tempProject, type Result } from "../cli/run";

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
  const result = runPlan([
    "--before",
    outDir(before),
    "--after",
    outDir(after),
    "--format",
    format,
  ]);
  if (result.code !== 0 || result.stderr !== "") {
    throw new Error(`plan exited with ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
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
