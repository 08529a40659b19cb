/**
 * Whole fuzz cases: CR files, a controller config and stack settings, each generated, mutated as
 * asked, written as YAML (or the config map) and mutated again as text; and the check that a
 * case ends in objects or in located problems.
 */
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import {
  type TextMutation,
  type Tree,
  type TreeMutation,
  controllerConfig,
  dumpStyle,
  integrationCrOf,
  mutateText,
  mutateTree,
  textMutation,
  toYaml,
  treeMutation,
  withDistinctNames,
} from "./arbitraries";
import { type InputsSeen, inputsViolations } from "./pulumiInputs";
import { maskedIn } from "./masked";
import {
  type MaskedPlace,
  type PipelineInput,
  type PipelineOutcome,
  runPipeline,
  violations,
} from "./pipeline";
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

/** A case, and how many of its CR and controller config files the mutations changed. */
export interface MutatedCase {
  input: PipelineInput;
  /** Files whose text differs from the text of their trees before any mutation. */
  mutatedFiles: number;
}

/**
 * A case: one or two CR files of one or two CRs (and now and then an empty document), some env
 * values and probe headers planted under names that look secret, mutated as `max` says.
 */
export function mutatedCase(max: Mutations): fc.Arbitrary<MutatedCase> {
  const cr = integrationCrOf((max.crs ?? 0) > 0 || (max.text ?? 0) > 0);
  const crFile = fc.record({
    documents: fc.array(fc.tuple(cr, mutations(max.crs ?? 0)), {
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
    .map(({ crs: generated, controller, stack }) => {
      // Distinct names across every file: one of a name in two namespaces is an error.
      const named = withDistinctNames(generated.flatMap((f) => f.documents.map(([cr]) => cr)));
      let next = 0;
      const crs = generated.map((f) => ({
        ...f,
        documents: f.documents.map(([, changes]) => [named[next++], changes] as const),
      }));
      let mutatedFiles = 0;
      const maskedValues: string[] = [];
      const maskedPlaces: MaskedPlace[] = [];
      const input: PipelineInput = {
        crs: crs.map((f, i) => {
          const file = `crs/cr-${i}.yaml`;
          const sources = f.documents.map(([cr]) => cr);
          const trees = f.documents.map(([cr, changes]) => mutateTree(cr, changes));
          const yaml = toYaml(trees, f.style) + (f.empty === null ? "" : `---\n${f.empty}`);
          const text = mutateText(yaml, f.text);
          const mutated = text !== yaml || changed(trees, sources);
          if (mutated) mutatedFiles++;
          const masked = maskedIn(
            file,
            sources,
            mutated ? { text, trees: text === yaml ? trees : undefined } : undefined,
          );
          maskedValues.push(...masked.values);
          maskedPlaces.push(...masked.places);
          return { file, text };
        }),
      };
      if (maskedValues.length > 0) input.maskedValues = maskedValues;
      if (maskedPlaces.length > 0) input.maskedPlaces = maskedPlaces;
      if (controller !== null) {
        const trees = controller.documents.map((d: Tree) => mutateTree(d, controller.mutations));
        const yaml = toYaml(trees, controller.style);
        const text = mutateText(yaml, controller.text);
        if (text !== yaml || changed(trees, controller.documents)) mutatedFiles++;
        input.controllerConfig = { file: "stacks/integration_controller_conf.yaml", text };
      }
      if (stack !== null) Object.assign(input, stack);
      return { input, mutatedFiles };
    });
}

/**
 * Whether mutations made `trees` differ from `sources` (compared as copies: fast-check's records
 * have another prototype than copies of them).
 */
function changed(trees: readonly Tree[], sources: readonly Tree[]): boolean {
  return !isDeepStrictEqual(trees, structuredClone(sources));
}

/** {@link mutatedCase}'s input alone. */
export function pipelineCase(max: Mutations): fc.Arbitrary<PipelineInput> {
  return mutatedCase(max).map((c) => c.input);
}

/**
 * Runs the case and returns its outcome; throws, listing every broken rule, unless it ends in
 * objects or in located problems.
 */
export function checkCase(input: PipelineInput): PipelineOutcome {
  const outcome = runPipeline(input, true);
  const broken = violations(input, outcome);
  if (broken.length > 0) throw new Error(broken.join("\n"));
  return outcome;
}

/**
 * Resolves the Deployments' resource inputs of `outcome` (checkCase's) and throws, listing every
 * broken rule, unless each resolves to its built object with exactly the secrets and digest
 * Outputs it must have; counts what it saw into `seen`.
 */
export async function checkInputs(outcome: PipelineOutcome, seen: InputsSeen): Promise<void> {
  for (const c of outcome.inputs ?? []) {
    const broken = await inputsViolations(c, seen);
    if (broken.length > 0) throw new Error(broken.join("\n"));
  }
}
