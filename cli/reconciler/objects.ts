/**
 * What an environment needs to reconcile itself with the Pulumi Kubernetes Operator (PKO v2): the
 * `Stack` (`pulumi.com/v1`) that runs `pulumi up` for the stack from a git branch, the workspace's
 * ServiceAccount, its `system:auth-delegator` binding, and Roles limited to what the stack deploys.
 * Pure: the same options and objects always give deep-equal output.
 */
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { Manifest } from "../common/manifests";
import { clusterRules, namespaceRules, stackAccess } from "./rbac";

/** The most characters PKO allows in a Stack's name (its CRD's validation rule). */
export const MAX_STACK_NAME = 42;

/** PKO treats a resync frequency below this as this, and polls the branch as often. */
export const MIN_RESYNC_SECONDS = 60;

/** The key of the access token in the Secret `envRefs` names (as PKO's examples write it). */
export const ACCESS_TOKEN_KEY = "accessToken";

/** The keys `gitAuth` reads from the `--git-auth-secret` Secret: a token, or an SSH key. */
export const GIT_TOKEN_KEY = "accessToken";
export const GIT_SSH_KEY = "sshPrivateKey";

/** Where the Docker config Secret is mounted in the workspace, and `DOCKER_CONFIG` points. */
export const DOCKER_CONFIG_DIR = "/var/run/secrets/docker-config";

/** The container of a PKO workspace pod that runs `pulumi` (PKO's `WorkspacePulumiContainerName`). */
export const PULUMI_CONTAINER = "pulumi";

/**
 * The workspace's resources. PKO's default requests 64Mi and 100m with no limit; this project's
 * workspace runs `pulumi install` (npm: about 0.5 GiB at peak for this dependency tree), then the
 * TypeScript program (type-checked at start: about 0.45 GiB), the Pulumi engine and the Kubernetes
 * provider plugin side by side. 2 GiB requested leaves about twice the measured peak, and the
 * limit equal to the request keeps the pod out of reach of eviction under node memory pressure;
 * no CPU limit, so `pulumi up` is never throttled, one CPU requested.
 */
export const WORKSPACE_RESOURCES = {
  requests: { cpu: "1", memory: "2Gi" },
  limits: { memory: "2Gi" },
} as const;

/** What {@link buildReconcilerObjects} needs besides the stack's objects. */
export interface ReconcilerOptions {
  /** The Stack's, ServiceAccount's and RBAC objects' name: a DNS-1123 label of at most 42. */
  name: string;
  /** Where the Stack, its ServiceAccount and every Secret it names live. */
  namespace: string;
  /** The fully qualified Pulumi stack, `<org>/<stack>`. */
  stack: string;
  /** The git repository of this project. */
  repo: string;
  /** The branch PKO polls; never a commit. */
  branch: string;
  /** Where `Pulumi.yaml` is in the repository. Default: its root. */
  repoDir?: string;
  /** `resyncFrequencySeconds`: at least {@link MIN_RESYNC_SECONDS}. */
  resyncFrequencySeconds: number;
  /** The Secret holding `PULUMI_ACCESS_TOKEN` under {@link ACCESS_TOKEN_KEY}. */
  accessTokenSecret: string;
  /** A Secret with git credentials, for a private repository. Default: none (public). */
  gitAuthSecret?: string;
  /** A `kubernetes.io/dockerconfigjson` Secret for image refresh. Default: none. */
  dockerConfigSecret?: string;
  /** The workspace image, `pulumi/pulumi:<version>-nonroot`. */
  image: string;
}

/** Whether a git URL is reached over SSH (`git@host:path`, `ssh://`), so takes an SSH key. */
export function isSshRepo(repo: string): boolean {
  return repo.startsWith("ssh://") || /^[A-Za-z0-9._-]+@[^:/]+:/.test(repo);
}

/** A `ResourceRef` of PKO reading `key` of the Secret `name` in the Stack's namespace. */
function secretRef(name: string, key: string): Record<string, unknown> {
  return { type: "Secret", secret: { name, key } };
}

