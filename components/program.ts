/** The stack program's logic, kept out of `index.ts` so tests can run it under Pulumi's mocks. */
import * as pulumi from "@pulumi/pulumi";
import { kubernetesProvider } from "./clusterOptions";
import { IntegrationStack } from "./integrationStack";
import type { IntegrationSummary } from "./integration";
import { formatProblem, InputError, sortProblems, type Problem } from "./model/problems";
import { loadStack } from "./model/loadStack";

/** Where the program's messages go. Default: `pulumi.log`, which the Pulumi CLI shows. */
export interface ProgramLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link runStackProgram}. */
export interface ProgramOptions {
  /** The project folder: `stacks/`, CR and controller config paths are relative to it. */
  baseDir: string;
  /** Default: `pulumi.log`. */
  log?: ProgramLog;
}

/** The stack's outputs. */
export interface StackProgramOutputs {
  /** Per integration, keyed `NS/N`. */
  integrations: pulumi.Output<Record<string, IntegrationSummary>>;
}

const pulumiLog: ProgramLog = {
  info: (message) => void pulumi.log.info(message),
  warn: (message) => void pulumi.log.warn(message),
  error: (message) => void pulumi.log.error(message),
};

/**
 * The stack program: reads the current stack's settings from its config
 * (`stacks/Pulumi.<stack>.yaml`, as `pulumi.runtime.allConfig()` gives it), loads the stack and
 * creates the `IntegrationStack` named `integrations` from it, with the explicit Kubernetes
 * provider `kubernetes` when the stack's `kubernetes` settings ask for one. Warnings and notes
 * are logged; invalid input logs every problem and throws `pulumi.RunError` (no stack trace) with
 * nothing registered.
 */
export function runStackProgram(options: ProgramOptions): StackProgramOutputs {
  const log = options.log ?? pulumiLog;
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  try {
    const isSecret = configIsSecret();
    const resolved = loadStack({
      baseDir: options.baseDir,
      project,
      stack,
      config: pulumi.runtime.allConfig(),
      ...(isSecret === undefined ? {} : { isSecret }),
    });
    logProblems(log, resolved.advice);
    const provider = kubernetesProvider(resolved.kubernetes);
    const integrations = new IntegrationStack(
      "integrations",
      { resolved },
      provider === undefined ? undefined : { providers: [provider] },
    );
    return { integrations: integrations.integrations };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    logProblems(log, error.problems);
    const errors = error.problems.filter((p) => p.severity === "error").length;
    throw new pulumi.RunError(
      `${errors} problem${errors === 1 ? "" : "s"} in the stack's input, listed above; nothing was deployed`,
    );
  }
}

/**
 * Whether Pulumi holds a config key as a secret, from the runtime's `isConfigSecret` (internal to
 * the SDK, so looked up rather than imported); undefined, and nothing checked, without it.
 */
function configIsSecret(): ((key: string) => boolean) | undefined {
  const runtime = pulumi.runtime as { isConfigSecret?: (key: string) => boolean };
  return typeof runtime.isConfigSecret === "function" ? runtime.isConfigSecret : undefined;
}

/** Each problem on its own line; Pulumi prefixes the severity itself, so it is left out here. */
function logProblems(log: ProgramLog, problems: readonly Problem[]): void {
  for (const problem of sortProblems(problems)) {
    const message = formatProblem(problem).slice(problem.severity.length + 2);
    if (problem.severity === "error") log.error(message);
    else if (problem.severity === "warning") log.warn(message);
    else log.info(message);
  }
}
