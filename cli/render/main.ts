/**
 * `npm run render -- [--stack NAME] [--crs PATH...] [--controller-config FILE] [--namespace NS]
 * [--out DIR] [--resolve-images [--docker-config FILE]]`: the Kubernetes objects the Pulumi
 * program would create, without a cluster or the Pulumi CLI. Offline unless `--resolve-images`
 * asks the registries for digests. Exit codes: 0 ok (warnings on stderr), 1 invalid input or a
 * registry failure, 2 usage, 70 a bug.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { buildStackObjects, listObjects, type KubeObject } from "../../components/builders";
import { refreshingIntegrations } from "../../components/model/settings/imageRefresh";
import { Problems, type Problem } from "../../components/model/problems";
import { parseRenderArgs, RENDER_USAGE, type RenderArgs } from "./args";
import { commandArgs } from "../common/args";
import { EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
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
  outDir?: string;
  input: StackInput;
}

/** Flags, the output folder and the stack; an exit code when render stops there. */
function prepare(argv: readonly string[], io: CliIo): Prepared | number {
  const args = commandArgs(
    { name: "render", parse: parseRenderArgs, usage: RENDER_USAGE },
    argv,
    io,
  );
  if (typeof args === "number") return args;
  const outDir = args.out === undefined ? undefined : path.resolve(io.cwd, args.out);
  if (outDir !== undefined) {
    const problem = outDirProblem(outDir, args.force);
    if (problem !== undefined) {
      io.stderr(`error: ${shownPath(args.out ?? "")}: ${problem}\n`);
      return EXIT.invalidInput;
    }
  }
  if (args.dockerConfig !== undefined && !existsSync(path.resolve(io.cwd, args.dockerConfig))) {
    io.stderr(`error: --docker-config: no such file: ${args.dockerConfig}\n`);
    return EXIT.invalidInput;
  }
  const input = loadStackInput(io.cwd, args);
  printProblems(io, [...input.advice, ...imageNotes(input, args.resolveImages)]);
  return outDir === undefined ? { args, input } : { args, outDir, input };
}

/**
 * Says when the images printed are not what `pulumi up` deploys (the stack refreshes images and
 * render stays offline), or when `--resolve-images` has nothing to resolve.
 */
function imageNotes(input: StackInput, resolveImages: boolean): Problem[] {
  // Integrations the image lock pins already show the locked digest: only the others' tags.
  const refreshing = refreshingIntegrations(input.resolved).filter(
    (i) => i.imageRefresh?.locked === undefined,
  ).length;
  const enabled = input.settings.imageRefresh?.enabled === true;
  const problems = new Problems();
  const key = `${input.project.name}:imageRefresh`;
  if (!resolveImages && refreshing > 0) {
    problems.note(
      input.settings.source,
      key,
      `images were not resolved: ${refreshing} integration${refreshing === 1 ? "" : "s"} show ` +
        "their tag where `pulumi up` deploys the registry's digest; add --resolve-images to pin them",
    );
  } else if (resolveImages && refreshingIntegrations(input.resolved).length === 0) {
    problems.note(
      input.settings.source,
      enabled ? key : undefined,
      enabled
        ? "--resolve-images found nothing to resolve: every CR opts out or is pinned by digest"
        : "--resolve-images found nothing to resolve: the stack's imageRefresh is not enabled",
    );
  }
  return problems.list;
}

/** Prints the objects, or writes them to the output folder, never over one of render's inputs. */
function output(io: CliIo, prepared: Prepared, objects: KubeObject[]): number {
  const { args, outDir, input } = prepared;
  const list = objects.map(withConfigSecretsMasked);
  if (outDir === undefined) {
    io.stdout(renderYaml(list));
  } else {
    const docker = args.dockerConfig === undefined ? [] : [path.resolve(io.cwd, args.dockerConfig)];
    const inputs = realPaths(stackInputFiles(io.cwd, input, docker));
    const files = writeOutDir(list, outDir, {
      force: args.force,
      inputs,
      shown: shownPath(args.out ?? ""),
    });
    io.stdout(`wrote ${files.length} files and ${OUT_MARKER} to ${shownPath(args.out ?? "")}\n`);
  }
  return EXIT.ok;
}

/** A path from the command line as messages show it: at most 60 characters, as every value. */
function shownPath(given: string): string {
  return given.length <= 60 ? given : `${given.slice(0, 60)}... (${given.length} characters)`;
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
 * The render command: {@link main}, and with `--resolve-images` the images of the stack's
 * refreshing integrations pinned by the provider `pulumi up` runs. A registry failure prints
 * an error naming the CR, the image and the registry (exit code 1), and nothing on stdout.
 */
export async function renderMain(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const prepared = prepare(argv, io);
    if (typeof prepared === "number") return prepared;
    const { args, input } = prepared;
    if (!args.resolveImages) return output(io, prepared, input.list);
    const dockerConfig = args.dockerConfig ?? input.settings.imageRefresh?.dockerConfig;
    // Loaded only here: the provider brings @pulumi/pulumi, which doubles an offline render's
    // memory. `require`, not `import()`: the test runner loads TypeScript through CommonJS hooks.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resolveStackImages } = require("../../provider/pinImages") as typeof PinImages;
    const digests = await resolveStackImages(input.resolved, {
      project: input.project.name,
      ...(dockerConfig === undefined ? {} : { dockerConfig: path.resolve(io.cwd, dockerConfig) }),
    });
    return output(io, prepared, listObjects(buildStackObjects(input.resolved, digests)));
  } catch (error) {
    return runCommand("render", io, () => {
      throw error;
    });
  }
}

if (require.main === module) {
  void renderMain(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