/** The workspace template: the pinned image, its resources, and the Docker config when given. */
function workspaceTemplate(options: ReconcilerOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    image: options.image,
    securityProfile: "restricted",
    resources: structuredClone(WORKSPACE_RESOURCES),
  };
  const secret = options.dockerConfigSecret;
  if (secret !== undefined) {
    spec.env = [{ name: "DOCKER_CONFIG", value: DOCKER_CONFIG_DIR }];
    spec.podTemplate = {
      spec: {
        containers: [
          {
            name: PULUMI_CONTAINER,
            volumeMounts: [{ name: "docker-config", mountPath: DOCKER_CONFIG_DIR, readOnly: true }],
          },
        ],
        volumes: [
          {
            name: "docker-config",
            secret: {
              secretName: secret,
              items: [{ key: ".dockerconfigjson", path: "config.json" }],
            },
          },
        ],
      },
    };
  }
  return { spec };
}

/** The PKO `Stack` custom resource. */
export function buildStack(options: ReconcilerOptions): Manifest & Record<string, unknown> {
  const spec: Record<string, unknown> = {
    stack: options.stack,
    projectRepo: options.repo,
    branch: options.branch,
    shallow: true,
    refresh: true,
    continueResyncOnCommitMatch: true,
    resyncFrequencySeconds: options.resyncFrequencySeconds,
    useLocalStackOnly: true,
    destroyOnFinalize: false,
    serviceAccountName: options.name,
    envRefs: { PULUMI_ACCESS_TOKEN: secretRef(options.accessTokenSecret, ACCESS_TOKEN_KEY) },
    workspaceTemplate: workspaceTemplate(options),
  };
  if (options.repoDir !== undefined) spec.repoDir = options.repoDir;
  if (options.gitAuthSecret !== undefined) {
    spec.gitAuth = isSshRepo(options.repo)
      ? { sshAuth: { sshPrivateKey: secretRef(options.gitAuthSecret, GIT_SSH_KEY) } }
      : { accessToken: secretRef(options.gitAuthSecret, GIT_TOKEN_KEY) };
  }
  return {
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    metadata: { name: options.name, namespace: options.namespace },
    spec,
  };
}

/** Any object {@link buildReconcilerObjects} returns. */
export type ReconcilerObject =
  | IServiceAccount
  | IClusterRole
  | IClusterRoleBinding
  | IRole
  | IRoleBinding
  | ReturnType<typeof buildStack>;

/**
 * Everything, in the order `kubectl apply -f` should create it: the ServiceAccount, its
 * `system:auth-delegator` binding (PKO's workspace authenticates the operator's calls with
 * TokenReviews), the ClusterRole and binding for cluster-scoped objects when the stack renders
 * any (Namespaces with `createNamespace`), a Role and RoleBinding in each namespace the stack
 * deploys to (sorted), and last the Stack, whose first workspace then finds its permissions.
 * RBAC objects are named `<namespace>:<name>`, as PKO names its auth-delegator binding.
 */
export function buildReconcilerObjects(
  options: ReconcilerOptions,
  stackObjects: readonly Manifest[],
): ReconcilerObject[] {
  const { name, namespace } = options;
  const prefix = `${namespace}:${name}`;
  const subjects = [{ kind: "ServiceAccount", name, namespace }];
  const rbac = "rbac.authorization.k8s.io";
  const access = stackAccess(stackObjects);
  const out: ReconcilerObject[] = [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } },
    {
      apiVersion: `${rbac}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: `${prefix}:system:auth-delegator` },
      roleRef: { apiGroup: rbac, kind: "ClusterRole", name: "system:auth-delegator" },
      subjects,
    },
  ];
  if (access.cluster.length > 0) {
    const clusterName = `${prefix}:cluster`;
    out.push(
      {
        apiVersion: `${rbac}/v1`,
        kind: "ClusterRole",
        metadata: { name: clusterName },
        rules: clusterRules(access.cluster),
      },
      {
        apiVersion: `${rbac}/v1`,
        kind: "ClusterRoleBinding",
        metadata: { name: clusterName },
        roleRef: { apiGroup: rbac, kind: "ClusterRole", name: clusterName },
        subjects,
      },
    );
  }
  for (const { namespace: target, writes } of access.namespaces) {
    out.push(
      {
        apiVersion: `${rbac}/v1`,
        kind: "Role",
        metadata: { name: prefix, namespace: target },
        rules: namespaceRules(writes),
      },
      {
        apiVersion: `${rbac}/v1`,
        kind: "RoleBinding",
        metadata: { name: prefix, namespace: target },
        roleRef: { apiGroup: rbac, kind: "Role", name: prefix },
        subjects,
      },
    );
  }
  out.push(buildStack(options));
  return out;
}
