/** Kubernetes objects as YAML: one multi-document stream, or one file per object in a folder. */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { dump } from "js-yaml";
import { InputError } from "../../components/model/problems";
import { isDns1123Label, isDns1123Subdomain } from "../../components/model/rules";
import { maskConfigSecrets } from "../../components/model/rules/configSecrets";

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

/**
 * `object`, with the secret-looking values of a ConfigMap's files (`maskConfigSecrets`) shown as
 * `[secret]`: render and plan print them so; `pulumi up` applies the real files, holding those
 * files as Pulumi secrets. Other objects are returned as they are.
 */
export function withConfigSecretsMasked<T extends Manifest>(object: T): T {
  const data = (object as { data?: Record<string, string> }).data;
  if (object.kind !== "ConfigMap" || data === undefined) return object;
  const masked: Record<string, string> = {};
  for (const [key, text] of Object.entries(data)) masked[key] = maskConfigSecrets(text);
  return { ...object, data: masked };
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

const CHOOSE = "choose a folder for --out";

/**
 * Why `dir` (the folder asked for, or `part` of its path) leads to no folder, from the error
 * `code` of following `part`; undefined when it merely does not exist yet (render creates it).
 */
function unreachable(dir: string, part: string, code: string | undefined): string | undefined {
  if (code === "ELOOP") return `is or passes through a loop of symbolic links; ${CHOOSE}`;
  if (code === "ENOTDIR") return `is inside a file, not a folder; ${CHOOSE}`;
  if (code !== "ENOENT") return `cannot be read (${code ?? "unknown error"}); ${CHOOSE}`;
  let target: string;
  try {
    target = fs.readlinkSync(part);
  } catch {
    const parent = path.dirname(part);
    return parent === part ? undefined : parentProblem(dir, parent);
  }
  const link = `a symbolic link to ${JSON.stringify(target)}, which does not exist`;
  return part === dir
    ? `is ${link}; ${CHOOSE}`
    : `is inside ${JSON.stringify(part)}, ${link}; ${CHOOSE}`;
}

/** Why render cannot make `dir` inside `parent`, a part of its path; undefined when it can. */
function parentProblem(dir: string, parent: string): string | undefined {
  try {
    return fs.statSync(parent).isDirectory()
      ? undefined
      : `is inside a file, not a folder; ${CHOOSE}`;
  } catch (error) {
    return unreachable(dir, parent, (error as NodeJS.ErrnoException).code);
  }
}

/**
 * Why render may not write into `dir`, or undefined when it may: the folder does not exist (and
 * can be made: no part of its path is a file, a link to nothing or a loop of links), is empty, or
 * holds the {@link OUT_MARKER} of an earlier render.
 */
export function outDirProblem(dir: string): string | undefined {
  let stat;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    return unreachable(dir, dir, (error as NodeJS.ErrnoException).code);
  }
  if (!stat.isDirectory()) return `exists and is not a folder; ${CHOOSE}`;
  const entries = fs.readdirSync(dir);
  if (entries.length === 0 || entries.includes(OUT_MARKER)) return undefined;
  return (
    `the folder is not empty and holds no ${OUT_MARKER} marker of an earlier render; ` +
    "choose an empty or new folder for --out (render replaces the folder's contents)"
  );
}

/** The file system refused to write the output in `dir`: a user-facing error (exit code 1). */
function notWritten(dir: string, cause: unknown): InputError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new InputError([
    {
      file: dir,
      severity: "error",
      message: `--out could not be written (${reason}); the folder is left as it was`,
    },
  ]);
}

/**
 * Writes one file per object under `dir` (see {@link manifestPath}) and the {@link OUT_MARKER},
 * replacing whatever an earlier render left there, so removed objects disappear. All or nothing:
 * the files go to a new folder beside `dir` (same parent, so same file system), which replaces
 * `dir` by renaming only once every file is written; when `dir` is a link to a folder, the folder
 * it links to is replaced. Throws an `InputError` when the file system refuses (a full disk):
 * `dir` is as it was and no new folder is left. Throws a plain Error when {@link outDirProblem}
 * refuses the folder (check it first to report a user mistake) or an object has no file name.
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
  const written = [...files.keys()].sort();
  const existing = fs.existsSync(dir) ? fs.realpathSync(dir) : undefined;
  const target = existing ?? path.resolve(dir);
  let fresh: string | undefined;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fresh = path.join(
      path.dirname(target),
      `.${path.basename(target)}.render-${randomBytes(6).toString("hex")}`,
    );
    fs.mkdirSync(fresh);
    if (existing !== undefined) fs.chmodSync(fresh, fs.statSync(existing).mode & 0o7777);
    fs.writeFileSync(path.join(fresh, OUT_MARKER), MARKER_TEXT);
    for (const file of written) {
      fs.mkdirSync(path.join(fresh, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(fresh, file), files.get(file) ?? "");
    }
    swapIn(fresh, target, existing !== undefined);
  } catch (error) {
    if (fresh !== undefined) fs.rmSync(fresh, { recursive: true, force: true });
    throw notWritten(dir, error);
  }
  return written;
}

/**
 * Puts the complete folder `fresh` at `target`. An existing `target` is first moved aside (a
 * folder cannot be renamed over a non-empty one) and removed only once `fresh` is in place; it
 * is moved back if that fails.
 */
function swapIn(fresh: string, target: string, exists: boolean): void {
  if (!exists) {
    fs.renameSync(fresh, target);
    return;
  }
  const old = `${fresh}-old`;
  fs.renameSync(target, old);
  try {
    fs.renameSync(fresh, target);
  } catch (error) {
    fs.renameSync(old, target);
    throw error;
  }
  fs.rmSync(old, { recursive: true, force: true });
}
