/** Command-line flags of `render`, parsed with `node:util` `parseArgs`. */
import { parseFlags, shownArgument, type ParsedArgs } from "../common/args";

/** What `render` was asked to do. */
export interface RenderArgs {
  /** The stack whose `stacks/Pulumi.<stack>.yaml` gives the settings. Default: flags only. */
  stack?: string;
  /** CR files or folders; override the stack's `crs`. Default: the stack's. */
  crs?: string[];
  /** The controller config file; overrides the stack's `controllerConfig`. */
  controllerConfig?: string;
  /** Namespace for CRs that name none; overrides the stack's `namespace`. */
  namespace?: string;
  /** Write one file per object under this folder instead of printing to stdout. */
  out?: string;
  /**
   * `--force`: with `--out`, write into a folder render did not mark, and replace files in it
   * that render did not write (never the command's inputs). Default: false.
   */
  force: boolean;
  /**
   * `--resolve-images`: pin every integration's image to its registry digest (but those a CR
   * opts out of or pins itself), whatever the stack's `imageRefresh` says. Default: false
   * (offline, tags as written).
   */
  resolveImages: boolean;
  /** `--docker-config FILE`: registry credentials for `--resolve-images`. Default: Docker's. */
  dockerConfig?: string;
  /** `--help`: print the usage text and stop. */
  help: boolean;
}

/** Usage text of `npm run render`. */
export const RENDER_USAGE = `usage: npm run render -- [--stack NAME] [--crs PATH...] [--controller-config FILE]
                        [--namespace NS] [--out DIR [--force]] [--resolve-images [--docker-config FILE]]

Prints the Kubernetes objects the Pulumi program deploys, as multi-document YAML (notes on
stderr). Paths are relative to the folder the command runs in.
  --stack NAME               read settings from stacks/Pulumi.<NAME>.yaml
  --crs PATH...              CR files or folders (required without --stack)
  --controller-config FILE   the operator's integration_controller_conf.yaml
  --namespace NS             namespace for CRs that name none
  --out DIR                  one file per object, DIR/<namespace>/<kind>-<name>.yaml; files
                             render did not write there are kept
  --force                    with --out: also write into a folder render did not mark, and
                             replace files in it render did not write (never an input)
  --resolve-images           pin every image to its registry digest (repo:tag@sha256:...), as
                             \`pulumi up\` does with imageRefresh; also without it (asks the
                             registries)
  --docker-config FILE       registry credentials for --resolve-images (a Docker config.json;
                             default: the stack's, else $DOCKER_CONFIG, else Docker's)
  --help                     this text
`;

/** `render`'s flags, as `parseArgs` takes them. */
const RENDER_FLAGS = {
  options: {
    stack: { type: "string" },
    crs: { type: "string", multiple: true },
    "controller-config": { type: "string" },
    namespace: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean" },
    "resolve-images": { type: "boolean" },
    "docker-config": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: true,
} as const;

/** `render`'s long flag names. */
export const RENDER_FLAG_NAMES = Object.keys(RENDER_FLAGS.options);

/**
 * Parses `render`'s flags. `--crs` takes one or more paths (`--crs a.yaml b/`) and may be
 * repeated; every other flag takes one value; no other positional arguments are accepted.
 */
export function parseRenderArgs(argv: readonly string[]): ParsedArgs<RenderArgs> {
  const result = parseFlags(argv, RENDER_FLAGS);
  if (!result.ok) return result;
  const { parsed } = result;
  const crs = [...(parsed.values.crs ?? [])];
  let afterCrs = false;
  for (const token of parsed.tokens) {
    if (token.kind === "option") {
      afterCrs = token.name === "crs" && token.inlineValue !== true;
    } else if (token.kind === "positional") {
      if (!afterCrs)
        return { ok: false, message: `unexpected argument ${shownArgument(token.value)}` };
      crs.push(token.value);
    } else {
      afterCrs = false;
    }
  }
  const { values } = parsed;
  const args: RenderArgs = {
    help: values.help ?? false,
    resolveImages: values["resolve-images"] ?? false,
    force: values.force ?? false,
  };
  if (args.force && values.out === undefined) {
    return { ok: false, message: "--force applies to --out only" };
  }
  for (const [flag, value] of [
    ["stack", values.stack],
    ["controller-config", values["controller-config"]],
    ["namespace", values.namespace],
    ["out", values.out],
    ["docker-config", values["docker-config"]],
  ] as const) {
    if (value === "") return { ok: false, message: `--${flag} needs a non-empty value` };
  }
  if (crs.includes("")) return { ok: false, message: "--crs needs non-empty paths" };
  if (values.stack !== undefined) args.stack = values.stack;
  if (crs.length > 0) args.crs = crs;
  if (values["controller-config"] !== undefined) {
    args.controllerConfig = values["controller-config"];
  }
  if (values.namespace !== undefined) args.namespace = values.namespace;
  if (values.out !== undefined) args.out = values.out;
  if (values["docker-config"] !== undefined) {
    if (!args.resolveImages) {
      return { ok: false, message: "--docker-config is only read with --resolve-images" };
    }
    args.dockerConfig = values["docker-config"];
  }
  if (!args.help && args.stack === undefined && args.crs === undefined) {
    return { ok: false, message: "--crs is required without --stack" };
  }
  return { ok: true, args };
}
