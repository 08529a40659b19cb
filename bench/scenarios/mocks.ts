/**
 * Pulumi's mock runtime as `pulumi preview` drives a program: every resource registered, its
 * inputs serialised and returned as its state. Nothing is recorded, so that memory is the
 * program's own.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "../../components/model/problems";
import { stackConfigFromFile } from "../../components/model/settings/stack";
import { BENCH_STACK } from "../generate";

/** The project name of the generated projects. */
const PROJECT = "wso2-mi";

/**
 * Installs the mocks with the bench stack's config (read from its stack file, as the CLI
 * does), runs `program` inside a root stack and waits for every registration. Returns how
 * many resources reached the mock engine.
 */
export async function runUnderMocks(
  dir: string,
  program: () => Record<string, pulumi.Output<unknown>>,
): Promise<number> {
  let registered = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered++;
        return { id: args.name, state: args.inputs as Record<string, unknown> };
      },
      call: (args) => {
        throw new Error(`unexpected call to ${args.token}`);
      },
    },
    PROJECT,
    BENCH_STACK,
    true,
  );
  const problems = new Problems();
  const file = path.join(dir, "stacks", `Pulumi.${BENCH_STACK}.yaml`);
  pulumi.runtime.setAllConfig(stackConfigFromFile(file, PROJECT, problems));
  problems.throwIfErrors();
  await pulumi.runtime.runInPulumiStack(() => Promise.resolve(program()));
  // As the language host does at the end of a run: registrations made inside `apply` come late.
  await pulumi.runtime.disconnect();
  return registered;
}
