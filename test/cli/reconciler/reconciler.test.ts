/**
 * `npm run reconciler`: the PKO Stack for a stack, its ServiceAccount and bindings, validated
 * against the pinned PKO CRDs (the Stack, and the Workspace PKO makes of it) and Kubernetes'
 * schemas; the settings it takes from the stack, the errors and the notes.
 */
import * as fs from "node:fs";
import { expect } from "chai";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { buildStack, type ReconcilerOptions } from "../../../cli/reconciler/objects";
import { EXIT } from "../../../cli/common/io";
import { crdProblems, type Schema } from "../../support/crdSchema";
import { crYaml, tempProject } from "../run";
import { pkoCrds, reconcile, required, type Loaded } from "./support";

const PULUMI_VERSION = (
  JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as {
    version: string;
  }
).version;

const made: string[] = [];
after(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A throwaway project with the stack file `Pulumi.<stack>.yaml` holding `config` lines. */
function project(stack: string, config: string[], files: Record<string, string> = {}): string {
  const dir = tempProject({
    [`Pulumi.${stack}.yaml`]: ["config:", ...config.map((line) => `  ${line}`), ""].join("\n"),
    "crs/hello.yaml": crYaml("hello"),
    ...files,
  });
  made.push(dir);
  return dir;
}

function stackOf(objects: Loaded[]): Loaded & { spec: Record<string, unknown> } {
  const stacks = objects.filter((o) => o.kind === "Stack");
  expect(stacks).to.have.length(1);
  return stacks[0] as Loaded & { spec: Record<string, unknown> };
}

/** kubernetes-models' validators for the kinds besides the Stack. */
const VALIDATE: Record<string, (data: object) => void> = {
  ServiceAccount: (data) => ServiceAccount.prototype.validate.call(data),
  ClusterRole: (data) => ClusterRole.prototype.validate.call(data),
  ClusterRoleBinding: (data) => ClusterRoleBinding.prototype.validate.call(data),
  Role: (data) => Role.prototype.validate.call(data),
  RoleBinding: (data) => RoleBinding.prototype.validate.call(data),
};

/** The fields each kind may have here (kubernetes-models does not reject unknown ones). */
const FIELDS: Record<string, string[]> = {
  ServiceAccount: ["apiVersion", "kind", "metadata"],
  ClusterRole: ["apiVersion", "kind", "metadata", "rules"],
  Role: ["apiVersion", "kind", "metadata", "rules"],
  ClusterRoleBinding: ["apiVersion", "kind", "metadata", "roleRef", "subjects"],
  RoleBinding: ["apiVersion", "kind", "metadata", "roleRef", "subjects"],
};

/** Every problem of the command's objects: PKO's CRD for the Stack, Kubernetes' for the rest. */
function problemsOf(objects: Loaded[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const id = `${object.kind} ${object.metadata.name}`;
    if (object.kind === "Stack") {
      problems.push(...crdProblems(pkoCrds().stack, object).map((p) => `${id}: ${p}`));
      problems.push(
        ...crdProblems(pkoCrds().workspace, workspaceOf(object)).map(
          (p) => `${id}: Workspace ${p}`,
        ),
      );
      continue;
    }
    try {
      VALIDATE[object.kind](object);
    } catch (error) {
      problems.push(`${id}: ${String(error)}`);
    }
    const unknown = Object.keys(object).filter((k) => !FIELDS[object.kind].includes(k));
    if (unknown.length > 0) problems.push(`${id}: unknown fields ${unknown.join(", ")}`);
  }
  return problems;
}

/** The list fields of a Workspace that PKO's strategic merge patch merges by key. */
const MERGE_KEYS: Record<string, string> = {
  env: "name",
  containers: "name",
  volumes: "name",
  volumeMounts: "mountPath",
};

/** A strategic merge patch of `patch` onto `base`, for the lists of {@link MERGE_KEYS}. */
function merge(base: unknown, patch: unknown, field = ""): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (Array.isArray(base) && Array.isArray(patch) && MERGE_KEYS[field] !== undefined) {
    const key = MERGE_KEYS[field];
    const out = (base as Record<string, unknown>[]).map((item) => ({ ...item }));
    for (const item of patch as Record<string, unknown>[]) {
      const i = out.findIndex((b) => b[key] === item[key]);
      if (i === -1) out.push(item);
      else out[i] = merge(out[i], item) as Record<string, unknown>;
    }
    return out;
  }
  if (isMap(base) && isMap(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = k in base ? merge(base[k], v, k) : v;
    return out;
  }
  return patch;
}

/**
 * The Workspace PKO makes of a Stack (`stack_controller.go`: `NewWorkspace`, `setupWorkspace`,
 * the git source and `envRefs`), with the Stack's `workspaceTemplate` merged on top as PKO
 * merges it (`patchObject`: a strategic merge patch).
 */
function workspaceOf(stack: Loaded): object {
  const spec = stack.spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const env = Object.entries(
    spec.envRefs as Record<string, { secret: { name: string; key: string } }>,
  ).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: ref.secret } }));
  const base = {
    serviceAccountName: spec.serviceAccountName as string,
    git: {
      url: spec.projectRepo as string,
      ref: spec.branch as string,
      shallow: spec.shallow as boolean,
      ...(spec.repoDir === undefined ? {} : { dir: spec.repoDir as string }),
    },
    env,
    podTemplate: { spec: { containers: [{ name: "pulumi" }] } },
    stacks: [{ name: spec.stack as string, create: spec.useLocalStackOnly !== true }],
  };
  return {
    apiVersion: "auto.pulumi.com/v1alpha1",
    kind: "Workspace",
    metadata: { name: stack.metadata.name, namespace: stack.metadata.namespace },
    spec: merge(base, (spec.workspaceTemplate as { spec: object }).spec),
  };
}

