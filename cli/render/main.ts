/**
 * `npm run render -- [--stack NAME] [--crs PATH...] [--controller-config FILE] [--namespace NS]
 * [--out DIR] [--resolve-images [--docker-config FILE]]`: the Kubernetes objects the Pulumi
 * program deploys, without a cluster or the Pulumi CLI. Offline unless `--resolve-images`
 * asks the registries for digests. Paths on the command line are relative to the folder it was
 * started in. Exit codes: 0 ok (warnings on stderr), 1 invalid input or a registry failure, 2
 * usage, 70 a bug.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { buildStackObjects, listObjects, type KubeObject } from "../../components/builders";
import { parseRenderArgs, RENDER_FLAG_NAMES, RENDER_USAGE, type RenderArgs } from "./args";
import { commandArgs } from "../common/args";
import {
  cliPath,
  EXIT,
  printProblems,
  processIo,
  runCommand,
  runCommandAsync,
  type CliIo,
  type CliPath,
} from "../common/io";
import { imageNotes } from "../common/images";
import {
  outDirProblem,
  OUT_MARKER,
  realPaths,
  renderYaml,
  stackInputFiles,
  withConfigSecretsMasked,
  writeOutDir,
} from "../common/manifests";
import { loadStackInput, type StackInput } from "../common/stackInput";
import type * as PinImages from "../../provider/pinImages";

/** A render whose flags and input are valid: what is left is to print or write the objects. */
interface Prepared {
  args: RenderArgs;
  out?: CliPath;
  /** `--docker-config`, resolved. */
  dockerConfig?: CliPath;
  input: StackInput;
}

/** Flags, the output folder and the stack; an exit code when render stops there. */
function prepare(argv: readonly string[], io: CliIo): Prepared | number {
  const args = commandArgs(
    { name: "render", parse: parseRenderArgs, usage: RENDER_USAGE, flags: RENDER_FLAG_NAMES },
    argv,
    io,
  );
  if (typeof args === "number") return args;
  const out = args.out === undefined ? undefined : cliPath(io, args.out);
  if (out !== undefined) {
    const problem = outDirProblem(out.absolute, args.force);
    if (problem !== undefined) {
      io.stderr(`error: ${out.shown}: ${problem}\n`);
      return EXIT.invalidInput;
    }
  }
  const dockerConfig = args.dockerConfig === undefined ? undefined : cliPath(io, args.dockerConfig);
  if (dockerConfig !== undefined && !existsSync(dockerConfig.absolute)) {
    io.stderr(`error: --docker-config: no such file: ${dockerConfig.shown}\n`);
    return EXIT.invalidInput;
  }
  const input = loadStackInput(io.projectDir, {
    ...(args.stack === undefined ? {} : { stack: args.stack }),
    ...(args.crs === undefined ? {} : { crs: args.crs.map((p) => cliPath(io, p).shown) }),
    ...(args.controllerConfig === undefined
      ? {}
      : { controllerConfig: cliPath(io, args.controllerConfig).shown }),
    ...(args.namespace === undefined ? {} : { namespace: args.namespace }),
    refreshImages: args.resolveImages,
  });
  printProblems(io, [...input.advice, ...imageNotes(input, args.resolveImages)]);
  return {
    args,
    input,
    ...(out === undefined ? {} : { out }),
    ...(dockerConfig === undefined ? {} : { dockerConfig }),
  };
}

/** Prints the objects, or writes them to the output folder, never over one of render's inputs. */
function output(io: CliIo, prepared: Prepared, objects: KubeObject[]): number {
  const { args, out, input, dockerConfig } = prepared;
  const list = objects.map(withConfigSecretsMasked);
  if (out === undefined) {
    io.stdout(renderYaml(list));
  } else {
    const docker = dockerConfig === undefined ? [] : [dockerConfig.absolute];
    const inputs = realPaths(stackInputFiles(io.projectDir, input, docker));
    const files = writeOutDir(list, out.absolute, { force: args.force, inputs, shown: out.shown });
    io.stderr(`wrote ${files.length} files and ${OUT_MARKER} to ${out.shown}\n`);
  }
  return EXIT.ok;
}

/**
 * Runs the offline render with `argv` (the arguments after the script) and returns the exit
 * code. `--resolve-images` waits for registries: it needs {@link renderMain}.
 */
export function main(argv: readonly string[], io: CliIo): number {
  return runCommand("render", io, () => {
    const prepared = prepare(argv, io);
    if (typeof prepared === "number") return prepared;
    if (prepared.args.resolveImages) {
      throw new Error("--resolve-images asks registries: call renderMain, which waits for them");
    }
    return output(io, prepared, prepared.input.list);
  });
}

/**
 * The render command: {@link main}, and with `--resolve-images` the image of every integration
 * (but those that opt out or are pinned by digest) pinned by the provider `pulumi up` runs, with
 * or without a stack, whatever the stack's `imageRefresh` says. Registry credentials come from
 * `--docker-config`, else the stack's `imageRefresh.dockerConfig` (relative to the project),
 * else `$DOCKER_CONFIG/config.json` or Docker's. A registry failure prints an error naming the
 * CR, the image and the registry (exit code 1), and nothing on stdout.
 */
export async function renderMain(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommandAsync("render", io, async () => {
    const prepared = prepare(argv, io);
    if (typeof prepared === "number") return prepared;
    const { args, input } = prepared;
    if (!args.resolveImages) return output(io, prepared, input.list);
    const fromStack = input.settings.imageRefresh?.dockerConfig;
    const dockerConfig =
      prepared.dockerConfig?.absolute ??
      (fromStack === undefined ? undefined : path.resolve(io.projectDir, fromStack));
    // Loaded only here: the provider brings @pulumi/pulumi, which doubles an offline render's
    // memory. `require`, not `import()`: the test runner loads TypeScript through CommonJS hooks.
    registerTypeScript();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resolveStackImages } = require("../../provider/pinImages") as typeof PinImages;
    const digests = await resolveStackImages(input.resolved, {
      project: input.project.name,
      ...(dockerConfig === undefined ? {} : { dockerConfig }),
    });
    return output(io, prepared, listObjects(buildStackObjects(input.resolved, digests)));
  });
}

/**
 * Registers tsx when this process cannot load TypeScript (the compiled commands in dist/). The
 * provider's methods, as the engine runs them, load the registry client by its path and first
 * register a TypeScript loader resolved from the working folder, which is the project's under
 * the engine but anywhere for a command; registered here, from this package, they find one.
 */
function registerTypeScript(): void {
  if (".ts" in require.extensions) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("tsx/cjs/api") as { register(): void }).register();
}

if (require.main === module) {
  void renderMain(process.argv.slice(2), processIo("render")).then((code) => {
    process.exitCode = code;
  });
}
