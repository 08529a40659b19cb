/** Command-line flags of `plan`. */
import { parseFlags, type ParsedArgs } from "../common/args";

/** The formats `plan` writes. */
export const PLAN_FORMATS = ["text", "markdown", "json"] as const;

/** One of {@link PLAN_FORMATS}. */
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** What to compare: two render output folders, or a stack now and at a git revision. */
export type PlanSides =
  { mode: "folders"; before: string; after: string } | { mode: "git"; stack: string; base: string };

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

Shows what would change between two renders, object by object, as \`pulumi preview --diff\` would.
  --before DIR, --after DIR   two folders written by \`npm run render -- --out DIR\`
  --stack NAME                the stack (stacks/Pulumi.<NAME>.yaml) as it is now ...
  --base GIT_REF              ... against its files as they were at GIT_REF (e.g. origin/main)
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
    format: { type: "string" },
    "expect-no-changes": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: false,
} as const;

/** `plan`'s long flag names. */
export const PLAN_FLAG_NAMES = Object.keys(PLAN_FLAGS.options);

/**
 * Parses `plan`'s flags: either `--before` and `--after`, or `--stack` and `--base`; every
 * value non-empty; no positional arguments.
 */
export function parsePlanArgs(argv: readonly string[]): ParsedArgs<PlanArgs | { help: true }> {
  const result = parseFlags(argv, PLAN_FLAGS);
  if (!result.ok) return result;
  const { values } = result.parsed;
  if (values.help === true) return { ok: true, args: { help: true } };
  for (const flag of ["before", "after", "stack", "base", "format"] as const) {
    if (values[flag] === "") return { ok: false, message: `--${flag} needs a non-empty value` };
  }
  const format = values.format ?? "text";
  if (!(PLAN_FORMATS as readonly string[]).includes(format)) {
    return {
      ok: false,
      message: `--format ${JSON.stringify(format)} is not one of ${PLAN_FORMATS.join(", ")}`,
    };
  }
  const common = {
    format: format as PlanFormat,
    expectNoChanges: values["expect-no-changes"] ?? false,
    help: false as const,
  };
  const { before, after, stack, base } = values;
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
        : "give either --before DIR --after DIR, or --stack NAME --base GIT_REF",
    };
  }
  return { ok: true, args: { mode: "git", stack, base, ...common } };
}
