/**
 * TypeScript loaded as `pulumi up` loads it: Pulumi's nodejs runtime (`@pulumi/pulumi`'s
 * `cmd/run/run.js`) finds the project's `typescript` and `ts-node` with its `tsutils` and
 * registers ts-node with the project's tsconfig, type-checking, before it requires `index.ts`.
 * The provider's serialized text comes from that compile, not from tsx's.
 */
import { spawnSync } from "node:child_process";
import { PROJECT_DIR } from "./engine";

/**
 * JavaScript for a child `node -e` in a project folder: registers ts-node exactly as Pulumi's
 * runtime does for `runtime.options.typescript: true`, and sets `TS_RUNTIME` to the resolved
 * `typescript` and `ts-node` and TypeScript's version.
 */
export const REGISTER_AS_PULUMI = `
const tsutils = require("@pulumi/pulumi/tsutils");
const tsConfigPath = "tsconfig.json";
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ? process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true" : compilerOptions.noCheck,
  project: tsConfigPath,
  skipProject: !require("fs").existsSync(tsConfigPath),
  compilerOptions: {
    target: "ES2020",
    module: "nodenext",
    moduleResolution: "nodenext",
    sourceMap: "true",
    ...compilerOptions,
  },
});
const TS_RUNTIME = {
  typescript: require("path").relative(process.cwd(), require.resolve(typescriptRequire)),
  typescriptVersion: require(typescriptRequire).version,
  tsnode: require("path").relative(process.cwd(), require.resolve(tsnodeRequire)),
};
`;

const SERIALIZE = `
${REGISTER_AS_PULUMI}
const path = require("path");
const { imageDigestProvider } = require(path.resolve("provider/imageDigest.ts"));
const { serializeProvider } = require(path.resolve("provider/serialization.ts"));
serializeProvider(imageDigestProvider).then((serialized) =>
  process.stdout.write(JSON.stringify({ ...serialized, runtime: TS_RUNTIME })),
);
`;

/** The image-refresh provider serialized in a child process that loaded it through ts-node. */
export function serializeUnderTsNode(
  cwd: string = PROJECT_DIR,
  env: NodeJS.ProcessEnv = process.env,
): { text: string; containsSecrets: boolean; runtime: { typescript: string; tsnode: string } } {
  const result = spawnSync(process.execPath, ["-e", SERIALIZE], {
    cwd,
    env: { ...env, NODE_OPTIONS: "" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`serializing under ts-node failed (${result.status}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as ReturnType<typeof serializeUnderTsNode>;
}
