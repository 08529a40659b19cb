/**
 * The public API for Pulumi programs of one's own: load a stack, then create its components.
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { IntegrationStack, loadStack } from "./components";
 *
 * // Throws an InputError listing every problem, each with its file, line and field.
 * const resolved = loadStack({
 *   baseDir: __dirname,
 *   stack: pulumi.getStack(),
 *   config: pulumi.runtime.allConfig(),
 * });
 * const stack = new IntegrationStack("integrations", { resolved });
 * export const integrations = stack.integrations;
 * ```
 */
export { loadStack, type LoadStackOptions } from "./model/loadStack";
export { InputError, formatProblem } from "./model/problems";
export type { Problem, Severity, Source } from "./model/problems";
export type * from "./model/types";
export { IntegrationStack, type IntegrationStackArgs } from "./integrationStack";
export {
  Integration,
  type IntegrationArgs,
  type IntegrationSummary,
  type Readiness,
} from "./integration";
export { SharedIngress, type IngressObject, type SharedIngressArgs } from "./sharedIngress";
export { kubernetesProvider } from "./clusterOptions";
export {
  runStackProgram,
  type ProgramLog,
  type ProgramOptions,
  type StackProgramOutputs,
} from "./program";
export { buildStackObjects, integrationEndpoints, listObjects } from "./builders";
export type {
  IntegrationEndpoints,
  IntegrationObjects,
  KubeObject,
  StackObjects,
} from "./builders";
