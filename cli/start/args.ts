/** Command-line flags of `npm start`. */
import { parseFlags, type ParsedArgs } from "../common/args";

/** Usage text of `npm start`. */
export const START_USAGE = `usage: npm start -- [--stack NAME]

Renders a stack (default: dev) offline and summarises what it deploys: its integrations, their
images, replicas, ports and URLs, and every resource \`pulumi up\` registers for it.
  --stack NAME   the stack (stacks/Pulumi.<NAME>.yaml); default dev
  --help         this text
`;

/** What `start` was asked to do. */
export interface StartArgs {
  /** Default: `dev`. */
  stack: string;
  help: boolean;
}

/** `start`'s flags, as `parseArgs` takes them. */
const START_FLAGS = {
  options: { stack: { type: "string" }, help: { type: "boolean", short: "h" } },
  allowPositionals: false,
} as const;

/** `start`'s long flag names. */
export const START_FLAG_NAMES = Object.keys(START_FLAGS.options);

/** Parses `start`'s flags. */
export function parseStartArgs(argv: readonly string[]): ParsedArgs<StartArgs> {
  const result = parseFlags(argv, START_FLAGS);
  if (!result.ok) return result;
  const { values } = result.parsed;
  if (values.stack === "") return { ok: false, message: "--stack needs a non-empty value" };
  return { ok: true, args: { stack: values.stack ?? "dev", help: values.help ?? false } };
}
