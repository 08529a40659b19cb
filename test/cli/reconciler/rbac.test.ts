/**
 * The reconciler's RBAC: computed here from what render prints for the same stack (so the test
 * follows the builders as they add kinds), with resource names from an independent table, it
 * must grant write access to exactly those resources in exactly those namespaces, read access to
 * exactly what pulumi-kubernetes's readiness checks read, and no wildcard.
 */
import { expect } from "chai";
import { resourceOfKind } from "../../../cli/reconciler/rbac";
import { buildReconcilerObjects } from "../../../cli/reconciler/objects";
import { EXIT } from "../../../cli/common/io";
import { crYaml, tempProject } from "../run";
import * as fs from "node:fs";
import {
  builtinResources,
  CRD_RESOURCES,
  reconcile,
  rendered,
  required,
  type Loaded,
} from "./support";

/** Every verb the provider uses on an object it manages. */
const WRITE = ["create", "delete", "get", "list", "patch", "update", "watch"];
const READ = ["get", "list", "watch"];

/**
 * What pulumi-kubernetes's readiness checks read (`provider/pkg/await/`: events of every object;
 * a Deployment's ReplicaSets, Pods and PVCs; Service and Ingress Endpoints and Services; the Pods
 * of other workloads), with EndpointSlices that replace Endpoints there (pulumi-kubernetes#3623).
 */
const AWAIT_READS = [
  "/endpoints",
  "/events",
  "/persistentvolumeclaims",
  "/pods",
  "/services",
  "apps/replicasets",
  "discovery.k8s.io/endpointslices",
];

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

const made: string[] = [];
after(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** `group/resource` of a rendered object, from the independent tables. */
function resourceOf(object: Loaded): string {
  const slash = object.apiVersion.lastIndexOf("/");
  const group = slash === -1 ? "" : object.apiVersion.slice(0, slash);
  const known = builtinResources().get(object.kind) ?? CRD_RESOURCES[object.kind];
  if (known === undefined || known.group !== group) {
    throw new Error(
      `${object.apiVersion} ${object.kind}: add its resource name to CRD_RESOURCES in ` +
        "test/cli/reconciler/support.ts",
    );
  }
  return `${group}/${known.resource}`;
}

/** Each rule as `group/resource` → verbs (and the names it is limited to). */
function grants(rules: Rule[]): Map<string, { verbs: string[]; names?: string[] }[]> {
  const out = new Map<string, { verbs: string[]; names?: string[] }[]>();
  for (const rule of rules) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const key = `${group}/${resource}`;
        const grant = {
          verbs: [...rule.verbs].sort(),
          ...(rule.resourceNames === undefined ? {} : { names: rule.resourceNames }),
        };
        out.set(key, [...(out.get(key) ?? []), grant]);
      }
    }
  }
  return out;
}

/** Checks the command's RBAC for `stack` in `cwd` against render's objects; returns both. */
function checkRbac(stack: string, cwd?: string): { objects: Loaded[]; rbac: Loaded[] } {
  const objects = rendered(stack, cwd);
  const { code, objects: out, stderr } = reconcile(required(stack), cwd);
  expect(code, stderr).to.equal(EXIT.ok);
  expectRbac(objects, out);
  return { objects, rbac: out };
}

/** The RBAC in `out` grants what `objects` need and nothing more (see the file's comment). */
function expectRbac(objects: Loaded[], out: Loaded[]): void {
  const all = JSON.stringify(out);
  expect(all, "no wildcard anywhere").to.not.include('"*"');

  // Per namespace: write verbs on exactly what render puts there, read verbs on the await list.
  const expected = new Map<string, Set<string>>();
  for (const object of objects.filter((o) => o.metadata.namespace !== undefined)) {
    const set = expected.get(object.metadata.namespace ?? "") ?? new Set<string>();
    set.add(resourceOf(object));
    expected.set(object.metadata.namespace ?? "", set);
  }
  const roles = out.filter((o) => o.kind === "Role");
  expect(roles.map((r) => r.metadata.namespace)).to.deep.equal([...expected.keys()].sort());
  for (const role of roles) {
    const writes = expected.get(role.metadata.namespace ?? "") ?? new Set<string>();
    const want = new Map<string, { verbs: string[] }[]>();
    for (const r of writes) want.set(r, [{ verbs: WRITE }]);
    for (const r of AWAIT_READS) if (!writes.has(r)) want.set(r, [{ verbs: READ }]);
    const got = grants(role.rules as Rule[]);
    expect([...got.keys()].sort(), role.metadata.namespace).to.deep.equal([...want.keys()].sort());
    for (const [resource, grant] of want) {
      expect(got.get(resource), `${role.metadata.namespace} ${resource}`).to.deep.equal(grant);
    }
  }
  const bindings = out.filter((o) => o.kind === "RoleBinding");
  expect(bindings).to.have.length(roles.length);
  for (const [i, binding] of bindings.entries()) {
    expect(binding.metadata).to.deep.equal(roles[i].metadata);
    expect(binding.roleRef).to.deep.equal({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: roles[i].metadata.name,
    });
  }

  // Cluster-wide: only for cluster-scoped objects (Namespaces), by name except create/list/watch.
  const cluster = objects.filter((o) => o.metadata.namespace === undefined);
  const clusterRoles = out.filter((o) => o.kind === "ClusterRole");
  if (cluster.length === 0) {
    expect(clusterRoles).to.deep.equal([]);
  } else {
    expect(clusterRoles).to.have.length(1);
    const got = grants(clusterRoles[0].rules as Rule[]);
    const kinds = new Set(cluster.map((o) => o.kind));
    expect([...kinds]).to.deep.equal(["Namespace"]);
    expect([...got.entries()]).to.deep.equal([
      [
        "/namespaces",
        [
          { verbs: ["create", "list", "watch"] },
          // Never delete: the program retains its Namespaces.
          { verbs: ["get", "patch", "update"], names: cluster.map((o) => o.metadata.name).sort() },
        ],
      ],
    ]);
  }
}

