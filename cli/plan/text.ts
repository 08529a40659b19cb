/** The plan as text, in Pulumi's visual language: `+ create`, `~ update`, `+- replace`, `- delete`. */
import { changedEntries, entryName, planSummary, type Action, type Plan } from "./compute";
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
 * One changed field as a line: `~ path: before => after`, `+ path: after` (added) or
 * `- path: before` (removed).
 */
export function changeLine(change: Change): string {
  if (change.before === undefined) return `+ ${change.path}: ${formatValue(change.after)}`;
  if (change.after === undefined) return `- ${change.path}: ${formatValue(change.before)}`;
  return `~ ${change.path}: ${formatValue(change.before)} => ${formatValue(change.after)}`;
}

/**
 * Every changed object (`~  Deployment ns/name`), its replace or retain reason and changed fields
 * indented below it, then the `Plan: ...` line; `no changes` when nothing changes.
 */
export function formatText(plan: Plan): string {
  const lines: string[] = [];
  for (const entry of changedEntries(plan)) {
    lines.push(`${actionSymbol(entry.action).padEnd(2)} ${entry.kind} ${entryName(entry)}`);
    if (entry.reason !== undefined) lines.push(`      replace: ${entry.reason}`);
    if (entry.retain !== undefined) lines.push(`      retain: ${entry.retain}`);
    for (const change of entry.changes ?? []) lines.push(`      ${changeLine(change)}`);
  }
  if (lines.length === 0) lines.push("no changes");
  return `${lines.join("\n")}\n\n${planSummary(plan)}\n`;
}
