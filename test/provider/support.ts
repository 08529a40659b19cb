/** Helpers for the image-refresh tests: throw-away projects and the registries they talk to. */
import * as fs from "node:fs";
import { crYaml, tempProject } from "../cli/run";
import {
  startRegistry,
  startSilentServer,
  type SilentServer,
  type TestRegistry,
} from "./registry/harness";
import { removeTempDirs } from "./registry/support";

const projects: string[] = [];

/**
 * A project `wso2-mi` whose stack `dev` (in `stacks/`) reads the CRs in `crs/` (file name to
 * text), with `imageRefresh` set to the YAML `refresh` lines (left out when empty) and the
 * `config` lines before it. Removed by {@link removeProjects}.
 */
export function refreshProject(
  refresh: string[],
  crs: Record<string, string>,
  config: string[] = [],
): string {
  const files: Record<string, string> = {
    "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
    "stacks/Pulumi.dev.yaml": [
      "config:",
      ...config.map((l) => `  ${l}`),
      "  wso2-mi:crs: crs",
      ...(refresh.length > 0 ? ["  wso2-mi:imageRefresh:"] : []),
      ...refresh.map((l) => `    ${l}`),
      "",
    ].join("\n"),
  };
  for (const [name, text] of Object.entries(crs)) files[`crs/${name}.yaml`] = text;
  const dir = tempProject(files);
  projects.push(dir);
  return dir;
}

/** Removes the projects {@link refreshProject} made. */
export function removeProjects(): void {
  for (const dir of projects.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A CR named `name` running `image`. */
export function crWithImage(name: string, image: string): string {
  return crYaml(name).replace(`docker.io/wso2/${name}:1.0.0`, image);
}

/** A registry without auth, one with htpasswd basic auth, and a port that never answers. */
export interface Registries {
  open: TestRegistry;
  basic: TestRegistry;
  silent: SilentServer;
}

/** Starts {@link Registries}. */
export async function startRegistries(): Promise<Registries> {
  const [open, basic, silent] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: "basic" }),
    startSilentServer(),
  ]);
  return { open, basic, silent };
}

/** Stops what {@link startRegistries} started, and removes temp folders and projects. */
export async function stopRegistries(registries: Registries | undefined): Promise<void> {
  await Promise.all([registries?.open.stop(), registries?.basic.stop(), registries?.silent.stop()]);
  removeTempDirs();
  removeProjects();
}