describe("reconciler: the Stack", () => {
  it("for prod: ORG/NAME from the branch, refresh and resync, the token by reference, the pinned image", () => {
    const { code, objects } = reconcile(required("prod"));
    expect(code).to.equal(EXIT.ok);
    expect(stackOf(objects)).to.deep.equal({
      apiVersion: "pulumi.com/v1",
      kind: "Stack",
      metadata: { name: "wso2-mi-prod", namespace: "integrations-prod" },
      spec: {
        stack: "acme/prod",
        projectRepo: "https://github.com/acme/integrations.git",
        branch: "main",
        shallow: true,
        refresh: true,
        continueResyncOnCommitMatch: true,
        resyncFrequencySeconds: 60,
        useLocalStackOnly: true,
        destroyOnFinalize: false,
        serviceAccountName: "wso2-mi-prod",
        envRefs: {
          PULUMI_ACCESS_TOKEN: {
            type: "Secret",
            secret: { name: "pulumi-api-secret", key: "accessToken" },
          },
        },
        workspaceTemplate: {
          spec: {
            image: `pulumi/pulumi:${PULUMI_VERSION}-nonroot`,
            securityProfile: "restricted",
            resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } },
          },
        },
      },
    });
  });

  it("is valid against PKO's CRDs, as are the Workspace PKO makes of it and the RBAC objects", () => {
    const runs = [
      required("dev"),
      required("prod"),
      [
        ...required("prod"),
        "--branch=release/2026",
        "--repo-dir=deploy/wso2-mi",
        "--namespace=pulumi-stacks",
        "--git-auth-secret=git-credentials",
        "--docker-config-secret=registry-credentials",
        "--access-token-secret=pulumi-token",
        "--name=integrations-prod",
      ],
      [
        "--stack",
        "prod",
        "--repo",
        "git@github.com:acme/integrations.git",
        "--org",
        "acme",
        "--git-auth-secret=git-ssh",
      ],
    ];
    for (const argv of runs) {
      const { code, objects } = reconcile(argv);
      expect(code, argv.join(" ")).to.equal(EXIT.ok);
      expect(objects.length, argv.join(" ")).to.be.greaterThan(4);
      expect(problemsOf(objects), argv.join(" ")).to.deep.equal([]);
    }
  });

  it("the validation finds what PKO's CRDs refuse (so the check above can fail)", () => {
    const stack = stackOf(reconcile(required("prod")).objects);
    const broken = structuredClone(stack);
    delete broken.spec.stack;
    broken.spec.resyncFrequencySeconds = "60";
    broken.spec.commitSha = "abc";
    (broken.spec.workspaceTemplate as { spec: Record<string, unknown> }).spec.imagePullSecret = "x";
    expect(crdProblems(pkoCrds().stack, broken)).to.deep.equal([
      "spec.stack: required",
      'spec.resyncFrequencySeconds: expected an integer, got string "60"',
      "spec.workspaceTemplate.spec.imagePullSecret: unknown field",
      "spec.commitSha: unknown field",
    ]);
  });

  it("names the Stack within 42 characters: the CRD's CEL rule, checked here since a schema cannot", () => {
    const rules = pkoCrds().stack.versions.get("v1")?.["x-kubernetes-validations"];
    expect(rules).to.deep.equal([
      {
        message: "Stack name must be no more than 42 characters in length.",
        rule: "size(self.metadata.name) <= 42",
      },
    ]);
    const options: ReconcilerOptions = {
      name: "a".repeat(42),
      namespace: "integrations-prod",
      stack: "acme/prod",
      repo: "https://github.com/acme/integrations.git",
      branch: "main",
      resyncFrequencySeconds: 60,
      accessTokenSecret: "pulumi-api-secret",
      image: "pulumi/pulumi:3.0.0-nonroot",
    };
    expect(crdProblems(pkoCrds().stack, buildStack(options))).to.deep.equal([]);
    expect(
      crdProblems(pkoCrds().stack, buildStack({ ...options, name: "a".repeat(43) })),
    ).to.deep.equal(['(root): fails the CEL rule "size(self.metadata.name) <= 42"']);
    // Without the rule, the schema alone takes the long name: that is why it is checked by hand.
    const withoutRule = structuredClone(pkoCrds().stack);
    delete (withoutRule.versions.get("v1") as Schema)["x-kubernetes-validations"];
    expect(
      crdProblems(withoutRule, buildStack({ ...options, name: "a".repeat(43) })),
    ).to.deep.equal([]);
  });

  it("refuses a stack whose default name would be too long, with usage (exit 2)", () => {
    const long = "environment-with-a-rather-long-name";
    const dir = project(long, ["wso2-mi:crs: crs"]);
    const { code, stdout, stderr } = reconcile(required(long), dir);
    expect(code).to.equal(EXIT.usage);
    expect(stdout).to.equal("");
    expect(stderr.split("\n")[0]).to.equal(
      `reconciler: the Stack's name <project>-<stack>: "wso2-mi-${long}" has 43 characters; ` +
        "a PKO Stack's name has at most 42 (its workspace's StatefulSet and pods are named after " +
        "it); choose one with --name",
    );
  });

  it("takes the resync frequency from reconcileInterval, at least 60 s, and says when 10 s became 60", () => {
    const interval = (config: string[], files: Record<string, string> = {}) => {
      const { code, objects, stderr } = reconcile(required("qa"), project("qa", config, files));
      expect(code, stderr).to.equal(EXIT.ok);
      const notes = stderr.split("\n").filter((l) => l.includes("reconcileInterval"));
      return { seconds: stackOf(objects).spec.resyncFrequencySeconds, notes };
    };
    expect(interval(["wso2-mi:crs: crs"])).to.deep.equal({
      seconds: 60,
      notes: [
        "note: Pulumi.qa.yaml: reconcileInterval is 10 s (the built-in default); the Stack " +
          "re-applies every 60 s instead, the least PKO takes (resyncFrequencySeconds below 60 " +
          "count as 60), and polls the branch for new commits as often; set " +
          "wso2-mi:defaults.reconcileInterval to choose a longer one",
      ],
    });
    const stackSet = interval([
      "wso2-mi:crs: crs",
      "wso2-mi:defaults:",
      "  reconcileInterval: 300",
    ]);
    expect(stackSet.seconds).to.equal(300);
    expect(stackSet.notes).to.have.length(1);
    expect(stackSet.notes[0]).to.match(
      /wso2-mi:defaults\.reconcileInterval: read only by `npm run reconciler`/,
    );
    const fromFile = interval(["wso2-mi:crs: crs", "wso2-mi:controllerConfig: conf.yaml"], {
      "conf.yaml":
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: integration-config\ndata:\n  reconcileInterval: "30"\n',
    });
    expect(fromFile.seconds).to.equal(60);
    expect(fromFile.notes).to.have.length(2);
    expect(fromFile.notes[1]).to.match(
      /^note: Pulumi\.qa\.yaml: reconcileInterval is 30 s \(reconcileInterval in conf\.yaml\)/,
    );
  });

  it("uses the flags: branch, folder, namespace, git credentials by URL scheme, the Docker config", () => {
    const https = stackOf(
      reconcile([
        ...required("prod"),
        "--branch=release/2026",
        "--repo-dir=deploy/wso2-mi",
        "--namespace=pulumi-stacks",
        "--git-auth-secret=git-credentials",
        "--docker-config-secret=registry-credentials",
        "--name=integrations-prod",
      ]).objects,
    );
    expect(https.metadata).to.deep.equal({ name: "integrations-prod", namespace: "pulumi-stacks" });
    expect(https.spec.branch).to.equal("release/2026");
    expect(https.spec.repoDir).to.equal("deploy/wso2-mi");
    expect(https.spec.serviceAccountName).to.equal("integrations-prod");
    expect(https.spec.gitAuth).to.deep.equal({
      accessToken: { type: "Secret", secret: { name: "git-credentials", key: "accessToken" } },
    });
    expect((https.spec.workspaceTemplate as { spec: object }).spec).to.deep.include({
      env: [{ name: "DOCKER_CONFIG", value: "/var/run/secrets/docker-config" }],
      podTemplate: {
        spec: {
          containers: [
            {
              name: "pulumi",
              volumeMounts: [
                {
                  name: "docker-config",
                  mountPath: "/var/run/secrets/docker-config",
                  readOnly: true,
                },
              ],
            },
          ],
          volumes: [
            {
              name: "docker-config",
              secret: {
                secretName: "registry-credentials",
                items: [{ key: ".dockerconfigjson", path: "config.json" }],
              },
            },
          ],
        },
      },
    });
    const ssh = stackOf(
      reconcile([
        "--stack=prod",
        "--org=acme",
        "--repo=git@github.com:acme/integrations.git",
        "--git-auth-secret=git-ssh",
      ]).objects,
    );
    expect(ssh.spec.gitAuth).to.deep.equal({
      sshAuth: {
        sshPrivateKey: { type: "Secret", secret: { name: "git-ssh", key: "sshPrivateKey" } },
      },
    });
    expect(ssh.spec).to.not.have.property("commit");
    expect(ssh.spec).to.not.have.property("envSecrets");
    expect(ssh.spec).to.not.have.property("accessTokenSecret");
  });

  it("puts the ServiceAccount in the Stack's namespace and binds it to system:auth-delegator", () => {
    const { objects } = reconcile([...required("prod"), "--namespace=pulumi-stacks"]);
    expect(objects.slice(0, 2)).to.deep.equal([
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "wso2-mi-prod", namespace: "pulumi-stacks" },
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "pulumi-stacks:wso2-mi-prod:system:auth-delegator" },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: "system:auth-delegator",
        },
        subjects: [{ kind: "ServiceAccount", name: "wso2-mi-prod", namespace: "pulumi-stacks" }],
      },
    ]);
    expect(objects.at(-1)?.kind).to.equal("Stack");
  });
});

