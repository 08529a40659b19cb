/** Command-line flags of `npm run reconciler`, parsed with `node:util` `parseArgs`. */
import { parseFlags, shownArgument, type ParsedArgs } from "../common/args";
import { dns1123LabelProblem, dns1123SubdomainProblem } from "../../components/model/rules";
import { MAX_STACK_NAME } from "./objects";

/** What `reconciler` was asked to do. */
export interface ReconcilerArgs {
  /** The stack (`stacks/Pulumi.<stack>.yaml`), without its organization. Required. */
  stack: string;
  /** The git repository PKO clones: `https://...`, `ssh://...` or `git@host:path`. Required. */
  repo: string;
  /** The Pulumi Cloud organization of the stack. Required. */
  org: string;
  /** The branch PKO polls. Default: `main`. */
  branch: string;
  /** Where `Pulumi.yaml` is in the repository, relative. Default: its root. */
  repoDir?: string;
  /** Namespace of the Stack and its ServiceAccount. Default: the stack's `namespace`. */
  namespace?: string;
  /** A Secret with git credentials for a private repository. Default: none. */
  gitAuthSecret?: string;
  /** A `kubernetes.io/dockerconfigjson` Secret mounted for image refresh. Default: none. */
  dockerConfigSecret?: string;
  /** The Secret holding the Pulumi access token. Default: `pulumi-api-secret`. */
  accessTokenSecret: string;
  /** The Stack's name. Default: `<project>-<stack>`. */
  name?: string;
  /** `--help`: print the usage text and stop. */
  help: boolean;
}

/** The access token Secret's name when `--access-token-secret` is not given (PKO's examples'). */
export const DEFAULT_ACCESS_TOKEN_SECRET = "pulumi-api-secret";

/** Usage text of `npm run reconciler`. */
export const RECONCILER_USAGE = `usage: npm run reconciler -- --stack NAME --repo URL --org ORG [--branch BRANCH]
                            [--repo-dir DIR] [--namespace NS] [--git-auth-secret NAME]
                            [--docker-config-secret NAME] [--access-token-secret NAME]
                            [--name NAME]

Prints, as multi-document YAML, what makes the stack reconcile itself in the cluster with the
Pulumi Kubernetes Operator (v2): a Stack that runs \`pulumi up\` from the branch, its
ServiceAccount, and RBAC limited to what the stack deploys. Apply it with kubectl.
  --stack NAME                 the stack (stacks/Pulumi.<NAME>.yaml)
  --repo URL                   the git repository of this project
  --org ORG                    the stack's Pulumi organization (the Stack deploys ORG/NAME)
  --branch BRANCH              the branch to follow (default: main)
  --repo-dir DIR               the folder of Pulumi.yaml in the repository (default: its root)
  --namespace NS               namespace of the Stack, its ServiceAccount and Secrets
                               (default: the stack's wso2-mi:namespace)
  --git-auth-secret NAME       Secret with git credentials: key accessToken (https URLs) or
                               sshPrivateKey (ssh URLs)
  --docker-config-secret NAME  kubernetes.io/dockerconfigjson Secret for image refresh,
                               mounted in the workspace with DOCKER_CONFIG
  --access-token-secret NAME   Secret with the Pulumi access token in key accessToken
                               (default: ${DEFAULT_ACCESS_TOKEN_SECRET})
  --name NAME                  name of the Stack and its ServiceAccount, at most 42
                               characters (default: <project>-<stack>)
  --help                       this text
`;

/** A Pulumi organization name: letters, digits, `-`, `_`, `.`, starting with a letter or digit. */
const ORG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `repo` is not a git URL PKO clones, or undefined. */
function repoProblem(repo: string): string | undefined {
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$/;
  if (scp.test(repo)) return undefined;
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    url = new URL("invalid:");
  }
  const schemes = ["https:", "http:", "ssh:"];
  if (schemes.includes(url.protocol) && url.hostname !== "" && url.pathname.length > 1) {
    return undefined;
  }
  return (
    `--repo expects a git URL such as https://github.com/acme/integrations.git or ` +
    `git@github.com:acme/integrations.git, got ${shownArgument(repo)}`
  );
}

/** Why `branch` is not a branch git accepts (`git check-ref-format`'s rules), or undefined. */
function branchProblem(branch: string): string | undefined {
  const bad =
    branch.startsWith("-") ||
    branch.startsWith("/") ||
    branch.endsWith("/") ||
    branch.endsWith(".") ||
    branch.endsWith(".lock") ||
    branch.includes("..") ||
    branch.includes("//") ||
    branch.includes("@{") ||
    branch === "@" ||
    // eslint-disable-next-line no-control-regex -- control characters are what git refuses
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(branch) ||
    /^[0-9a-f]{40}$/.test(branch);
  return bad
    ? `--branch expects a branch name such as main, got ${shownArgument(branch)}` +
        (/^[0-9a-f]{40}$/.test(branch) ? " (a commit: PKO only polls branches)" : "")
    : undefined;
}

/** Why `dir` is not a relative folder inside the repository, or undefined. */
function repoDirProblem(dir: string): string | undefined {
  const parts = dir.replace(/\/+$/, "").split("/");
  if (dir.startsWith("/") || parts.some((p) => p === ".." || p === "")) {
    return `--repo-dir expects a folder inside the repository such as deploy/wso2-mi, got ${shownArgument(dir)}`;
  }
  return undefined;
}

