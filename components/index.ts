/**
 * The public API for Pulumi programs of one's own: the components, and the loading they use.
 *
 * ```ts
 * import { IntegrationStack, loadStackSettings, Problems } from "./components";
 * const problems = new Problems();
 * const settings = loadStackSettings(__dirname, "dev", problems);
 * problems.throwIfErrors();
 * const stack = new IntegrationStack("integrations", { baseDir: __dirname, settings });
 * export const integrations = stack.integrations;
 * ```
 */
export {
  Integration,
  type IntegrationArgs,
  type IntegrationSummary,
  type Readiness,
} from "./integration";
export { SharedIngress, type IngressObject, type SharedIngressArgs } from "./sharedIngress";
export { IntegrationStack, type IntegrationStackArgs } from "./integrationStack";
export { kubernetesProvider } from "./clusterOptions";
export {
  runStackProgram,
  type ProgramLog,
  type ProgramOptions,
  type StackProgramOutputs,
} from "./program";
export { loadStack } from "./spec/stack";
export { buildStackObjects, integrationEndpoints, listObjects } from "./build";
export type { IntegrationEndpoints, IntegrationObjects, KubeObject, StackObjects } from "./build";
export { loadStackSettings, parseStackSettings } from "./spec/stackSettings";
export { formatProblem, InputError, Problems, sortProblems } from "./spec/problems";
export type { Problem, Severity, Source } from "./spec/problems";
export type * from "./spec/types";
