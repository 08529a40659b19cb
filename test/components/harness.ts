/**
 * Runs the stack program under Pulumi's mock runtime and records every registration: type
 * token, logical name, URN, parent URN and the inputs the engine would receive.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runStackProgram, type ProgramLog } from "../../components/program";
import { InputError, Problems } from "../../components/model/problems";
import { readProject, stackConfigFromFile } from "../../components/model/settings/stack";
import type { IntegrationSummary } from "../../components/integration";

/** One registered resource. */
export interface Registration {
  type: string;
  name: string;
  urn: string;
  /** Undefined only for the root stack. */
  parentUrn?: string;
  /** The parent's `type::name`; undefined only for the root stack. */
  parent?: string;
  /** The inputs as the mock monitor received them (after Pulumi's serialisation). */
  inputs: Record<string, unknown>;
  /** The explicit provider reference the engine received (`URN::id`); undefined for the default. */
  provider?: string;
}

/** What the program did under mocks. */
export interface ProgramRun {
  registrations: Registration[];
  /**
   * Each resource's options (keyed `type::name`) after its ancestors' transformations:
   * customTimeouts, dependsOn, retainOnDelete.
   */
  options: Map<string, pulumi.ResourceOptions>;
  integrations: Record<string, IntegrationSummary>;
  log: CapturedLog;
}

/** Messages the program logged, by severity. */
export interface CapturedLog extends ProgramLog {
  infos: string[];
  warnings: string[];
  errors: string[];
}

/** A log that keeps every message. */
export function captureLog(): CapturedLog {
  const log: CapturedLog = {
    infos: [],
    warnings: [],
    errors: [],
    info: (m) => void log.infos.push(m),
    warn: (m) => void log.warnings.push(m),
    error: (m) => void log.errors.push(m),
  };
  return log;
}

/**
 * Runs the stack program expecting it to refuse its input with a `pulumi.RunError` (anything
 * else fails the test), and lets the log's messages land: the error's message and the log.
 */
export async function runRefusedProgram(
  baseDir: string,
): Promise<{ message: string; log: CapturedLog }> {
  const log = captureLog();
  let thrown: unknown;
  try {
    runStackProgram({ baseDir, log });
  } catch (error) {
    thrown = error;
  }
  await new Promise((resolve) => setImmediate(resolve));
  if (!(thrown instanceof pulumi.RunError)) {
    throw new Error(`expected the program to throw a RunError, got ${String(thrown)}`);
  }
  return { message: thrown.message, log };
}

/**
 * The config `pulumi up --stack <stack>` hands the program in the project `baseDir`: the stack
 * file's (`stacks/Pulumi.<stack>.yaml`) over Pulumi.yaml's defaults. Throws on any problem.
 */
export function stackConfig(
  baseDir: string,
  project: string,
  stack: string,
): Record<string, string> {
  const problems = new Problems();
  const file = path.join(baseDir, "stacks", `Pulumi.${stack}.yaml`);
  const config = stackConfigFromFile(file, project, problems);
  const defaults = readProject(baseDir, problems)?.config;
  if (problems.list.length > 0) throw new InputError(problems.list);
  return { ...defaults, ...config };
}

/** The value of an output, once known. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** What the mock engine returns as a resource's state: its inputs, plus `status` if given. */
export type StateFor = (type: string, inputs: Record<string, unknown>) => Record<string, unknown>;

const inputsAsState: StateFor = (_type, inputs) => inputs;

/** What the mock engine received for one resource, besides its inputs. */
export type OnResource = (args: pulumi.runtime.MockResourceArgs) => void;

/**
 * Installs fresh mocks for `project`/`stack`, recording every resource's inputs by URN suffix;
 * `onResource` sees each registration as the engine receives it (e.g. its provider reference).
 * `secretKeys` are the config keys Pulumi holds as secrets; default: `<project>:registryCredentials`
 * when set, as `pulumi config set --secret` stores it.
 */
export function installMocks(
  project: string,
  stack: string,
  config: Record<string, string>,
  stateFor: StateFor = inputsAsState,
  onResource?: OnResource,
  secretKeys: string[] = Object.keys(config).filter((k) => k === `${project}:registryCredentials`),
): Map<string, Record<string, unknown>> {
  const inputs = new Map<string, Record<string, unknown>>();
  void pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const key = `${args.type}::${args.name}`;
        if (inputs.has(key)) throw new Error(`registered twice: ${key}`);
        onResource?.(args);
        const received = args.inputs as Record<string, unknown>;
        inputs.set(key, received);
        return { id: args.name, state: stateFor(args.type, received) };
      },
      call: (args) => {
        throw new Error(`unexpected call to ${args.token}`);
      },
    },
    project,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config, secretKeys);
  return inputs;
}

/**
 * Runs `runStackProgram` inside a root stack, as `pulumi up` does, and waits until every
 * resource is registered.
 */
export async function runProgram(
  baseDir: string,
  project: string,
  stack: string,
  config: Record<string, string>,
  stateFor?: StateFor,
): Promise<ProgramRun> {
  const providers = new Map<string, string>();
  const inputs = installMocks(project, stack, config, stateFor, (args) => {
    if (args.provider !== undefined && args.provider !== "")
      providers.set(`${args.type}::${args.name}`, args.provider);
  });
  const log = captureLog();
  const seen: {
    resource: pulumi.Resource;
    type: string;
    name: string;
    parent?: pulumi.Resource;
    options: pulumi.ResourceOptions;
  }[] = [];
  const outputs = await pulumi.runtime.runInPulumiStack(() => {
    const root = pulumi.runtime.getStackResource();
    if (root === undefined) throw new Error("no root stack");
    seen.push({
      resource: root,
      type: "pulumi:pulumi:Stack",
      name: `${project}-${stack}`,
      options: {},
    });
    pulumi.runtime.registerStackTransformation((args) => {
      seen.push({
        resource: args.resource,
        type: args.type,
        name: args.name,
        parent: args.opts.parent ?? root,
        options: args.opts,
      });
      return undefined;
    });
    const program = runStackProgram({ baseDir, log });
    return Promise.resolve({ integrations: program.integrations });
  });
  const registrations: Registration[] = [];
  const options = new Map<string, pulumi.ResourceOptions>();
  for (const { resource, type, name, parent, options: resourceOptions } of seen) {
    const urn = await valueOf(resource.urn);
    const received = inputs.get(`${type}::${name}`);
    if (received === undefined) throw new Error(`never reached the engine: ${type}::${name}`);
    const registration: Registration = { type, name, urn, inputs: received };
    options.set(`${type}::${name}`, resourceOptions);
    const provider = providers.get(`${type}::${name}`);
    if (provider !== undefined) registration.provider = provider;
    if (parent !== undefined) {
      const known = seen.find((s) => s.resource === parent);
      if (known === undefined) throw new Error(`the parent of ${type}::${name} was not seen`);
      registration.parent = `${known.type}::${known.name}`;
      registration.parentUrn = await valueOf(parent.urn);
    }
    registrations.push(registration);
  }
  if (registrations.length !== inputs.size) {
    throw new Error(`${inputs.size} resources reached the engine, ${registrations.length} seen`);
  }
  const integrations = (outputs?.integrations ?? {}) as Record<string, IntegrationSummary>;
  return { registrations, options, integrations, log };
}
