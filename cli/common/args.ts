/**
 * What every command does first: parse its flags, and answer `--help` or a usage error. Every
 * command's flags go through {@link parseFlags}, so that they all behave alike: a misspelt flag
 * gets a did-you-mean, a flag that takes one value may be given once, and flags npm kept for
 * itself (`npm run render --stack dev`, without `--`) are named with the fix.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean } from "../../components/model/rules/suggest";
import type { CliIo } from "./io";
import { EXIT } from "./io";

/** The flags were parsed, or what is wrong with them (a usage error, exit code 2). */
export type ParsedArgs<T> = { ok: true; args: T } | { ok: false; message: string };

/** A command's flags as `parseArgs` takes them: long names, their types, and positionals. */
export type FlagConfig = Pick<ParseArgsConfig, "options" | "allowPositionals">;

type Strict<T extends FlagConfig> = T & { args: string[]; strict: true; tokens: true };

/** What {@link parseFlags} found: `parseArgs`'s values, positionals and tokens. */
export type ParsedFlags<T extends FlagConfig> = ReturnType<typeof parseArgs<Strict<T>>>;

/**
 * Parses `argv` with `parseArgs` (strict, with tokens). A usage error says what is wrong in one
 * sentence: an unknown flag with the closest known one (`did you mean --stack?`), a flag without
 * its value, or a flag that takes one value given twice (`--stack a --stack b` would otherwise
 * keep the last silently). Flags declared `multiple` may be repeated.
 */
export function parseFlags<T extends FlagConfig>(
  argv: readonly string[],
  config: T,
): { ok: true; parsed: ParsedFlags<T> } | { ok: false; message: string } {
  let parsed: ParsedFlags<T>;
  try {
    parsed = parseArgs({ ...config, args: [...argv], strict: true, tokens: true });
  } catch (error) {
    return { ok: false, message: flagErrorMessage(error, Object.keys(config.options ?? {})) };
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option") continue;
    const option = config.options?.[token.name];
    if (option?.type !== "string" || option.multiple === true) continue;
    if (seen.has(token.name)) {
      return {
        ok: false,
        message: `--${token.name} is given more than once; give it once (it takes one value)`,
      };
    }
    seen.add(token.name);
  }
  return { ok: true, parsed };
}

/**
 * The sentence of a `parseArgs` error, without its advice about `--` (which is about positional
 * arguments, not npm's `--`), and with the closest of `names` to an unknown flag.
 */
export function flagErrorMessage(error: unknown, names: readonly string[]): string {
  if (!(error instanceof Error)) throw error;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (!code.startsWith("ERR_PARSE_ARGS_")) throw error;
  // Node quotes the flag it did not know: at most 60 characters of it, as every value.
  const message = error.message
    .split(". To specify")[0]
    .split("\n")[0]
    .replace(/\.$/, "")
    .replace(/'([^']{61,})'/g, (_, flag: string) => shownArgument(flag));
  const unknown = /^Unknown option '--([^'=]+)'/.exec(message);
  const close = unknown === null ? undefined : didYouMean(unknown[1], names);
  return close === undefined ? message : `${message}; did you mean --${close}?`;
}

/** The sentence of a `parseArgs` error, without its advice about `--`. */
export function parseArgsMessage(error: unknown): string {
  return flagErrorMessage(error, []);
}

/** An argument quoted for a message, as every value: at most 60 characters of it. */
export function shownArgument(value: string): string {
  return value.length <= 60
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)`;
}

/** A command's flag parser and usage text. */
export interface CommandFlags<T extends { help: boolean }> {
  /** The command's name (`render`), which prefixes a usage error; also its npm script's name. */
  name: string;
  parse: (argv: readonly string[]) => ParsedArgs<T>;
  usage: string;
  /** The command's long flag names, to tell when npm kept one for itself. Default: none. */
  flags?: readonly string[];
}

/** How the command is run through npm: `npm start --` or `npm run <name> --`. */
export function npmCommand(name: string): string {
  return name === "start" || name === "test" ? `npm ${name} --` : `npm run ${name} --`;
}

/**
 * The command's flags that npm kept for itself: run as `npm run <name> --stack dev` (without
 * `--`), npm reads `--stack` as its own setting (`npm_config_stack`) and passes the command only
 * what follows. Empty unless the command runs as the npm script of its name.
 */
export function flagsNpmKept(name: string, flags: readonly string[], env: CliIo["env"]): string[] {
  if (env?.npm_lifecycle_event !== name) return [];
  return flags.filter(
    (flag) => flag !== "help" && env[`npm_config_${flag.replace(/-/g, "_")}`] !== undefined,
  );
}

/**
 * The start of every command's `main`: the parsed flags; or, for bad flags, the usage text on
 * stderr and exit code 2; for `--help`, the usage text on stdout and exit code 0. Flags npm kept
 * for itself are a usage error naming them, so that a stack or `--resolve-images` is never
 * dropped silently; under npm, a usage error with no flag first reminds that they go after `--`.
 */
export function commandArgs<T extends { help: boolean }>(
  flags: CommandFlags<T>,
  argv: readonly string[],
  io: CliIo,
): Exclude<T, { help: true }> | number {
  const kept = flagsNpmKept(flags.name, flags.flags ?? [], io.env);
  const example = `${npmCommand(flags.name)} --${kept[0] ?? flags.flags?.[0] ?? "help"} ...`;
  if (kept.length > 0) {
    const named = kept.map((flag) => `--${flag}`).join(", ");
    io.stderr(
      `${flags.name}: npm took ${named} for itself and did not pass ${kept.length === 1 ? "it" : "them"} ` +
        `on: put the command's flags after \`--\`, as in \`${example}\`\n\n${flags.usage}`,
    );
    return EXIT.usage;
  }
  const parsed = flags.parse(argv);
  if (!parsed.ok) {
    // Flags npm kept leave the command their values only: `npm run render --stack dev` passes `dev`.
    const flagless = argv.length === 0 || !argv[0].startsWith("-");
    const hint =
      io.env?.npm_lifecycle_event === flags.name && flagless
        ? ` (run through npm, the command's flags go after \`--\`: \`${example}\`)`
        : "";
    io.stderr(`${flags.name}: ${parsed.message}${hint}\n\n${flags.usage}`);
    return EXIT.usage;
  }
  if (parsed.args.help) {
    io.stdout(flags.usage);
    return EXIT.ok;
  }
  return parsed.args as Exclude<T, { help: true }>;
}
