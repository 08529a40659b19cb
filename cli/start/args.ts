/** Command-line flags of `npm start`. */
import { parseArgs } from "node:util";
import { parseArgsMessage, repeatedFlag, type ParsedArgs } from "../common/args";

/** Usage text of `npm start`. */
export const START_USAGE = `usage: npm start -- [--stack NAME]

Renders the example stack (default: dev) offline and summarises what \`pulumi up\` would create.
`;

/** What `start` was asked to do. */
export interface StartArgs {
  /** Default: `dev`. */
  stack: string;
  help: boolean;
}

/** Parses `start`'s flags. */
export function parseStartArgs(argv: readonly string[]): ParsedArgs<StartArgs> {
  try {
    const options = { stack: { type: "string" }, help: { type: "boolean", short: "h" } } as const;
    const { values, tokens } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    const repeated = repeatedFlag(tokens, options);
    if (repeated !== undefined) return { ok: false, message: repeated };
    if (values.stack === "") return { ok: false, message: "--stack needs a non-empty value" };
    return { ok: true, args: { stack: values.stack ?? "dev", help: values.help ?? false } };
  } catch (error) {
    return { ok: false, message: parseArgsMessage(error) };
  }
}
