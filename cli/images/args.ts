/** Command-line flags of `images`, parsed with `node:util` `parseArgs`. */
import { parseArgs } from "node:util";
import { parseArgsMessage, type ParsedArgs } from "../common/args";

/** What `images` was asked to do. */
export interface ImagesArgs {
  /** The stack whose images are listed: `stacks/Pulumi.<stack>.yaml` and its lock. Required. */
  stack: string;
  /** `--update`: rewrite the stack's image lock with what the registries serve now. Default: false. */
  update: boolean;
  /** `--only NS/NAME...`: with `--update`, move only these integrations' images. Default: all. */
  only?: string[];
  /** `--check`: exit 7 when an image moved or is unlocked, 1 when a locked digest is missing. */
  check: boolean;
  /** `--docker-config FILE`: registry credentials. Default: the stack's, else Docker's. */
  dockerConfig?: string;
  /** `--help`: print the usage text and stop. */
  help: boolean;
}

/** Usage text of `npm run images`. */
export const IMAGES_USAGE = `usage: npm run images -- --stack NAME [--update [--only NS/NAME...]] [--check]
                        [--docker-config FILE]

Lists every image the stack refreshes: the digest its image lock (stacks/<NAME>.images.lock.yaml)
holds, the digest its registry serves now, and a status: current, moved, missing or unlocked.
  --stack NAME            the stack (stacks/Pulumi.<NAME>.yaml)
  --update                rewrite the lock with what the registries serve now
  --only NS/NAME...       with --update: move only these integrations' images
  --check                 exit 7 when an image moved or is unlocked, 1 when a locked
                          digest is missing from its registry
  --docker-config FILE    registry credentials (a Docker config.json)
  --help                  this text

Exit codes: 0 done, 1 invalid input, a registry failure or (--check) a missing digest,
2 bad flags, 7 (--check) an image moved or is unlocked.
`;

/** Parses `images`' flags. `--only` takes one or more values and may be repeated. */
export function parseImagesArgs(argv: readonly string[]): ParsedArgs<ImagesArgs> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        update: { type: "boolean" },
        only: { type: "string", multiple: true },
        check: { type: "boolean" },
        "docker-config": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    return { ok: false, message: parseArgsMessage(error) };
  }
  const only = [...(parsed.values.only ?? [])];
  let afterOnly = false;
  for (const token of parsed.tokens) {
    if (token.kind === "option") afterOnly = token.name === "only" && token.inlineValue !== true;
    else if (token.kind === "positional") {
      if (!afterOnly) return { ok: false, message: `unexpected argument "${token.value}"` };
      only.push(token.value);
    } else afterOnly = false;
  }
  const { values } = parsed;
  const help = values.help ?? false;
  if (help) return { ok: true, args: { stack: "", update: false, check: false, help } };
  if (values.stack === undefined || values.stack === "") {
    return { ok: false, message: "--stack NAME is required" };
  }
  const args: ImagesArgs = {
    stack: values.stack,
    update: values.update ?? false,
    check: values.check ?? false,
    help,
  };
  if (args.update && args.check) {
    return { ok: false, message: "--check reads the lock as it is; run it apart from --update" };
  }
  if (only.length > 0) {
    if (!args.update) return { ok: false, message: "--only is read only with --update" };
    const bad = only.find((name) => !/^[^/\s]+\/[^/\s]+$/.test(name));
    if (bad !== undefined) {
      return {
        ok: false,
        message: `--only takes NS/NAME, e.g. integrations-prod/orders-api, not "${bad}"`,
      };
    }
    args.only = only;
  }
  if (values["docker-config"] !== undefined) {
    if (values["docker-config"] === "") {
      return { ok: false, message: "--docker-config needs a non-empty value" };
    }
    args.dockerConfig = values["docker-config"];
  }
  return { ok: true, args };
}
