/**
 * `npm run import-file -- --stack NAME [--out FILE]`: the `pulumi import --file` document that
 * adopts the stack's existing Kubernetes objects (created by the operator) into its Pulumi state.
 * Offline; reads the stack exactly as render does. Exit codes as render's: 0 ok (notes on
 * stderr), 1 invalid input (nothing written), 2 usage, 70 a bug.
 */
import * as fs from "node:fs";
import { usesExplicitProvider } from "../../components/model/settings/kubernetes";
import { Problems } from "../../components/model/problems";
import { IMPORT_FILE_FLAG_NAMES, IMPORT_FILE_USAGE, parseImportFileArgs } from "./args";
import { buildImportFile, providerUrn } from "./build";
import { commandArgs } from "../common/args";
import { cliPath, EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
import { loadStackInput, stackFile } from "../common/stackInput";
import { realPaths, stackInputFiles, writeOutputFile } from "../common/manifests";

/** The `@pulumi/kubernetes` version installed: the provider version `pulumi up` uses. */
function kubernetesVersion(): string {
  const file = require.resolve("@pulumi/kubernetes/package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/**
 * Whether `text` is a document this command wrote: a `pulumi import` file, JSON with a list of
 * `resources` each naming its `type` and `name`. Only such a file is replaced without --force.
 */
function isImportDocument(text: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return false;
  const { resources } = json as { resources?: unknown };
  return (
    Array.isArray(resources) &&
    resources.every(
      (r) =>
        typeof r === "object" &&
        r !== null &&
        typeof (r as { type?: unknown }).type === "string" &&
        typeof (r as { name?: unknown }).name === "string",
    )
  );
}

/** Runs import-file with `argv` (the arguments after the script) and returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  return runCommand("import-file", io, () => {
    const args = commandArgs(
      {
        name: "import-file",
        parse: parseImportFileArgs,
        usage: IMPORT_FILE_USAGE,
        flags: IMPORT_FILE_FLAG_NAMES,
      },
      argv,
      io,
    );
    if (typeof args === "number") return args;
    const out = args.out === undefined ? undefined : cliPath(io, args.out);
    const input = loadStackInput(io.projectDir, { stack: args.stack });
    const project = input.project.name;
    const stack = args.stack.split("/").at(-1) ?? args.stack;
    const explicitProvider = usesExplicitProvider(input.resolved.kubernetes);
    const document = buildImportFile(input.objects, {
      project,
      stack,
      explicitProvider,
      kubernetesVersion: kubernetesVersion(),
    });
    const notes = new Problems();
    const source = { file: stackFile(stack) };
    if (explicitProvider) {
      notes.note(
        source,
        `${project}:kubernetes`,
        "the objects are imported with the stack's own provider, which must be in the state " +
          `first: pulumi up --stack ${args.stack} --target '${providerUrn(project, stack)}'`,
      );
    }
    const refreshing = input.resolved.integrations.filter((i) => i.imageRefresh !== undefined);
    if (refreshing.length > 0) {
      notes.note(
        source,
        `${project}:imageRefresh`,
        `the ${refreshing.length} image digest resource${refreshing.length === 1 ? " is" : "s are"} ` +
          "not imported (they are not cluster objects): the first `pulumi up` after the import " +
          "creates them and pins each image by digest, a rolling update",
      );
    }
    printProblems(io, [...input.advice, ...notes.list]);
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (out === undefined) {
      io.stdout(text);
    } else {
      writeOutputFile(out.absolute, text, isImportDocument, {
        force: args.force,
        inputs: realPaths(stackInputFiles(io.projectDir, input)),
        shown: out.shown,
      });
      io.stderr(`wrote ${document.resources.length} resources to ${out.shown}\n`);
    }
    return EXIT.ok;
  });
}

if (require.main === module)
  process.exitCode = main(process.argv.slice(2), processIo("import-file"));
