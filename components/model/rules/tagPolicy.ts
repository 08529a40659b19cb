/**
 * Tag policies: which tag of a repository an image deploys. Pure functions over tag names, shared
 * by the model (does a locked tag still fit?), the registry client (the newest tag in a listing)
 * and the `images` command. Version ranges are npm's `semver` package's: the grammar and the
 * pre-release rule (`>=2.0.0-0` asks for pre-releases of 2.0.0 and later) most platform teams
 * already know from package.json, and the best-kept implementation of it.
 */
import type * as Semver from "semver";

/** npm's `semver`, loaded when a semver policy is first used: a render without one never loads it. */
function semverLib(): typeof Semver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("semver") as typeof Semver;
}
import type { TagPolicy } from "../types";

/** A tag as references write it (distribution's grammar): what a listing may offer. */
const TAG = /^\w[\w.-]{0,127}$/;

/** How {@link semver} reads tags and ranges: strictly (a tag `v1.2.3` is `1.2.3`). */
function semverOptions(policy: { prereleases: boolean }): Semver.RangeOptions {
  return { includePrerelease: policy.prereleases, loose: false };
}

/** The value a `regex` policy ranks `tag` by, or undefined when the tag does not match. */
function regexKey(
  policy: Extract<TagPolicy, { kind: "regex" }>,
  tag: string,
): string | number | undefined {
  const match = new RegExp(policy.pattern).exec(tag);
  if (match === null) return undefined;
  const key = match[1] ?? match[0];
  if (policy.order === "alphabetical") return key;
  if (!/^\d+(?:\.\d+)?$/.test(key)) return undefined;
  return Number(key);
}

/**
 * Whether `tag` is one `policy` may deploy: for `digest` the tag the CR writes (`written`), for
 * `semver` a version in the range, for `regex` a match (with a number to rank it by, for
 * `numerical`).
 */
export function tagFits(policy: TagPolicy, tag: string, written: string): boolean {
  switch (policy.kind) {
    case "digest":
      return tag === written;
    case "semver":
      return (
        semverLib().valid(tag) !== null &&
        semverLib().satisfies(tag, policy.range, semverOptions(policy))
      );
    case "regex":
      return regexKey(policy, tag) !== undefined;
  }
}

/** `a` before `b` when `a` is the newer tag under `policy` (ties: the greater name first). */
function compareNewestFirst(policy: TagPolicy, a: string, b: string): number {
  let order = 0;
  if (policy.kind === "semver") order = semverLib().rcompare(a, b);
  else if (policy.kind === "regex") {
    const ka = regexKey(policy, a) ?? "";
    const kb = regexKey(policy, b) ?? "";
    order = ka < kb ? 1 : ka > kb ? -1 : 0;
  }
  if (order !== 0) return order;
  return a < b ? 1 : a > b ? -1 : 0;
}

/**
 * The newest of `tags` that `policy` may deploy (`written` for `digest`, whether listed or not);
 * undefined when none fits.
 */
export function chooseTag(
  policy: TagPolicy,
  tags: readonly string[],
  written: string,
): string | undefined {
  if (policy.kind === "digest") return written;
  const fitting = tags.filter((tag) => TAG.test(tag) && tagFits(policy, tag, written));
  return fitting.sort((a, b) => compareNewestFirst(policy, a, b))[0];
}

/** The policy in a few words, for messages and tables: `semver ^2.4.0`, `regex ^b-(\d+)$ numerical`. */
export function describeTagPolicy(policy: TagPolicy): string {
  switch (policy.kind) {
    case "digest":
      return "digest";
    case "semver":
      return `semver ${policy.range}${policy.prereleases ? " (pre-releases too)" : ""}`;
    case "regex":
      return `regex ${policy.pattern} ${policy.order}`;
  }
}

/** What is wrong with `range` as a `semver` policy's range, or undefined. */
export function semverRangeProblem(range: string): string | undefined {
  if (range.trim() === "") return 'expected a version range, e.g. "^2.4.0", got an empty value';
  if (semverLib().validRange(range) === null) {
    return `${JSON.stringify(range)} is not a version range; write one as npm does, e.g. "^2.4.0", "~1.2", ">=3.0.0 <4.0.0"`;
  }
  return undefined;
}

/** What is wrong with `pattern` as a `regex` policy's pattern, or undefined. */
export function tagPatternProblem(pattern: string): string | undefined {
  if (pattern === "")
    return "expected a regular expression, e.g. '^build-(\\d+)$', got an empty value";
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `not a valid regular expression: ${reason.replace(/^Invalid regular expression: /, "")}`;
  }
}
