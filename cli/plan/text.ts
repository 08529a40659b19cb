/** The plan as text, in Pulumi's visual language: `+ create`, `~ update`, `+- replace`, `- delete`. */
import { entryName, planSummary, shownEntries, type Action, type Plan } from "./compute";
import type { Change } from "./diff";
import { formatValue } from "./values";

const SYMBOLS: Record<Action, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  unchanged: " ",
};

/** The mark of an action, as Pulumi prints it: `+`, `~`, `+-`, `-`. */
export function actionSymbol(action: Action): string {
  return SYMBOLS[action];
}

/**
 * One changed field as a line: `~ path: before => after`, `+ path: after` (added),
 * `- path: before` (removed) or `= path: before` (kept: against live objects, a field the stack
 * does not set and server-side apply leaves as it is).
 */
export function changeLine(change: Change): string {
  if (change.kept === true) return `= ${change.path}: ${formatValue(change.before)}`;
  if (change.before === undefined) return `+ ${change.path}: ${formatValue(change.after)}`;
  if (change.after === undefined) return `- ${change.path}: ${formatValue(change.before)}`;
  return `~ ${change.path}: ${formatValue(change.before)} => ${formatValue(change.after)}`;
}

/** What `rolls pods:` says of an update of a `kind` against live objects. */
export function rollsPodsText(rolls: boolean, kind: string): string {
  if (rolls)
    return "yes: the pod template changes, so each pod is replaced once, as in a rolling update";
  return kind === "Deployment" ? "no: the pod template stays as it is" : "no";
}

/** The legend printed under a plan that has kept fields. */
export const KEPT_LEGEND =
  "= kept: the live object has the field and the stack does not set it; server-side apply " +
  "leaves it as it is, since another field manager (the operator's) owns it.";

/**
 * Every changed object (`~  Deployment ns/name`), its replace or retain reason and changed fields
 * indented below it, then the `Plan: ...` line; `no changes` when nothing changes. Against live
 * objects also: whether each update rolls pods, unchanged objects that keep fields (`=`), and the
 * objects left as they are.
 */
export function formatText(plan: Plan): string {
  const lines: string[] = [];
  let kept = false;
  for (const entry of shownEntries(plan)) {
    const symbol = entry.action === "unchanged" ? "=" : actionSymbol(entry.action);
    lines.push(`${symbol.padEnd(2)} ${entry.kind} ${entryName(entry)}`);
    if (entry.reason !== undefined) lines.push(`      replace: ${entry.reason}`);
    if (entry.retain !== undefined) lines.push(`      retain: ${entry.retain}`);
    if (entry.liveApiVersion !== undefined) {
      lines.push(`      live: exported as ${entry.liveApiVersion}, the same object`);
    }
    if (entry.rollsPods !== undefined)
      lines.push(`      rolls pods: ${rollsPodsText(entry.rollsPods, entry.kind)}`);
    if (entry.note !== undefined) lines.push(`      note: ${entry.note}`);
    for (const change of entry.changes ?? []) {
      lines.push(`      ${changeLine(change)}`);
      if (change.note !== undefined) lines.push(`          ${change.note}`);
      kept ||= change.kept === true;
    }
  }
  if (lines.length === 0) lines.push("no changes");
  const unmanaged = plan.unmanaged ?? [];
  if (unmanaged.length > 0) {
    lines.push(
      "",
      "Left as they are (not managed by the stack, so never changed or deleted by it):",
    );
    for (const entry of unmanaged) {
      const note = entry.note === undefined ? "" : `: ${entry.note}`;
      lines.push(`   ${entry.kind} ${entryName(entry)}${note}`);
    }
  }
  if (kept) lines.push("", KEPT_LEGEND);
  return `${lines.join("\n")}\n\n${planSummary(plan)}\n`;
}