describe("reconciler: RBAC from what the stack renders", () => {
  it("names resources as the API server does, for every built-in kind and the CRD kinds", () => {
    const table = builtinResources();
    expect(table.size).to.be.greaterThan(50);
    for (const [kind, { resource }] of table) expect(resourceOfKind(kind), kind).to.equal(resource);
    for (const [kind, { resource }] of Object.entries(CRD_RESOURCES)) {
      expect(resourceOfKind(kind), kind).to.equal(resource);
    }
    expect(resourceOfKind("Gateway")).to.equal("gateways");
  });

  it("dev: one namespace, its kinds, the read list", () => {
    const { objects, rbac } = checkRbac("dev");
    expect(objects.length).to.be.greaterThan(10);
    expect(rbac.filter((o) => o.kind === "Role")).to.have.length(1);
  });

  it("prod: one namespace, with HPAs", () => {
    const { objects } = checkRbac("prod");
    expect(objects.some((o) => o.kind === "HorizontalPodAutoscaler")).to.equal(true);
  });

  it("a stack in two namespaces that creates them: a Role in each, a ClusterRole for their Namespaces", () => {
    const dir = tempProject({
      "Pulumi.multi.yaml": [
        "config:",
        "  wso2-mi:namespace: team-a",
        "  wso2-mi:crs: crs",
        "  wso2-mi:createNamespace: true",
        "",
      ].join("\n"),
      "crs/a.yaml": crYaml("alpha"),
      "crs/b.yaml": crYaml("beta").replace("  name: beta\n", "  name: beta\n  namespace: team-b\n"),
    });
    made.push(dir);
    const { objects, rbac } = checkRbac("multi", dir);
    expect(objects.filter((o) => o.kind === "Namespace")).to.have.length(2);
    expect(rbac.filter((o) => o.kind === "Role").map((o) => o.metadata.namespace)).to.deep.equal([
      "team-a",
      "team-b",
    ]);
    expect(
      rbac.filter((o) => o.kind === "ClusterRoleBinding").map((o) => o.metadata.name),
    ).to.deep.equal(["team-a:wso2-mi-multi:system:auth-delegator", "team-a:wso2-mi-multi:cluster"]);
  });

  it("grants the kinds the builders add (PodDisruptionBudget, ConfigMap, HTTPRoute, ServiceMonitor) without a change", () => {
    const objects: Loaded[] = [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "a-deployment", namespace: "ns" },
      },
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "a-pdb", namespace: "ns" },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a-files", namespace: "ns" } },
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "a-route", namespace: "ns" },
      },
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "a-monitor", namespace: "other" },
      },
    ];
    const out = buildReconcilerObjects(
      {
        name: "wso2-mi-qa",
        namespace: "ns",
        stack: "acme/qa",
        repo: "https://github.com/acme/integrations.git",
        branch: "main",
        resyncFrequencySeconds: 60,
        accessTokenSecret: "pulumi-api-secret",
        image: "pulumi/pulumi:3.0.0-nonroot",
      },
      objects,
    ) as Loaded[];
    expect(out.filter((o) => o.kind === "Role")).to.have.length(2);
    expectRbac(objects, out);
  });

  it("a stack without an Ingress grants none", () => {
    const dir = tempProject({
      "Pulumi.plain.yaml": "config:\n  wso2-mi:crs: crs\n  wso2-mi:ingress:\n    enabled: false\n",
      "crs/a.yaml": crYaml("alpha"),
    });
    made.push(dir);
    const { rbac } = checkRbac("plain", dir);
    expect(JSON.stringify(rbac)).to.not.include("ingresses");
  });
});
