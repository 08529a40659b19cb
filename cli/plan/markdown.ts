/**
 * The plan as Markdown for a pull request comment: a summary table, then one collapsed section per
 * changed object with its field changes as a coloured diff (or, for creates and deletes, the
 * whole object as YAML).
 */
import { sortProblems, type Problem } from "../../components/model/problems";
import { objectYaml, type Manifest } from "../common/manifests";
import {
  entryName,
  hasChanges,
  planSummary,
  shownEntries,
  type Plan,
  type PlanEntry,
} from "./compute";
import type { Change } from "./diff";
import { problemCounts } from "./problems";
import { actionSymbol, KEPT_LEGEND, rollsPodsText } from "./text";
import { formatValue, isValueMapping, type Value } from "./values";

/** GitHub refuses comments over 65,536 characters; this leaves room for a workflow's own text. */
export const MARKDOWN_LIMIT = 60_000;

/**
 * A diff line longer than this is wrapped: a mapping or list value goes below its path, one
 * field or item per line, so that a diff block (an Ingress path, a route) does not scroll sideways.
 */
export const MARKDOWN_LINE = 100;

/**
 * The plan under the heading `title`: the `Plan:` line, the input's warnings and notes
 * (`problems`, default none), a table of the changed objects and a section per object, and
 * against live objects those the stack leaves as they are. When the whole would pass `limit`
 * characters (default {@link MARKDOWN_LIMIT}), the summary table stays and the sections that do
 * not fit are left out, with a line saying how many; so are the problems past a third of the
 * limit.
 */
export function formatMarkdown(
  plan: Plan,
  title: string,
  limit = MARKDOWN_LIMIT,
  problems: readonly Problem[] = [],
): string {
  const head = [
    `### ${escapeText(title)}`,
    "",
    `**${planSummary(plan)}**`,
    "",
    ...problemLines(problems, Math.floor(limit / 3)),
  ];
  const entries = shownEntries(plan);
  const unmanaged = unmanagedSection(plan);
  if (!hasChanges(plan) && entries.length === 0) {
    return [...head, "No changes.", "", ...(unmanaged === "" ? [] : [unmanaged])].join("\n");
  }
  const budget = limit - 300;
  let out = [...head, "| | Kind | Object | Details |", "| --- | --- | --- | --- |", ""].join("\n");
  let rows = 0;
  for (const e of entries) {
    const row =
      `| \`${symbol(e)}\` ${e.action} | ${e.kind} | \`${entryName(e)}\` | ` +
      `${cell(detail(e))} |\n`;
    if (out.length + row.length > budget) break;
    out += row;
    rows += 1;
  }
  if (rows < entries.length) out += `| | | and ${entries.length - rows} more objects | |\n`;
  let left = entries.length;
  for (const entry of entries) {
    const next = section(entry);
    if (out.length + next.length > budget) break;
    out += next;
    left -= 1;
  }
  if (left > 0) {
    out +=
      `\n_The details of ${left} more object${left === 1 ? "" : "s"} are left out to keep this ` +
      "comment within GitHub's size limit; run `npm run plan` to see them all._\n";
  }
  if (entries.some((e) => e.changes?.some((c) => c.kept === true))) {
    out += `\n_${escapeText(KEPT_LEGEND)}_\n`;
  }
  if (unmanaged !== "" && out.length + unmanaged.length <= budget) out += `\n${unmanaged}`;
  return out;
}

/** `=` for an unchanged object shown for its kept fields, else the action's mark. */
function symbol(entry: PlanEntry): string {
  return entry.action === "unchanged" ? "=" : actionSymbol(entry.action);
}

