/** What every command does first: parse its flags, and answer `--help` or a usage error. */
import type { CliIo } from "./io";
import { EXIT } from "./io";

/** The flags were parsed, or what is wrong with them (a usage error, exit code 2). */
export type ParsedArgs<T> = { ok: true; args: T } | { ok: false; message: string };

/** What `parseArgs` returns with `tokens: true`: the options as given, in order. */
type Tokens = readonly { kind: string; name?: string; rawName?: string }[];

/**
 * The usage error for a single-value flag given more than once (`parseArgs` would keep the last
 * silently: `--stack dev --stack prod` renders prod); undefined when none is. `options` are the
 * parser's: a flag of `type: "string"` without `multiple` takes one value.
 */
export function repeatedFlag(
  tokens: Tokens,
  options: Readonly<Record<string, { type: string; multiple?: boolean }>>,
): string | undefined {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined) continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (option === undefined || option.type !== "string" || option.multiple === true) continue;
    if (seen.has(token.name)) return `--${token.name} is given more than once; give it once`;
    seen.add(token.name);
  }
  return undefined;
}

/** An argument quoted for a message, as every value: at most 60 characters of it. */
export function shownArgument(value: string): string {
  return value.length <= 60
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)`;
}

/** The sentence of a `parseArgs` error, without its advice about `--`. */
export function parseArgsMessage(error: unknown): string {
  if (!(error instanceof Error)) throw error;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (!code.startsWith("ERR_PARSE_ARGS_")) throw error;
  // Node quotes the flag it did not know: at most 60 characters of it, as every value.
  return error.message
    .split(". To specify")[0]
    .replace(/\.$/, "")
    .replace(/'([^']{61,})'/g, (_, flag: string) => shownArgument(flag));
}

/** A command's flag parser and usage text. */
export interface CommandFlags<T extends { help: boolean }> {
  /** The command's name, which prefixes a usage error. */
  name: string;
  parse: (argv: readonly string[]) => ParsedArgs<T>;
  usage: string;
}

/**
 * The start of every command's `main`: the parsed flags; or, for bad flags, the usage text on
 * stderr and exit code 2; for `--help`, the usage text on stdout and exit code 0.
 */
export function commandArgs<T extends { help: boolean }>(
  flags: CommandFlags<T>,
  argv: readonly string[],
  io: CliIo,
): Exclude<T, { help: true }> | number {
  const parsed = flags.parse(argv);
  if (!parsed.ok) {
    io.stderr(`${flags.name}: ${parsed.message}\n\n${flags.usage}`);
    return EXIT.usage;
  }
  if (parsed.args.help) {
    io.stdout(flags.usage);
    return EXIT.ok;
  }
  return parsed.args as Exclude<T, { help: true }>;
}
