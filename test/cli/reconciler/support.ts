/**
 * What the reconciler tests share: the pinned PKO CRDs, running the command, the objects render
 * prints for the same stack, and an independent source of resource names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadAll } from "js-yaml";
import { ApiResource } from "cdk8s-plus-33";
import { main } from "../../../cli/reconciler/main";
import { main as render } from "../../../cli/render/main";
import { loadCrd, type Crd } from "../../support/crdSchema";
import { ROOT, run, type Result } from "../run";

/** The PKO release whose CRDs are pinned in `test/fixtures/pko/`. */
export const PKO_VERSION = "v2.9.0";

const CRDS = path.join(ROOT, "test", "fixtures", "pko", PKO_VERSION);

let crds: { stack: Crd; workspace: Crd } | undefined;

/** The Stack (`pulumi.com`) and Workspace (`auto.pulumi.com`) CRDs of {@link PKO_VERSION}. */
export function pkoCrds(): { stack: Crd; workspace: Crd } {
  crds ??= {
    stack: loadCrd(path.join(CRDS, "pulumi.com_stacks.yaml")),
    workspace: loadCrd(path.join(CRDS, "auto.pulumi.com_workspaces.yaml")),
  };
  return crds;
}

/** A Kubernetes object as YAML loads it. */
export interface Loaded {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

/** The flags every run needs, for the stack `stack`. */
export function required(stack: string): string[] {
  return ["--stack", stack, "--repo", "https://github.com/acme/integrations.git", "--org", "acme"];
}

/** Runs reconciler in `cwd` and parses its output. */
export function reconcile(argv: string[], cwd: string = ROOT): Result & { objects: Loaded[] } {
  const result = run(main, argv, cwd);
  return { ...result, objects: loadAll(result.stdout) as Loaded[] };
}

/** What render prints for `stack` in `cwd`: the objects the reconciled stack deploys. */
export function rendered(stack: string, cwd: string = ROOT): Loaded[] {
  const { code, stdout, stderr } = run(render, ["--stack", stack], cwd);
  if (code !== 0) throw new Error(`render --stack ${stack} failed: ${stderr}`);
  return loadAll(stdout) as Loaded[];
}

/**
 * Resource names of Kubernetes' built-in kinds, from cdk8s-plus's `ApiResource` table (generated
 * from the API server's discovery): `kind` → `{ group, resource }`. An independent account of
 * what the command derives itself.
 */
export function builtinResources(): Map<string, { group: string; resource: string }> {
  const declarations = fs.readFileSync(
    path.join(path.dirname(require.resolve("cdk8s-plus-33")), "api-resource.d.ts"),
    "utf8",
  );
  const table = ApiResource as unknown as Record<
    string,
    { apiGroup: string; resourceType: string } | undefined
  >;
  const out = new Map<string, { group: string; resource: string }>();
  for (const [, kind, member] of declarations.matchAll(
    /API resource information for ([A-Za-z]+)\.\s*\*\/\s*static readonly ([A-Z_]+): ApiResource;/g,
  )) {
    const entry = table[member];
    if (entry !== undefined) {
      out.set(kind, { group: entry.apiGroup, resource: entry.resourceType });
    }
  }
  return out;
}

/**
 * Resource names of the custom resource kinds the builders may render (Gateway API routes,
 * prometheus-operator monitors), as their CRDs declare them.
 */
export const CRD_RESOURCES: Record<string, { group: string; resource: string }> = {
  HTTPRoute: { group: "gateway.networking.k8s.io", resource: "httproutes" },
  ServiceMonitor: { group: "monitoring.coreos.com", resource: "servicemonitors" },
  PodMonitor: { group: "monitoring.coreos.com", resource: "podmonitors" },
};