/** `reconciler`'s flags, as `parseArgs` takes them. */
const RECONCILER_FLAGS = {
  options: {
    stack: { type: "string" },
    repo: { type: "string" },
    org: { type: "string" },
    branch: { type: "string" },
    "repo-dir": { type: "string" },
    namespace: { type: "string" },
    "git-auth-secret": { type: "string" },
    "docker-config-secret": { type: "string" },
    "access-token-secret": { type: "string" },
    name: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: false,
} as const;

/** `reconciler`'s long flag names. */
export const RECONCILER_FLAG_NAMES = Object.keys(RECONCILER_FLAGS.options);

/**
 * Parses `reconciler`'s flags: `--stack`, `--repo` and `--org` are required, every flag takes one
 * non-empty value, names are Kubernetes names, and no positional arguments are accepted.
 */
export function parseReconcilerArgs(argv: readonly string[]): ParsedArgs<ReconcilerArgs> {
  const result = parseFlags(argv, RECONCILER_FLAGS);
  if (!result.ok) return result;
  const { values } = result.parsed;
  const help = values.help ?? false;
  if (help) {
    return {
      ok: true,
      args: {
        stack: "",
        repo: "",
        org: "",
        branch: "main",
        accessTokenSecret: DEFAULT_ACCESS_TOKEN_SECRET,
        help,
      },
    };
  }
  for (const [flag, value] of Object.entries(values)) {
    if (value === "") return { ok: false, message: `--${flag} needs a non-empty value` };
  }
  const missing = (["stack", "repo", "org"] as const).filter((f) => values[f] === undefined);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `${missing.map((f) => `--${f}`).join(", ")} ${missing.length === 1 ? "is" : "are"} required`,
    };
  }
  const { stack = "", repo = "", org = "" } = values;
  const problem = flagProblem(values);
  if (problem !== undefined) return { ok: false, message: problem };
  const args: ReconcilerArgs = {
    stack,
    repo,
    org,
    branch: values.branch ?? "main",
    accessTokenSecret: values["access-token-secret"] ?? DEFAULT_ACCESS_TOKEN_SECRET,
    help,
  };
  if (values["repo-dir"] !== undefined) args.repoDir = values["repo-dir"];
  if (values.namespace !== undefined) args.namespace = values.namespace;
  if (values["git-auth-secret"] !== undefined) args.gitAuthSecret = values["git-auth-secret"];
  if (values["docker-config-secret"] !== undefined) {
    args.dockerConfigSecret = values["docker-config-secret"];
  }
  if (values.name !== undefined) args.name = values.name;
  return { ok: true, args };
}

/** The first flag value that is not what it should be, as a usage message. */
function flagProblem(values: Record<string, string | boolean | undefined>): string | undefined {
  const text = (flag: string): string | undefined => {
    const value = values[flag];
    return typeof value === "string" ? value : undefined;
  };
  const stack = text("stack") ?? "";
  if (stack.includes("/")) {
    return `--stack takes the stack's name alone (${shownArgument(stack.split("/").at(-1) ?? stack)}); give the organization with --org`;
  }
  const org = text("org") ?? "";
  if (!ORG.test(org)) {
    return `--org expects a Pulumi organization (letters, digits, -, _ and .), got ${shownArgument(org)}`;
  }
  const checks: (string | undefined)[] = [
    repoProblem(text("repo") ?? ""),
    text("branch") === undefined ? undefined : branchProblem(text("branch") ?? ""),
    text("repo-dir") === undefined ? undefined : repoDirProblem(text("repo-dir") ?? ""),
  ];
  const namespace = text("namespace");
  if (namespace !== undefined) {
    const p = dns1123LabelProblem(namespace);
    if (p !== undefined) checks.push(`--namespace expects a namespace name: ${p}`);
  }
  for (const flag of ["git-auth-secret", "docker-config-secret", "access-token-secret"]) {
    const value = text(flag);
    const p = value === undefined ? undefined : dns1123SubdomainProblem(value);
    if (p !== undefined) checks.push(`--${flag} expects a Secret's name: ${p}`);
  }
  const name = text("name");
  if (name !== undefined) checks.push(stackNameProblem(name, "--name"));
  return checks.find((c) => c !== undefined);
}

/**
 * Why `name` cannot name the Stack and its ServiceAccount, or undefined: a DNS-1123 label (PKO
 * names the workspace's StatefulSet and pods after it) of at most {@link MAX_STACK_NAME}
 * characters (the Stack CRD's own rule). `what` names its origin in the message.
 */
export function stackNameProblem(name: string, what: string): string | undefined {
  const label = dns1123LabelProblem(name);
  if (label !== undefined) return `${what} expects a Kubernetes name: ${label}`;
  if (name.length > MAX_STACK_NAME) {
    return (
      `${what}: ${shownArgument(name)} has ${name.length} characters; a PKO Stack's name has at ` +
      `most ${MAX_STACK_NAME} (its workspace's StatefulSet and pods are named after it)`
    );
  }
  return undefined;
}