describe("reconciler: what the stack must not say", () => {
  it("refuses a stack that names a kube context or kubeconfig, secret or not (exit 1)", () => {
    const dir = project("qa", [
      "wso2-mi:crs: crs",
      "kubernetes:kubeconfig:",
      "  secure: v1:abcdef",
      "kubernetes:context: qa-cluster",
    ]);
    const { code, stdout, stderr } = reconcile(required("qa"), dir);
    expect(code).to.equal(EXIT.invalidInput);
    expect(stdout).to.equal("");
    const errors = stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(errors).to.deep.equal([
      "error: Pulumi.qa.yaml:3: kubernetes:kubeconfig: tells Pulumi which cluster to reach, but " +
        "the Pulumi Kubernetes Operator runs `pulumi up` in the cluster as the Stack's " +
        "ServiceAccount, and this setting would send it to a kubeconfig the workspace does not " +
        "have; remove it from the stack (a stack deployed from outside the cluster cannot also " +
        "reconcile itself inside it)",
      "error: Pulumi.qa.yaml:5: kubernetes:context: tells Pulumi which cluster to reach, but " +
        "the Pulumi Kubernetes Operator runs `pulumi up` in the cluster as the Stack's " +
        "ServiceAccount, and this setting would send it to a kubeconfig the workspace does not " +
        "have; remove it from the stack (a stack deployed from outside the cluster cannot also " +
        "reconcile itself inside it)",
    ]);
    const own = project("qa", ["wso2-mi:crs: crs", "wso2-mi:kubernetes:", "  context: qa-cluster"]);
    const result = reconcile(required("qa"), own);
    expect(result.code).to.equal(EXIT.invalidInput);
    expect(result.stderr.split("\n").filter((l) => l.startsWith("error:"))).to.have.length(1);
    expect(result.stderr).to.include(
      "error: Pulumi.qa.yaml:4: wso2-mi:kubernetes.context: names a kubeconfig context, but the " +
        "Pulumi Kubernetes Operator runs `pulumi up` in the cluster",
    );
  });

  it("takes the stack's other kubernetes settings", () => {
    const dir = project("qa", [
      "wso2-mi:crs: crs",
      "wso2-mi:kubernetes:",
      "  serverSideApply: true",
      "  readinessTimeoutSeconds: 600",
    ]);
    expect(reconcile(required("qa"), dir).code).to.equal(EXIT.ok);
    const defaults = project("qa", ["wso2-mi:crs: crs", "kubernetes:namespace: default"]);
    expect(reconcile(required("qa"), defaults).code).to.equal(EXIT.ok);
  });

  it("refuses --docker-config-secret beside the stack's own imageRefresh.dockerConfig", () => {
    const dir = project("qa", [
      "wso2-mi:crs: crs",
      "wso2-mi:imageRefresh:",
      "  enabled: true",
      "  dockerConfig: ci/docker.json",
    ]);
    const { code, stdout, stderr } = reconcile(
      [...required("qa"), "--docker-config-secret=regcred"],
      dir,
    );
    expect(code).to.equal(EXIT.invalidInput);
    expect(stdout).to.equal("");
    expect(stderr).to.include(
      'error: Pulumi.qa.yaml:5: wso2-mi:imageRefresh.dockerConfig: names "ci/docker.json", which ' +
        "the workspace would read instead of the Secret --docker-config-secret mounts through " +
        "DOCKER_CONFIG; remove one of them",
    );
    expect(reconcile(required("qa"), dir).code).to.equal(EXIT.ok);
  });

  it("reports the stack's own problems as render does (exit 1, nothing on stdout)", () => {
    const { code, stdout, stderr } = reconcile(required("staging"));
    expect(code).to.equal(EXIT.invalidInput);
    expect(stdout).to.equal("");
    expect(stderr).to.match(/^error: stacks\/Pulumi\.staging\.yaml: no such stack file/);
  });
});

describe("reconciler: notes", () => {
  it("says which Secrets to create, and that image refresh can deploy with no commit", () => {
    const prod = reconcile([...required("prod"), "--git-auth-secret=git-credentials"]).stderr.split(
      "\n",
    );
    expect(prod[0]).to.equal(
      "note: command line: the Stack reads the Secrets pulumi-api-secret (key accessToken: a " +
        "Pulumi access token), git-credentials (key accessToken) in namespace integrations-prod: " +
        "create them before applying this output, and the Pulumi stack with `pulumi stack init` " +
        "(the Stack never creates one)",
    );
    expect(prod.filter((l) => l.includes("wso2-mi:imageRefresh"))).to.deep.equal([
      "note: stacks/Pulumi.prod.yaml:27: wso2-mi:imageRefresh: 5 integrations resolve their tag " +
        "to the registry's digest at every update, so a resync (every 60 s) can deploy a new " +
        "image pushed under the same tag with no commit in git; the workspace logs in to " +
        "registries with the stack's secret wso2-mi:registryCredentials (decrypted by Pulumi), " +
        "or pass --docker-config-secret",
    ]);
    const dev = reconcile(required("dev")).stderr;
    expect(dev).to.not.include("imageRefresh");
  });
});
