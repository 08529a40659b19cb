/** Command-line flags of `npm run import-file`. */
import { parseFlags, type ParsedArgs } from "../common/args";

/** What `import-file` was asked to do. */
export interface ImportFileArgs {
  /** The stack (`stacks/Pulumi.<stack>.yaml`); required unless `help`. */
  stack: string;
  /** `--out FILE`: write the document there instead of stdout. */
  out?: string;
  /**
   * `--force`: replace an existing `--out` file that is not an import document this command
   * wrote (never one of its inputs). Default: false.
   */
  force: boolean;
  help: boolean;
}

/** Usage text of `npm run import-file`. */
export const IMPORT_FILE_USAGE = `usage: npm run import-file -- --stack NAME [--out FILE [--force]]

Writes the \`pulumi import --file\` document that adopts every Kubernetes object the stack
manages (Deployments, Services, HPAs, the Ingress, created Namespaces) into its Pulumi state, under
the components the program registers them in; nothing in the cluster changes. Then:
  pulumi import --stack NAME --file FILE --protect=false --generate-code=false
  --stack NAME   the stack (stacks/Pulumi.<NAME>.yaml)
  --out FILE     write the document to FILE instead of stdout (never over one of the stack's
                 files, nor over a file that is not an import document, unless --force)
  --force        with --out: replace a file that is not an import document
  --help         this text
`;

/** `import-file`'s flags, as `parseArgs` takes them. */
const IMPORT_FILE_FLAGS = {
  options: {
    stack: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean" },
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
  if (values.help === true) return { ok: true, args: { stack: "", help: true, force: false } };
  for (const flag of ["stack", "out"] as const) {
    if (values[flag] === "") return { ok: false, message: `--${flag} needs a non-empty value` };
  }
  if (values.stack === undefined) return { ok: false, message: "--stack is required" };
  const args: ImportFileArgs = { stack: values.stack, help: false, force: values.force ?? false };
  if (values.out !== undefined) args.out = values.out;
  else if (args.force) return { ok: false, message: "--force applies to --out only" };
  return { ok: true, args };
}
