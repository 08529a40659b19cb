/**
 * The plan as Markdown for a pull request comment: a summary table, then one collapsed section per
 * changed object with its field changes as a coloured diff (or, for creates and deletes, the
 * whole object as YAML).
 */
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
import { actionSymbol, KEPT_LEGEND, rollsPodsText } from "./text";
import { formatValue } from "./values";

/** GitHub refuses comments over 65,536 characters; this leaves room for a workflow's own text. */
export const MARKDOWN_LIMIT = 60_000;

/**
 * The plan under the heading `title`. When the whole would pass `limit` characters (default
 * {@link MARKDOWN_LIMIT}), the summary table stays and the sections that do not fit are left out,
 * with a line saying how many.
 */
export function formatMarkdown(plan: Plan, title: string, limit = MARKDOWN_LIMIT): string {
  const head = [`### ${escapeText(title)}`, "", `**${planSummary(plan)}**`, ""];
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

/** A change as diff lines: removed `-`, added `+`, changed both. */
function diffLines(change: Change): string[] {
  if (change.kept === true) {
    const note = change.note === undefined ? [] : [`  # ${change.note}`];
    return [`  ${change.path}: ${formatValue(change.before)}   (kept)`, ...note];
  }
  const lines: string[] = [];
  if (change.before !== undefined) lines.push(`- ${change.path}: ${formatValue(change.before)}`);
  if (change.after !== undefined) lines.push(`+ ${change.path}: ${formatValue(change.after)}`);
  return lines;
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
