/**
 * Secret-looking values in configuration files kept in the repository (Micro Integrator's
 * `deployment.toml`, `log4j2.properties`): lines `key = value` (or `key: value` in a properties
 * file) whose key looks secret (`looksSecret`) and whose value is written out rather than taken
 * from Micro Integrator's secure vault (`$secret{alias}`) or the environment (`$env{NAME}`,
 * `$sys{name}`). Found to warn, and masked wherever this project shows the file.
 */
import { looksSecret } from "./secretNames";

/** The text every output shows in place of a secret value in a configuration file. */
export const MASKED_VALUE = "[secret]";

/** One `key = value` line whose value looks secret. */
export interface ConfigSecret {
  /** 1-based line in the file. */
  line: number;
  /** The key as written, with its TOML table when it has one: `[keystore.primary].password`. */
  key: string;
  /** Where the value starts and ends in the line (inside its quotes, when quoted). */
  start: number;
  end: number;
}

/** `key = value` or `key: value`; the key may be quoted, the value may carry a comment. */
const ASSIGNMENT = /^(\s*)("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)(\s*[=:]\s*)(.*)$/;
const TABLE = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
/** A value Micro Integrator resolves at start: from the secure vault, the environment or a property. */
const REFERENCE = /^\$(secret|env|sys)\{[^}]*\}$/;

/** The value part of `rest` (after the `=`): its bounds inside `rest`, without quotes or comment. */
function valueBounds(rest: string): { start: number; end: number } | undefined {
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const close = rest.indexOf(quote, 1);
    return close < 0 ? undefined : { start: 1, end: close };
  }
  const comment = rest.search(/\s#/);
  const end = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd().length;
  return { start: 0, end };
}

/** Every line of `text` whose value looks like a secret written in plain text. */
export function findConfigSecrets(text: string): ConfigSecret[] {
  const out: ConfigSecret[] = [];
  let table = "";
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*[#!;]/.test(line)) return;
    const heading = TABLE.exec(line);
    if (heading !== null) {
      table = heading[1];
      return;
    }
    const match = ASSIGNMENT.exec(line);
    if (match === null) return;
    const [, indent, rawKey, separator, rest] = match;
    const key = rawKey.replace(/^["']|["']$/g, "");
    const name = key.split(".").at(-1) ?? key;
    if (!looksSecret(name)) return;
    const bounds = valueBounds(rest);
    if (bounds === undefined) return;
    const value = rest.slice(bounds.start, bounds.end);
    if (value.trim() === "" || REFERENCE.test(value.trim())) return;
    const offset = indent.length + rawKey.length + separator.length;
    out.push({
      line: i + 1,
      key: table === "" ? key : `[${table}].${key}`,
      start: offset + bounds.start,
      end: offset + bounds.end,
    });
  });
  return out;
}

/** `text` with every value {@link findConfigSecrets} finds replaced by {@link MASKED_VALUE}. */
export function maskConfigSecrets(text: string): string {
  const secrets = findConfigSecrets(text);
  if (secrets.length === 0) return text;
  const lines = text.split(/(?<=\n)/);
  for (const secret of secrets) {
    const line = lines[secret.line - 1];
    lines[secret.line - 1] = line.slice(0, secret.start) + MASKED_VALUE + line.slice(secret.end);
  }
  return lines.join("");
}
