/** What the program peers share: the current stack's objects, read as the stack program reads them. */
import * as pulumi from "@pulumi/pulumi";
import { buildStackObjects, type StackObjects } from "../../components/builders";
import { Problems } from "../../components/model/problems";
import { loadStackFromSettings } from "../../components/model/loadStack";
import { parseStackSettings } from "../../components/model/settings/stack";
import type { ResolvedStack } from "../../components/model/types";

/**
 * The current stack (Pulumi's config) of the project in `baseDir`, loaded and built; throws
 * `InputError` on invalid input.
 */
export function currentStackObjects(baseDir: string): {
  resolved: ResolvedStack;
  objects: StackObjects;
} {
  const problems = new Problems();
  const settings = parseStackSettings(
    pulumi.runtime.allConfig(),
    { project: pulumi.getProject(), stack: pulumi.getStack(), file: "stack" },
    problems,
  );
  const resolved = loadStackFromSettings({ baseDir, settings, problems });
  return { resolved, objects: buildStackObjects(resolved) };
}