/** The live objects a plan leaves as they are, as a table; "" when there are none. */
function unmanagedSection(plan: Plan): string {
  const unmanaged = plan.unmanaged ?? [];
  if (unmanaged.length === 0) return "";
  const rows = unmanaged.map((e) => `| ${e.kind} | \`${entryName(e)}\` | ${cell(e.note ?? "")} |`);
  return [
    "**Left as they are** (not managed by the stack, so never changed or deleted by it):",
    "",
    "| Kind | Object | Note |",
    "| --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

/** The table's last column: how many fields change, why the object is replaced, or kept. */
function detail(entry: PlanEntry): string {
  if (entry.reason !== undefined) return entry.reason;
  if (entry.retain !== undefined) return `retained: ${entry.retain}`;
  const count = entry.changes?.length;
  if (count === undefined) return "";
  const fields = `${count} field${count === 1 ? "" : "s"}`;
  if (entry.rollsPods === undefined) return fields;
  return `${fields}; ${entry.rollsPods ? "rolls pods" : "no pod restart"}`;
}

function section(entry: PlanEntry): string {
  const summary =
    `<code>${symbol(entry)}</code> ${entry.action} ${escapeHtml(entry.kind)} ` +
    `<code>${escapeHtml(entryName(entry))}</code>`;
  const body: string[] = [];
  if (entry.rollsPods !== undefined) {
    body.push(`Rolls pods: ${escapeText(rollsPodsText(entry.rollsPods, entry.kind))}.`, "");
  }
  if (entry.note !== undefined) body.push(`Note: ${escapeText(entry.note)}`, "");
  if (entry.reason !== undefined) body.push(`Replaced: ${escapeText(entry.reason)}.`, "");
  if (entry.retain !== undefined) body.push(`Retained: ${escapeText(entry.retain)}.`, "");
  if (entry.changes !== undefined) {
    body.push(fenced("diff", entry.changes.flatMap(diffLines).join("\n")));
  } else if (entry.object !== undefined) {
    body.push(fenced("yaml", objectYaml(entry.object as unknown as Manifest).trimEnd()));
  }
  return ["", "<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>", ""].join(
    "\n",
  );
}

/** The input's warnings and notes as a list under a bold count, within `budget` characters. */
function problemLines(problems: readonly Problem[], budget: number): string[] {
  if (problems.length === 0) return [];
  const lines = [`**${problemCounts(problems)} in the input:**`, ""];
  let used = lines.join("\n").length;
  const sorted = sortProblems(problems);
  for (const [i, problem] of sorted.entries()) {
    let where = problem.file;
    if (problem.line !== undefined) where += `:${problem.line}`;
    if (problem.document !== undefined) where += ` (document ${problem.document})`;
    const field = problem.path === undefined ? "" : ` ${code(problem.path)}`;
    const line = `- ${problem.severity}: ${code(where)}${field}: ${cell(problem.message)}`;
    if (used + line.length > budget) {
      lines.push(`- and ${sorted.length - i} more: run \`npm run plan\` to see them all`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return [...lines, ""];
}

/** Inline code that no backtick in `text` can close. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  return longest === 0 ? `${ticks}${text}${ticks}` : `${ticks} ${text} ${ticks}`;
}

/** A change as diff lines: removed `-`, added `+`, changed both. */
function diffLines(change: Change): string[] {
  if (change.kept === true) {
    const note = change.note === undefined ? [] : [`  # ${change.note}`];
    return [`  ${change.path}: ${formatValue(change.before)}   (kept)`, ...note];
  }
  const lines: string[] = [];
  if (change.before !== undefined) lines.push(...valueLines("-", change.path, change.before));
  if (change.after !== undefined) lines.push(...valueLines("+", change.path, change.after));
  return lines;
}

/**
 * `mark key: value` on one line, or, when longer than {@link MARKDOWN_LINE} and the value is a
 * mapping or a list, `mark key:` and the value's fields or items below it, indented, each
 * wrapped the same way.
 */
function valueLines(mark: string, key: string, value: Value, indent = ""): string[] {
  const line = `${mark} ${indent}${key}: ${formatValue(value)}`;
  if (line.length <= MARKDOWN_LINE) return [line];
  const inner = `${indent}  `;
  if (isValueMapping(value) && Object.keys(value).length > 0) {
    return [
      `${mark} ${indent}${key}:`,
      ...Object.entries(value).flatMap(([k, v]) => valueLines(mark, formatValue(k), v, inner)),
    ];
  }
  if (Array.isArray(value) && value.length > 0) {
    return [
      `${mark} ${indent}${key}:`,
      ...value.flatMap((item) => {
        const [first, ...rest] = valueLines(mark, "-", item, inner);
        const bullet = `${mark} ${inner}-`;
        return [bullet + first.slice(bullet.length).replace(/^:/, ""), ...rest];
      }),
    ];
  }
  return [line];
}

/** A code block whose fence no run of backticks in `text` can close. */
function fenced(language: string, text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text outside code: no HTML, no table breaks. */
function escapeText(text: string): string {
  return escapeHtml(text).replace(/\|/g, "\\|");
}

function cell(text: string): string {
  return escapeText(text).replace(/\n/g, " ");
}
