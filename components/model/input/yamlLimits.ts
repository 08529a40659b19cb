/**
 * Bounds on YAML input, so that no file can take unbounded time or memory: its size, its number
 * of documents, and what its aliases expand to. js-yaml resolves an alias to the very node its
 * anchor names, so loading is cheap, but everything that walks the value afterwards (validation,
 * the builders, serialisation) walks every alias in full: nine anchors of nine aliases each (a
 * "billion laughs") make 387 million values out of 300 bytes, and an alias inside its own anchor
 * makes a value that never ends.
 */
import { childPath, itemPath } from "../rules";

/** The largest YAML file read: 5 MiB. */
export const MAX_YAML_BYTES = 5 * 1024 * 1024;
/** The most documents one YAML file may hold. */
export const MAX_YAML_DOCUMENTS = 1000;
/** The most values aliases may add to one file, counted as if each alias were written out. */
export const MAX_ALIASED_VALUES = 100_000;
/** The deepest nesting once aliases are expanded: js-yaml's own limit (`maxDepth`) for nesting as written. */
export const MAX_YAML_DEPTH = 100;

const MIB = 1024 * 1024;

/** What is said of a file of `bytes` bytes, more than {@link MAX_YAML_BYTES}: `6 MiB, over the limit of 5 MiB`. */
export function overSizeLimit(bytes: number): string {
  const size = Math.ceil((bytes / MIB) * 10) / 10;
  return `${size} MiB, over the limit of ${MAX_YAML_BYTES / MIB} MiB`;
}

/** Why a file of `bytes` bytes is not read, or undefined when it is small enough. */
export function yamlSizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_YAML_BYTES) return undefined;
  return (
    `the file is ${overSizeLimit(bytes)}; ` +
    "split it into several files (a folder of CR files is read whole)"
  );
}

/** Why a file holding more than {@link MAX_YAML_DOCUMENTS} documents is not read. */
export const TOO_MANY_DOCUMENTS =
  `the file holds more than ${MAX_YAML_DOCUMENTS} YAML documents; ` +
  "split it into several files (a folder of CR files is read whole)";

/** A document refused for its aliases: which one (0-based, among those given), where, and why. */
export interface AliasProblem {
  index: number;
  /** The field path of the alias that crossed the line. */
  path: string;
  message: string;
}

class Refused extends Error {}

/**
 * The first document of a file whose aliases are refused, where and why: an alias inside the
 * node it names (a cycle), nesting deeper than {@link MAX_YAML_DEPTH} once aliases are expanded,
 * or more than {@link MAX_ALIASED_VALUES} values added by aliases in the file so far. Undefined
 * when all are fine. Linear in the values as loaded: a node reached again is counted from its
 * known size.
 */
export function aliasProblem(documents: readonly unknown[]): AliasProblem | undefined {
  const known = new Map<object, { size: number; depth: number }>();
  const open = new Set<object>();
  const keys: (string | number)[] = [];
  let aliased = 0;
  const visit = (value: unknown): { size: number; depth: number } => {
    if (value === null || typeof value !== "object") return { size: 1, depth: 0 };
    if (open.has(value)) {
      throw new Refused(
        "YAML alias: it names a node that contains it, which would make the value endless; " +
          "write the value out instead",
      );
    }
    const seen = known.get(value);
    if (seen !== undefined) aliased += seen.size;
    if (aliased > MAX_ALIASED_VALUES) {
      throw new Refused(
        `YAML aliases: they expand this file by more than ${MAX_ALIASED_VALUES} values ` +
          '(a "billion laughs" alias bomb?); write the repeated parts out or alias less',
      );
    }
    if (keys.length + (seen?.depth ?? 0) > MAX_YAML_DEPTH) {
      throw new Refused(
        `YAML aliases: they nest values more than ${MAX_YAML_DEPTH} levels deep; ` +
          "write the repeated parts out or alias less",
      );
    }
    if (seen !== undefined) return seen;
    open.add(value);
    const here = { size: 1, depth: 0 };
    for (const [key, child] of Object.entries(value)) {
      keys.push(Array.isArray(value) ? Number(key) : key);
      const inner = visit(child);
      keys.pop();
      here.size += inner.size;
      here.depth = Math.max(here.depth, inner.depth + 1);
    }
    open.delete(value);
    known.set(value, here);
    return here;
  };
  for (const [index, document] of documents.entries()) {
    try {
      visit(document);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const path = keys.reduce<string>(
        (p, key) => (typeof key === "number" ? itemPath(p, key) : childPath(p, key)),
        "",
      );
      return { index, path, message: error.message };
    }
  }
  return undefined;
}
