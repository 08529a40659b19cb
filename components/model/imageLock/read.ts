/**
 * A stack's image lock, `stacks/<stack>.images.lock.yaml` beside `stacks/Pulumi.<stack>.yaml`:
 * read through the bounded input reader and the YAML reader every input goes through, then
 * checked field by field (every problem at once, with its line).
 *
 * ```yaml
 * images:
 *   "registry.example.com/integrations/orders-api:2.4.1":
 *     tag: "2.4.1"
 *     digest: "sha256:..."
 *     registry: "registry.example.com"
 *     changed: "2026-11-02T08:00:00Z"
 * ```
 */
import * as path from "path";
import { readInputFile, unreadProblem } from "../input/inputFile";
import { parseYamlDocuments } from "../input/yaml";
import type { Problems } from "../problems";
import {
  type At,
  checkFields,
  checkRequired,
  checkString,
  childAt,
  describeValue,
  isMapping,
  report,
} from "../rules";
import { isValidDigest, readImageReference } from "../rules/imageReference";
import type { ImageLock, LockedImage, StackSettings } from "../types";

/** The fields of one image of a lock, in the order they are written. */
export const LOCKED_IMAGE_FIELDS = ["tag", "digest", "registry", "changed"] as const;

/** What a lock of more than one document is told. */
const ONE_DOCUMENT = "an image lock holds one YAML document; remove the `---` and what follows";

/** The lock's top-level keys. */
const LOCK_KEYS = ["images"] as const;

/** A `changed` timestamp: ISO 8601, UTC, whole seconds. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The file name of stack `stack`'s image lock. */
export function imageLockName(stack: string): string {
  return `${stack}.images.lock.yaml`;
}

/**
 * The image lock of the stack `settings` were read for, relative to the project: beside its
 * stack file (`stacks/Pulumi.<stack>.yaml` -> `stacks/<stack>.images.lock.yaml`). Undefined when
 * the settings come from no stack file (render's flags alone).
 */
export function imageLockFile(settings: StackSettings): string | undefined {
  const file = settings.source.file;
  if (path.posix.basename(file) !== `Pulumi.${settings.stack}.yaml`) return undefined;
  return path.posix.join(path.posix.dirname(file), imageLockName(settings.stack));
}

/**
 * The lock `file` (relative to `baseDir`), checked; undefined when there is none (a stack without
 * a lock resolves its tags at every preview) or when it has errors, which go to `problems`.
 */
export function readImageLock(
  baseDir: string,
  file: string,
  problems: Problems,
): ImageLock | undefined {
  const read = readInputFile(path.resolve(baseDir, file));
  if (!("text" in read)) {
    if (read.reason !== "missing") {
      problems.error({ file }, undefined, unreadProblem(read, "the image lock"));
    }
    return undefined;
  }
  return parseImageLock(read.text, file, problems);
}

/** The lock in `text` (read from `file`), checked; undefined (problems reported) when invalid. */
export function parseImageLock(
  text: string,
  file: string,
  problems: Problems,
): ImageLock | undefined {
  const before = problems.errorCount;
  const documents = parseYamlDocuments(text, file, problems, ONE_DOCUMENT);
  if (documents.length > 1) {
    problems.error({ file }, undefined, ONE_DOCUMENT);
    return undefined;
  }
  const source = documents[0]?.source ?? { file };
  const lock: ImageLock = { file, images: {}, source };
  if (documents.length === 0) return problems.errorCount > before ? undefined : lock;
  const at: At = { source, path: "", problems };
  const fields = checkFields(documents[0].value, at, LOCK_KEYS);
  const images = fields?.images;
  if (images !== undefined && images !== null && !isMapping(images)) {
    report(
      childAt(at, "images"),
      `expected a mapping of image to its lock, got ${describeValue(images)}`,
    );
  } else if (isMapping(images)) {
    for (const [reference, value] of Object.entries(images)) {
      const locked = checkLockedImage(reference, value, childAt(childAt(at, "images"), reference));
      if (locked !== undefined) lock.images[reference] = locked;
    }
  }
  return problems.errorCount > before ? undefined : lock;
}

/** One image's entry: a reference by tag, and its four fields, consistent with it. */
function checkLockedImage(reference: string, value: unknown, at: At): LockedImage | undefined {
  const reading = readImageReference(reference);
  if (reading.problem !== undefined) {
    report(at, `is not an image reference: ${reading.problem}`);
    return undefined;
  }
  if (reading.reference.digest !== undefined) {
    report(at, "is pinned by digest already, so it needs no lock; remove it");
    return undefined;
  }
  const fields = checkFields(value, at, LOCKED_IMAGE_FIELDS);
  if (fields === undefined || !checkRequired(fields, at, LOCKED_IMAGE_FIELDS)) return undefined;
  const [tag, digest, registry, changed] = LOCKED_IMAGE_FIELDS.map((key) =>
    checkString(fields[key], childAt(at, key)),
  );
  let ok = tag !== undefined && digest !== undefined && registry !== undefined;
  const { reference: ref } = reading;
  if (tag !== undefined) {
    const problem = readImageReference(`${ref.registry}/${ref.repository}:${tag}`).problem;
    if (problem !== undefined) {
      report(childAt(at, "tag"), problem);
      ok = false;
    }
  }
  if (digest !== undefined && !isValidDigest(digest)) {
    report(
      childAt(at, "digest"),
      `expected "sha256:" and 64 lower-case hex digits, got ${JSON.stringify(digest)}`,
    );
    ok = false;
  }
  if (registry !== undefined && registry !== ref.registry) {
    report(
      childAt(at, "registry"),
      `is ${JSON.stringify(registry)}, but the image is on ${JSON.stringify(ref.registry)}; ` +
        "rewrite the lock with `npm run images -- --update`",
    );
    ok = false;
  }
  if (changed !== undefined && !(TIMESTAMP.test(changed) && !Number.isNaN(Date.parse(changed)))) {
    report(
      childAt(at, "changed"),
      `expected a UTC time like "2026-01-31T09:00:00Z", got ${JSON.stringify(changed)}`,
    );
    ok = false;
  }
  if (!ok || tag === undefined || digest === undefined || registry === undefined) return undefined;
  if (changed === undefined) return undefined;
  return { tag, digest, registry, changed };
}
