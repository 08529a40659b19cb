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
export { loadStack } from "./model/loadStack";
export { buildStackObjects, integrationEndpoints, listObjects } from "./builders";
export type {
  IntegrationEndpoints,
  IntegrationObjects,
  KubeObject,
  StackObjects,
} from "./builders";
export { loadStackSettings, parseStackSettings } from "./model/settings/stack";
export { formatProblem, InputError, Problems, sortProblems } from "./model/problems";
export type { Problem, Severity, Source } from "./model/problems";
export type * from "./model/types";
