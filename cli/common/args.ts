/** What every command does first: parse its flags, and answer `--help` or a usage error. */
import type { CliIo } from "./io";
import { EXIT } from "./io";

/** The flags were parsed, or what is wrong with them (a usage error, exit code 2). */
export type ParsedArgs<T> = { ok: true; args: T } | { ok: false; message: string };

/** The sentence of a `parseArgs` error, without its advice about `--`. */
export function parseArgsMessage(error: unknown): string {
  if (!(error instanceof Error)) throw error;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (!code.startsWith("ERR_PARSE_ARGS_")) throw error;
  return error.message.split(". To specify")[0].replace(/\.$/, "");
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
