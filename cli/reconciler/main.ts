/**
 * `npm run reconciler -- --stack NAME --repo URL --org ORG [--branch BRANCH] [--repo-dir DIR]
 * [--namespace NS] [--git-auth-secret NAME] [--docker-config-secret NAME]
 * [--access-token-secret NAME] [--name NAME]`: the Pulumi Kubernetes Operator `Stack` that makes
 * the stack reconcile itself in the cluster, its ServiceAccount and RBAC, as YAML on stdout. Offline;
 * reads the stack exactly as render does. Exit codes as render's: 0 ok (notes on stderr), 1
 * invalid input (nothing on stdout), 2 usage, 70 a bug.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_NAMESPACE } from "../../components/model/defaults/operator";
import { parseYamlDocuments } from "../../components/model/input/yaml";
import { readInputFile } from "../../components/model/input/inputFile";
import { Problems, type Problem } from "../../components/model/problems";
import { isMapping, quote } from "../../components/model/rules";
import { refreshingIntegrations } from "../../components/model/settings/imageRefresh";
import { qualifiedKey } from "../../components/model/settings/stackFile";
import { commandArgs } from "../common/args";
import { EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
import { renderYaml } from "../common/manifests";
import { COMMAND_LINE, loadStackInput, type StackInput } from "../common/stackInput";
import {
  parseReconcilerArgs,
  RECONCILER_FLAG_NAMES,
  RECONCILER_USAGE,
  stackNameProblem,
  type ReconcilerArgs,
} from "./args";
import {
  ACCESS_TOKEN_KEY,
  buildReconcilerObjects,
  GIT_SSH_KEY,
  GIT_TOKEN_KEY,
  isSshRepo,
  MIN_RESYNC_SECONDS,
  type ReconcilerOptions,
} from "./objects";

/** The Kubernetes provider's keys that point it at a cluster other than the one it runs in. */
const CLUSTER_KEYS = ["kubernetes:cluster", "kubernetes:context", "kubernetes:kubeconfig"];

/**
 * The Pulumi CLI image of the version this project's `@pulumi/pulumi` is (the CLI and the SDKs are
 * released together), `-nonroot` as PKO's own default (`pulumi/pulumi:latest-nonroot`) for its
 * default `restricted` security profile, pinned rather than `latest` so that a resync never runs
 * another Pulumi than the one the program was tested with.
 */
export function pulumiImage(): string {
  const file = require.resolve("@pulumi/pulumi/package.json");
  const { version } = JSON.parse(fs.readFileSync(file, "utf8")) as { version: string };
  return `pulumi/pulumi:${version}-nonroot`;
}

/**
 * The stack's settings that name a cluster: under PKO the workspace reaches its own cluster as the
 * Stack's ServiceAccount, and a kubeconfig, context or cluster in the stack would take Pulumi
 * elsewhere (or fail: the pod has no kubeconfig). Secret values are found too.
 */
function clusterSettingProblems(baseDir: string, input: StackInput, problems: Problems): void {
  const project = input.project.name;
  const { source } = input.settings;
  const why =
    "the Pulumi Kubernetes Operator runs `pulumi up` in the cluster as the Stack's " +
    "ServiceAccount, and this setting would send it to a kubeconfig the workspace does not have; " +
    "remove it from the stack (a stack deployed from outside the cluster cannot also reconcile " +
    "itself inside it)";
  if (input.settings.kubernetes?.context !== undefined) {
    problems.error(
      source,
      `${project}:kubernetes.context`,
      `names a kubeconfig context, but ${why}`,
    );
  }
  const read = readInputFile(path.resolve(baseDir, source.file));
  if (!("text" in read)) return;
  const documents = parseYamlDocuments(read.text, source.file, new Problems());
  const root = documents[0]?.value;
  const config = isMapping(root) && isMapping(root.config) ? root.config : {};
  for (const key of Object.keys(config)) {
    const qualified = qualifiedKey(key, project);
    if (qualified !== undefined && CLUSTER_KEYS.includes(qualified)) {
      problems.error(source, qualified, `tells Pulumi which cluster to reach, but ${why}`);
    }
  }
}

/** The flags' conflict with the stack's own Docker config file. */
function dockerConfigProblems(args: ReconcilerArgs, input: StackInput, problems: Problems): void {
  const file = input.settings.imageRefresh?.dockerConfig;
  if (args.dockerConfigSecret === undefined || file === undefined) return;
  problems.error(
    input.settings.source,
    `${input.project.name}:imageRefresh.dockerConfig`,
    `names ${quote(file)}, which the workspace would read instead of the Secret ` +
      `--docker-config-secret mounts through DOCKER_CONFIG; remove one of them`,
  );
}

