/** Command-line flags of `plan`. */
import { parseFlags, shownArgument, type ParsedArgs } from "../common/args";

/** The formats `plan` writes. */
export const PLAN_FORMATS = ["text", "markdown", "json"] as const;

/** One of {@link PLAN_FORMATS}. */
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** The stack `plan --live` compares with the live objects, as render's flags name one. */
export interface LiveStackRequest {
  stack?: string;
  crs?: string[];
  controllerConfig?: string;
  namespace?: string;
}

/**
 * What to compare: two render output folders, a stack now and at a git revision, or live objects
 * (`kubectl get -o yaml` exports) and the stack (or a render output folder, `after`).
 */
export type PlanSides =
  | { mode: "folders"; before: string; after: string }
  | { mode: "git"; stack: string; base: string }
  | { mode: "live"; live: string[]; after: string }
  | { mode: "live"; live: string[]; request: LiveStackRequest };

/** What `plan` was asked to do. */
export type PlanArgs = PlanSides & {
  /** Default: `text`. */
  format: PlanFormat;
  /** `--expect-no-changes`: exit with 7 when anything changes. Default: false. */
  expectNoChanges: boolean;
  help: false;
};

/** Usage text of `npm run plan`. */
export const PLAN_USAGE = `usage: npm run plan -- --before DIR --after DIR [--format text|markdown|json] [--expect-no-changes]
       npm run plan -- --stack NAME --base GIT_REF [--format text|markdown|json] [--expect-no-changes]
       npm run plan -- --live FILE... [--stack NAME | --crs PATH... [--controller-config FILE]
                       [--namespace NS] | --after DIR] [--format text|markdown|json] [--expect-no-changes]

Shows what would change between two renders, object by object, as \`pulumi preview --diff\` would.
Paths are relative to the folder the command runs in.
  --before DIR, --after DIR   two folders written by \`npm run render -- --out DIR\`
  --stack NAME                the stack (stacks/Pulumi.<NAME>.yaml) as it is now ...
  --base GIT_REF              ... against its files as they were at GIT_REF (e.g. origin/main)
  --live FILE...              ... or against live objects, one export per namespace, made with
                              kubectl get deployments.apps,services,horizontalpodautoscalers.v2.autoscaling,
                                ingresses.networking.k8s.io,configmaps -n NS -o yaml > NS.yaml
                              (the stack as render reads it: --stack, --crs, --controller-config,
                              --namespace; or --after DIR, a render output folder)
  --format FORMAT             text (default), markdown (a pull request comment) or json
  --expect-no-changes         exit with code 7 when anything would change
  --help                      this text

Exit codes: 0 done, 1 invalid input, 2 bad flags, 7 changes with --expect-no-changes.
`;

