/**
 * Runs the stack program under Pulumi's mock runtime and records every registration: type
 * token, logical name, URN, parent URN and the inputs the engine would receive.
 */
import * as pulumi from "@pulumi/pulumi";
import { runStackProgram, type ProgramLog } from "../../components/program";
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
}

/** What the program did under mocks. */
export interface ProgramRun {
  registrations: Registration[];
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

/** The value of an output, once known. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** What the mock engine returns as a resource's state: its inputs, plus `status` if given. */
export type StateFor = (type: string, inputs: Record<string, unknown>) => Record<string, unknown>;

const inputsAsState: StateFor = (_type, inputs) => inputs;

/** Installs fresh mocks for `project`/`stack`, recording every resource's inputs by URN suffix. */
export function installMocks(
  project: string,
  stack: string,
  config: Record<string, string>,
  stateFor: StateFor = inputsAsState,
): Map<string, Record<string, unknown>> {
  const inputs = new Map<string, Record<string, unknown>>();
  void pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const key = `${args.type}::${args.name}`;
        if (inputs.has(key)) throw new Error(`registered twice: ${key}`);
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
  pulumi.runtime.setAllConfig(config);
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
  const inputs = installMocks(project, stack, config, stateFor);
  const log = captureLog();
  const seen: {
    resource: pulumi.Resource;
    type: string;
    name: string;
    parent?: pulumi.Resource;
  }[] = [];
  const outputs = await pulumi.runtime.runInPulumiStack(() => {
    const root = pulumi.runtime.getStackResource();
    if (root === undefined) throw new Error("no root stack");
    seen.push({ resource: root, type: "pulumi:pulumi:Stack", name: `${project}-${stack}` });
    pulumi.runtime.registerStackTransformation((args) => {
      seen.push({
        resource: args.resource,
        type: args.type,
        name: args.name,
        parent: args.opts.parent ?? root,
      });
      return undefined;
    });
    const program = runStackProgram({ baseDir, log });
    return Promise.resolve({ integrations: program.integrations });
  });
  const registrations: Registration[] = [];
  for (const { resource, type, name, parent } of seen) {
    const urn = await valueOf(resource.urn);
    const received = inputs.get(`${type}::${name}`);
    if (received === undefined) throw new Error(`never reached the engine: ${type}::${name}`);
    const registration: Registration = { type, name, urn, inputs: received };
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
  return { registrations, integrations, log };
}