/** What the stack's settings mean for the Stack, said on stderr. */
function notes(
  args: ReconcilerArgs,
  input: StackInput,
  options: ReconcilerOptions,
  problems: Problems,
): void {
  const project = input.project.name;
  const { source } = input.settings;
  const interval = input.resolved.reconcileInterval;
  if (interval !== undefined && interval.seconds < MIN_RESYNC_SECONDS) {
    problems.note(
      source,
      undefined,
      `reconcileInterval is ${interval.seconds} s (${interval.from}); the Stack re-applies every ` +
        `${MIN_RESYNC_SECONDS} s instead, the least PKO takes (resyncFrequencySeconds below ` +
        `${MIN_RESYNC_SECONDS} count as ${MIN_RESYNC_SECONDS}), and polls the branch for new ` +
        `commits as often; set ${project}:defaults.reconcileInterval to choose a longer one`,
    );
  }
  const refreshing = refreshingIntegrations(input.resolved);
  const unlocked = refreshing.filter((i) => i.imageRefresh?.locked === undefined).length;
  if (refreshing.length > 0) {
    const credentials =
      args.dockerConfigSecret === undefined
        ? `; the workspace logs in to registries with the stack's secret ` +
          `${project}:registryCredentials (decrypted by Pulumi), or pass --docker-config-secret`
        : "";
    const lock = input.resolved.imageLock?.file;
    problems.note(
      source,
      `${project}:imageRefresh`,
      unlocked > 0
        ? `${unlocked} integration${unlocked === 1 ? " resolves its" : "s resolve their"} tag ` +
            `to the registry's digest at every update, so a resync (every ` +
            `${options.resyncFrequencySeconds} s) can deploy a new image pushed under the same ` +
            `tag with no commit in git${credentials}`
        : `${refreshing.length} integration${refreshing.length === 1 ? " deploys its" : "s deploy their"} ` +
            `digest from ${lock ?? "the image lock"}, so a new image rolls out only when that ` +
            `file changes in git, after the workspace checks the registry still holds it${credentials}`,
    );
  }
  const secrets = [`${options.accessTokenSecret} (key ${ACCESS_TOKEN_KEY}: a Pulumi access token)`];
  if (options.gitAuthSecret !== undefined) {
    const key = isSshRepo(options.repo) ? GIT_SSH_KEY : GIT_TOKEN_KEY;
    secrets.push(`${options.gitAuthSecret} (key ${key})`);
  }
  if (options.dockerConfigSecret !== undefined) {
    secrets.push(`${options.dockerConfigSecret} (type kubernetes.io/dockerconfigjson)`);
  }
  problems.note(
    { file: COMMAND_LINE },
    undefined,
    `the Stack reads the Secret${secrets.length === 1 ? "" : "s"} ${secrets.join(", ")} in ` +
      `namespace ${options.namespace}: create ${secrets.length === 1 ? "it" : "them"} before ` +
      "applying this output, and the Pulumi stack with `pulumi stack init` (the Stack never " +
      "creates one)",
  );
}

/** Runs reconciler with `argv` (the arguments after the script) and returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  return runCommand("reconciler", io, () => {
    const args = commandArgs(
      {
        name: "reconciler",
        parse: parseReconcilerArgs,
        usage: RECONCILER_USAGE,
        flags: RECONCILER_FLAG_NAMES,
      },
      argv,
      io,
    );
    if (typeof args === "number") return args;
    const input = loadStackInput(io.projectDir, { stack: args.stack });
    const name = args.name ?? `${input.project.name}-${args.stack}`;
    const nameProblem =
      args.name === undefined
        ? stackNameProblem(name, `the Stack's name <project>-<stack>`)
        : undefined;
    if (nameProblem !== undefined) {
      io.stderr(`reconciler: ${nameProblem}; choose one with --name\n\n${RECONCILER_USAGE}`);
      return EXIT.usage;
    }
    const problems = new Problems();
    clusterSettingProblems(io.projectDir, input, problems);
    dockerConfigProblems(args, input, problems);
    const options: ReconcilerOptions = {
      name,
      namespace: args.namespace ?? input.settings.namespace ?? DEFAULT_NAMESPACE,
      stack: `${args.org}/${args.stack}`,
      repo: args.repo,
      branch: args.branch,
      resyncFrequencySeconds: Math.max(
        MIN_RESYNC_SECONDS,
        input.resolved.reconcileInterval?.seconds ?? MIN_RESYNC_SECONDS,
      ),
      accessTokenSecret: args.accessTokenSecret,
      image: pulumiImage(),
    };
    if (args.repoDir !== undefined) options.repoDir = args.repoDir;
    if (args.gitAuthSecret !== undefined) options.gitAuthSecret = args.gitAuthSecret;
    if (args.dockerConfigSecret !== undefined) {
      options.dockerConfigSecret = args.dockerConfigSecret;
    }
    const advice: Problem[] = [...input.advice];
    if (problems.hasErrors) {
      printProblems(io, [...advice, ...problems.list]);
      return EXIT.invalidInput;
    }
    notes(args, input, options, problems);
    printProblems(io, [...advice, ...problems.list]);
    io.stdout(renderYaml(buildReconcilerObjects(options, input.list)));
    return EXIT.ok;
  });
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), processIo("reconciler"));
}
