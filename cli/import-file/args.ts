/** Command-line flags of `npm run import-file`. */
import { parseFlags, type ParsedArgs } from "../common/args";

/** What `import-file` was asked to do. */
export interface ImportFileArgs {
  /** The stack (`stacks/Pulumi.<stack>.yaml`); required unless `help`. */
  stack: string;
  /** `--out FILE`: write the document there instead of stdout. */
  out?: string;
  help: boolean;
}

/** Usage text of `npm run import-file`. */
export const IMPORT_FILE_USAGE = `usage: npm run import-file -- --stack NAME [--out FILE]

Writes the \`pulumi import --file\` document that adopts every Kubernetes object the stack
manages (Deployments, Services, HPAs, the Ingress, created Namespaces) into its Pulumi state, under
the components the program registers them in; nothing in the cluster changes. Then:
  pulumi import --stack NAME --file FILE --protect=false --generate-code=false
  --stack NAME   the stack (stacks/Pulumi.<NAME>.yaml)
  --out FILE     write the document to FILE instead of stdout
  --help         this text
`;

/** `import-file`'s flags, as `parseArgs` takes them. */
const IMPORT_FILE_FLAGS = {
  options: {
    stack: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: false,
} as const;

/** `import-file`'s long flag names. */
export const IMPORT_FILE_FLAG_NAMES = Object.keys(IMPORT_FILE_FLAGS.options);

/** Parses `import-file`'s flags: `--stack` is required, `--out` optional, nothing else. */
export function parseImportFileArgs(argv: readonly string[]): ParsedArgs<ImportFileArgs> {
  const result = parseFlags(argv, IMPORT_FILE_FLAGS);
  if (!result.ok) return result;
  const { values } = result.parsed;
  if (values.help === true) return { ok: true, args: { stack: "", help: true } };
  for (const flag of ["stack", "out"] as const) {
    if (values[flag] === "") return { ok: false, message: `--${flag} needs a non-empty value` };
  }
  if (values.stack === undefined) return { ok: false, message: "--stack is required" };
  const args: ImportFileArgs = { stack: values.stack, help: false };
  if (values.out !== undefined) args.out = values.out;
  return { ok: true, args };
}
