/** Kubernetes objects as YAML: one multi-document stream, or one file per object in a folder. */
import * as fs from "node:fs";
import * as path from "node:path";
import { dump } from "js-yaml";
import { isDns1123Label, isDns1123Subdomain } from "../components/spec/rules";

/** The part of a Kubernetes object that names it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}

/** The file that marks a folder as render's output, so that a later render may replace it. */
export const OUT_MARKER = ".render-out";

const MARKER_TEXT =
  "This folder is the output of `npm run render -- --out`; " +
  "the next render replaces everything in it.\n";

/**
 * One object as a YAML document: keys sorted, no line folding, no anchors. Undefined fields are
 * dropped (the object is passed through JSON first, as Pulumi serialises inputs).
 */
export function objectYaml(object: Manifest): string {
  const plain: unknown = JSON.parse(JSON.stringify(object));
  return dump(plain, { sortKeys: true, lineWidth: -1, noRefs: true });
}

/** Every object as one multi-document YAML stream, in the given order, joined by `---`. */
export function renderYaml(objects: readonly Manifest[]): string {
  return objects.map(objectYaml).join("---\n");
}

/**
 * The path of an object's file inside the output folder: `<namespace>/<kind>-<name>.yaml`
 * (`_cluster/` without a namespace). Throws unless the kind is a word, the name a DNS-1123
 * subdomain and the namespace a DNS-1123 label, as Kubernetes requires: then no `/`, `..` or
 * absolute path can take the file outside the folder, whatever built the object.
 */
export function manifestPath(object: Manifest): string {
  const name = object.metadata?.name;
  if (name === undefined)
    throw new Error(`a ${object.kind} without metadata.name cannot be written`);
  const namespace = object.metadata?.namespace;
  if (
    !/^[A-Za-z][A-Za-z0-9]*$/.test(object.kind) ||
    !isDns1123Subdomain(name) ||
    (namespace !== undefined && !isDns1123Label(namespace))
  ) {
    const what = `${JSON.stringify(object.kind)} ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)}`;
    throw new Error(`${what} is not a Kubernetes object name, so it is not written to a file`);
  }
  return path.join(namespace ?? "_cluster", `${object.kind.toLowerCase()}-${name}.yaml`);
}

/**
 * Why render may not write into `dir`, or undefined when it may: the folder does not exist, is
 * empty, or holds the {@link OUT_MARKER} of an earlier render.
 */
export function outDirProblem(dir: string): string | undefined {
  let stat;
  try {
    stat = fs.statSync(dir);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return "exists and is not a folder; choose a folder for --out";
  const entries = fs.readdirSync(dir);
  if (entries.length === 0 || entries.includes(OUT_MARKER)) return undefined;
  return (
    `the folder is not empty and holds no ${OUT_MARKER} marker of an earlier render; ` +
    "choose an empty or new folder for --out (render replaces the folder's contents)"
  );
}

/**
 * Writes one file per object under `dir` (see {@link manifestPath}) and the {@link OUT_MARKER};
 * whatever an earlier render left there is removed first, so removed objects disappear. Throws
 * when {@link outDirProblem} refuses the folder: check it first to report a user mistake.
 */
export function writeOutDir(objects: readonly Manifest[], dir: string): string[] {
  const problem = outDirProblem(dir);
  if (problem !== undefined) throw new Error(`${dir}: ${problem}`);
  const files = new Map<string, string>();
  for (const object of objects) {
    const file = manifestPath(object);
    if (files.has(file)) throw new Error(`two objects would be written to ${file}`);
    files.set(file, objectYaml(object));
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) {
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(dir, OUT_MARKER), MARKER_TEXT);
  const written = [...files.keys()].sort();
  for (const file of written) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), files.get(file) ?? "");
  }
  return written;
}
