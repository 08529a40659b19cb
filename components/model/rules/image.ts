/**
 * Container image references, checked by the parser the registry client uses, so that every
 * `spec.image` that passes validation is read the same way when its digest is resolved.
 */
import { readImageReference } from "./imageReference";

/** What is wrong with `value` as an image reference (Docker's grammar), or undefined if nothing. */
export function imageReferenceProblem(value: string): string | undefined {
  return readImageReference(value).problem;
}
