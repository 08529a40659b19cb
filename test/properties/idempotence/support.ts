/**
 * Valid stacks as trees, and the same stack written another way: files, documents, mapping keys
 * and inbound ports in another order, other YAML styles. Both must give the same objects.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import {
  type DumpStyle,
  type Tree,
  configStrings,
  controllerConfig,
  integrationCr,
  stackSettings,
  toYaml,
} from "../fuzz/arbitraries";
import type { PipelineInput } from "../fuzz/pipeline";
import { ROOT } from "../../cli/run";

/** The example stacks: every `stacks/Pulumi.<stack>.yaml` of the repository, sorted. */
export const EXAMPLE_STACKS = fs
  .readdirSync(path.join(ROOT, "stacks"))
  .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

/** A valid stack's parts, before they are written as files. */
export interface StackTrees {
  crs: Tree[];
  controller: Tree[] | null;
  settings: Tree | null;
}

/** Stacks of one to four CRs, with or without a controller config and stack settings. */
export const stackTrees: fc.Arbitrary<StackTrees> = fc.record({
  crs: fc.array(integrationCr, { minLength: 1, maxLength: 4 }),
  controller: fc.option(controllerConfig),
  settings: fc.option(stackSettings),
});

/** A deterministic source of shuffles (mulberry32), so that a failing case can be replayed. */
export function shuffler(seed: number): <T>(items: readonly T[]) => T[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
}

/**
 * `tree` with the keys of every mapping in another order. Lists keep their order: each means
 * something, `inboundPorts` too (the operator's, and so the pod template's, port order).
 */
export function reordered(tree: Tree, shuffle: <T>(items: readonly T[]) => T[]): Tree {
  if (tree === null || typeof tree !== "object") return tree;
  if (Array.isArray(tree)) return tree.map((item) => reordered(item, shuffle));
  const out: Record<string, Tree> = {};
  for (const key of shuffle(Object.keys(tree))) {
    out[key] = reordered(tree[key], shuffle);
  }
  return out;
}

/** The stack as files: CRs split over files in order, the controller config, the config map. */
export function asInput(stack: StackTrees, style: DumpStyle, perFile: number): PipelineInput {
  const input: PipelineInput = { crs: [] };
  for (let i = 0; i < stack.crs.length; i += perFile) {
    const file = `crs/cr-${input.crs.length}.yaml`;
    input.crs.push({ file, text: toYaml(stack.crs.slice(i, i + perFile), style) });
  }
  if (stack.controller !== null) {
    input.controllerConfig = {
      file: "stacks/integration_controller_conf.yaml",
      text: toYaml(stack.controller, style),
    };
  }
  if (stack.settings !== null) input.config = configStrings(stack.settings);
  return input;
}

/**
 * The same stack written otherwise: CRs and ConfigMaps in another order, every mapping's keys
 * shuffled, CRs split over files another way, files in another order, another YAML style.
 */
export function rewritten(stack: StackTrees, style: DumpStyle, seed: number): PipelineInput {
  const shuffle = shuffler(seed);
  const again: StackTrees = {
    crs: shuffle(stack.crs).map((cr) => reordered(cr, shuffle)),
    controller: stack.controller && shuffle(stack.controller).map((d) => reordered(d, shuffle)),
    settings: stack.settings && reordered(stack.settings, shuffle),
  };
  const input = asInput(again, style, 1 + (seed % 3));
  input.crs = shuffle(input.crs);
  return input;
}
