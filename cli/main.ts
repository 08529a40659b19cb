/**
 * `wso2-mi <command> [flags]` (`bin/wso2-mi.js`): every offline command from one entry, each
 * module loaded only when its command runs, so that `render` loads neither `plan` nor Pulumi.
 * The flags and exit codes are the command's own (`npm run <command> -- [flags]` runs the same).
 */
import { didYouMean } from "../components/model/rules/suggest";
import { EXIT, processIo, type CliIo } from "./common/io";

type Main = (argv: readonly string[], io: CliIo) => number | Promise<number>;

/** Every command, loaded on demand. */
const COMMANDS: Record<string, () => Main> = {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only for the command run */
  render: () => (require("./render/main") as typeof import("./render/main")).renderMain,
  start: () => (require("./start/main") as typeof import("./start/main")).main,
  plan: () => (require("./plan/main") as typeof import("./plan/main")).main,
  "import-file": () => (require("./import-file/main") as typeof import("./import-file/main")).main,
  reconciler: () => (require("./reconciler/main") as typeof import("./reconciler/main")).main,
  images: () => (require("./images/main") as typeof import("./images/main")).imagesMain,
  /* eslint-enable @typescript-eslint/no-require-imports */
};

/** Usage text of `wso2-mi`. */
export const WSO2_MI_USAGE = `usage: wso2-mi <command> [flags]        (node bin/wso2-mi.js <command> [flags])

The offline commands, the same as \`npm run <command> -- [flags]\`; \`wso2-mi <command> --help\`
describes each:
  start         summarise a stack (default: dev): what \`pulumi up\` deploys
  render        every Kubernetes object of a stack, as YAML
  plan          what would change between two renders, object by object
  import-file   the \`pulumi import --file\` document that adopts the operator's objects
  reconciler    the Pulumi Kubernetes Operator Stack that reconciles a stack in the cluster
  images        a stack's image lock against its registries; --update moves it
`;

/**
 * Runs `argv` (a command and its flags) and returns the exit code: the command's, or 2 for a
 * missing or unknown command (with the closest one), 0 for `--help`.
 */
export async function cliMain(
  argv: readonly string[],
  io: (command: string) => CliIo,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    io("").stdout(WSO2_MI_USAGE);
    return EXIT.ok;
  }
  const load = command === undefined ? undefined : COMMANDS[command];
  if (command === undefined || load === undefined) {
    const close = command === undefined ? undefined : didYouMean(command, Object.keys(COMMANDS));
    const problem =
      command === undefined
        ? "a command is required"
        : `unknown command ${JSON.stringify(command)}${close === undefined ? "" : `; did you mean ${close}?`}`;
    io("").stderr(`wso2-mi: ${problem}\n\n${WSO2_MI_USAGE}`);
    return EXIT.usage;
  }
  return load()(rest, io(command));
}

/** Runs the process's command line; a closed stdout (`| head`) ends the command quietly. */
export function runProcess(): void {
  // Each command's io guards stdout (`guardStdout`): EPIPE ends quietly, other errors exit 1.
  void cliMain(process.argv.slice(2), processIo).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runProcess();
