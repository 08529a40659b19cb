/**
 * Whole fuzz cases: CR files, a controller config and stack settings, each generated, mutated as
 * asked, written as YAML (or the config map) and mutated again as text; and the check that a
 * case ends in objects or in located problems.
 */
import fc from "fast-check";
import {
  type TextMutation,
  type Tree,
  type TreeMutation,
  controllerConfig,
  dumpStyle,
  integrationCr,
  mutateText,
  mutateTree,
  textMutation,
  toYaml,
  treeMutation,
} from "./arbitraries";
import { type PipelineInput, type PipelineOutcome, runPipeline, violations } from "./pipeline";
import { stackInput } from "./stackArbitraries";

/** How many mutations of each kind a case may get (each from 0 up to the number). */
export interface Mutations {
  /** Of each CR document's tree. */
  crs?: number;
  /** Of the controller config's documents and of the stack settings (values, keys, credentials). */
  config?: number;
  /** Of each file's YAML text (the stack file's too). */
  text?: number;
  /** Whether half the stack settings come as a stack file rather than a config map. Default: true. */
  stackFiles?: boolean;
}

/** A document that holds nothing: empty, a comment, an explicit null. */
const emptyDocument = fc.constantFrom("", "# nothing here\n", "~\n", "null\n", "---\n");

const mutations = (max: number): fc.Arbitrary<TreeMutation[]> =>
  fc.array(treeMutation, { maxLength: max });
const textMutations = (max: number): fc.Arbitrary<TextMutation[]> =>
  fc.array(textMutation, { maxLength: max });

/** A case: one or two CR files of one or two CRs (and now and then an empty document). */
export function pipelineCase(max: Mutations): fc.Arbitrary<PipelineInput> {
  const crFile = fc.record({
    documents: fc.array(fc.tuple(integrationCr, mutations(max.crs ?? 0)), {
      minLength: 1,
      maxLength: 2,
    }),
    empty: fc.option(emptyDocument, { freq: 8 }),
    style: dumpStyle,
    text: textMutations(max.text ?? 0),
  });
  return fc
    .record({
      crs: fc.array(crFile, { minLength: 1, maxLength: 2 }),
      controller: fc.option(
        fc.record({
          documents: controllerConfig,
          mutations: mutations(max.config ?? 0),
          style: dumpStyle,
          text: textMutations(max.text ?? 0),
        }),
      ),
      stack: fc.option(stackInput({ tree: max.config, text: max.text, files: max.stackFiles })),
    })
    .map(({ crs, controller, stack }) => {
      const input: PipelineInput = {
        crs: crs.map((f, i) => {
          const trees = f.documents.map(([cr, changes]) => mutateTree(cr, changes));
          const yaml = toYaml(trees, f.style) + (f.empty === null ? "" : `---\n${f.empty}`);
          return { file: `crs/cr-${i}.yaml`, text: mutateText(yaml, f.text) };
        }),
      };
      if (controller !== null) {
        const trees = controller.documents.map((d: Tree) => mutateTree(d, controller.mutations));
        input.controllerConfig = {
          file: "stacks/integration_controller_conf.yaml",
          text: mutateText(toYaml(trees, controller.style), controller.text),
        };
      }
      if (stack !== null) Object.assign(input, stack);
      return input;
    });
}

/**
 * Runs the case and returns its outcome; throws, listing every broken rule, unless it ends in
 * objects or in located problems.
 */
export function checkCase(input: PipelineInput): PipelineOutcome {
  const outcome = runPipeline(input);
  const broken = violations(input, outcome);
  if (broken.length > 0) throw new Error(broken.join("\n"));
  return outcome;
}