/** `plan`'s flags, as `parseArgs` takes them. */
const PLAN_FLAGS = {
  options: {
    before: { type: "string" },
    after: { type: "string" },
    stack: { type: "string" },
    base: { type: "string" },
    live: { type: "string", multiple: true },
    crs: { type: "string", multiple: true },
    "controller-config": { type: "string" },
    namespace: { type: "string" },
    format: { type: "string" },
    "expect-no-changes": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: true,
} as const;

/** `plan`'s long flag names. */
export const PLAN_FLAG_NAMES = Object.keys(PLAN_FLAGS.options);

/**
 * Parses `plan`'s flags: `--before` and `--after`; `--stack` and `--base`; or `--live` with a
 * stack (`--stack` and/or `--crs`, `--controller-config`, `--namespace`) or `--after`. `--live`
 * and `--crs` take one or more values and may be repeated; every value is non-empty; no other
 * positional arguments.
 */
export function parsePlanArgs(argv: readonly string[]): ParsedArgs<PlanArgs | { help: true }> {
  const result = parseFlags(argv, PLAN_FLAGS);
  if (!result.ok) return result;
  const { parsed } = result;
  const { values } = parsed;
  // In the order given: `--live a b --live c` is a, b, c.
  const lists: { live: string[]; crs: string[] } = { live: [], crs: [] };
  let takes: "live" | "crs" | undefined;
  for (const token of parsed.tokens) {
    if (token.kind === "option") {
      const list = token.name === "live" || token.name === "crs" ? token.name : undefined;
      if (list !== undefined && token.value !== undefined) lists[list].push(token.value);
      takes = list !== undefined && token.inlineValue !== true ? list : undefined;
    } else if (token.kind === "positional") {
      if (takes === undefined)
        return { ok: false, message: `unexpected argument ${shownArgument(token.value)}` };
      lists[takes].push(token.value);
    } else {
      takes = undefined;
    }
  }
  if (values.help === true) return { ok: true, args: { help: true } };
  for (const flag of [
    "before",
    "after",
    "stack",
    "base",
    "format",
    "controller-config",
    "namespace",
  ] as const) {
    if (values[flag] === "") return { ok: false, message: `--${flag} needs a non-empty value` };
  }
  if (lists.live.includes("") || lists.crs.includes("")) {
    return { ok: false, message: "--live and --crs need non-empty paths" };
  }
  const format = values.format ?? "text";
  if (!(PLAN_FORMATS as readonly string[]).includes(format)) {
    return {
      ok: false,
      message: `--format ${shownArgument(format)} is not one of ${PLAN_FORMATS.join(", ")}`,
    };
  }
  const common = {
    format: format as PlanFormat,
    expectNoChanges: values["expect-no-changes"] ?? false,
    help: false as const,
  };
  const { before, after, stack, base } = values;
  const controllerConfig = values["controller-config"];
  const { namespace } = values;
  if (lists.live.length > 0) return liveArgs(lists, values, common);
  if (lists.crs.length > 0 || controllerConfig !== undefined || namespace !== undefined) {
    return {
      ok: false,
      message: "--crs, --controller-config and --namespace go with --live",
    };
  }
  const folders = before !== undefined || after !== undefined;
  const git = stack !== undefined || base !== undefined;
  if (folders && git) {
    return { ok: false, message: "give either --before and --after, or --stack and --base" };
  }
  if (folders) {
    if (before === undefined || after === undefined) {
      return { ok: false, message: "--before and --after go together" };
    }
    return { ok: true, args: { mode: "folders", before, after, ...common } };
  }
  if (stack === undefined || base === undefined) {
    return {
      ok: false,
      message: git
        ? "--stack and --base go together"
        : "give either --before DIR --after DIR, --stack NAME --base GIT_REF, or --live FILE... " +
          "with --stack NAME",
    };
  }
  return { ok: true, args: { mode: "git", stack, base, ...common } };
}

/** The flags of `--live`: the live files and the stack to compare them with. */
function liveArgs(
  lists: { live: string[]; crs: string[] },
  values: {
    before?: string;
    after?: string;
    stack?: string;
    base?: string;
    "controller-config"?: string;
    namespace?: string;
  },
  common: Pick<PlanArgs, "format" | "expectNoChanges" | "help">,
): ParsedArgs<PlanArgs> {
  if (values.before !== undefined || values.base !== undefined) {
    return {
      ok: false,
      message: "--live compares with the stack now: leave out --before and --base",
    };
  }
  const request: LiveStackRequest = {};
  if (values.stack !== undefined) request.stack = values.stack;
  if (lists.crs.length > 0) request.crs = lists.crs;
  if (values["controller-config"] !== undefined) {
    request.controllerConfig = values["controller-config"];
  }
  if (values.namespace !== undefined) request.namespace = values.namespace;
  const stackGiven = Object.keys(request).length > 0;
  if (values.after !== undefined) {
    if (stackGiven) {
      return {
        ok: false,
        message:
          "with --live, give either --after DIR or the stack (--stack, --crs, ...), not both",
      };
    }
    return { ok: true, args: { mode: "live", live: lists.live, after: values.after, ...common } };
  }
  if (request.stack === undefined && request.crs === undefined) {
    return {
      ok: false,
      message: "--live needs the stack to compare with: --stack NAME, --crs PATH... or --after DIR",
    };
  }
  return { ok: true, args: { mode: "live", live: lists.live, request, ...common } };
}
