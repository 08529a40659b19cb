/** Kubernetes objects as YAML: one multi-document stream, or one file per object in a folder. */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { dump, load } from "js-yaml";
import { readInputFile, unreadProblem } from "../../components/model/input/inputFile";
import { InputError } from "../../components/model/problems";
import { isDns1123Label, isDns1123Subdomain } from "../../components/model/rules";
import { maskConfigSecrets } from "../../components/model/rules/configSecrets";
import { configFileReferences } from "../../components/model/settings/configFiles";
import type { StackInput } from "./stackInput";

/** The part of a Kubernetes object that names it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}

/**
 * The file that marks a folder as render's output and lists the files render wrote there, one
 * a line, so that a later render replaces exactly those and nothing a person added beside them.
 */
export const OUT_MARKER = ".render-out";

/** The marker's first lines, before the list. */
const MARKER_HEADER =
  "# Written by `npm run render -- --out`. The files listed below are render's: the next render\n" +
  "# rewrites them and removes those it no longer writes. Nothing else here is ever touched.\n";

/** The marker of renders before it listed their files: its whole text. */
const LEGACY_MARKER_TEXT =
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
  const link = `a symbolic link to ${quoted(target)}, which does not exist`;
  return part === dir ? `is ${link}; ${CHOOSE}` : `is inside ${quoted(part)}, ${link}; ${CHOOSE}`;
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

/** A path quoted for a message, as every value: at most 60 characters of it. */
function quoted(text: string): string {
  return text.length <= 60
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, 60))}... (${text.length} characters)`;
}

/** A path render writes in an output folder: `<namespace or _cluster>/<kind>-<name>.yaml`. */
const RENDER_FILE =
  /^(?:_cluster|[a-z0-9]([-a-z0-9]*[a-z0-9])?)\/[a-z][a-z0-9]*-[a-z0-9]([-a-z0-9.]*[a-z0-9])?\.yaml$/;

/** What an output folder holds of render's: its own files, as the marker lists them. */
export interface OutFolder {
  /** Whether the folder exists. */
  exists: boolean;
  /** The files render wrote there (relative, `/`-separated), as its marker lists them. */
  own: string[];
}

/**
 * The files of the render output folder `dir` that render wrote, as its {@link OUT_MARKER}
 * lists them; or why `dir` is no folder render may write (a string). A folder that does not
 * exist yet, or is empty, holds none; one without a marker is refused unless `force` (then none
 * of its files is render's). A marker of an earlier version, which listed nothing, counts as
 * render's only the files whose path is the one render gives the object they hold.
 */
export function readOutFolder(dir: string, force = false): OutFolder | string {
  let stat;
  try {
    stat = fs.statSync(dir);
  } catch (error) {
    const problem = unreachable(dir, dir, (error as NodeJS.ErrnoException).code);
    return problem ?? { exists: false, own: [] };
  }
  if (!stat.isDirectory()) return `exists and is not a folder; ${CHOOSE}`;
  const entries = fs.readdirSync(dir);
  if (!entries.includes(OUT_MARKER)) {
    if (entries.length === 0 || force) return { exists: true, own: [] };
    return (
      `the folder is not empty and holds no ${OUT_MARKER} marker of an earlier render; choose ` +
      "an empty or new folder for --out, or give --force to write into it (render then " +
      "replaces only the files it writes, and removes nothing)"
    );
  }
  const marker = readInputFile(path.join(dir, OUT_MARKER));
  if (!("text" in marker))
    return `its ${OUT_MARKER} ${unreadProblem(marker, "marker").replace(/^marker /, "")}`;
  if (marker.text === LEGACY_MARKER_TEXT) return { exists: true, own: legacyOwnFiles(dir) };
  const own: string[] = [];
  const lines = marker.text.split("\n");
  for (const raw of lines) {
    // Only paths render writes: any other line (a comment, a hand-made `../x`) names nothing
    // render may replace or remove.
    const line = raw.trim();
    if (RENDER_FILE.test(line)) own.push(line);
  }
  return { exists: true, own: [...new Set(own)].sort() };
}

/**
 * The files of a folder an earlier render marked without listing them: those at
 * `<namespace>/<kind>-<name>.yaml` that hold one object render would write at that very path.
 */
function legacyOwnFiles(dir: string): string[] {
  const own: string[] = [];
  for (const folder of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const entry of fs.readdirSync(path.join(dir, folder.name), { withFileTypes: true })) {
      const relative = `${folder.name}/${entry.name}`;
      if (!entry.isFile() || !RENDER_FILE.test(relative)) continue;
      const read = readInputFile(path.join(dir, folder.name, entry.name));
      if (!("text" in read)) continue;
      try {
        const object = load(read.text) as Manifest;
        if (manifestPath(object).split(path.sep).join("/") === relative) own.push(relative);
      } catch {
        // Not one object render wrote: a person's file, kept.
      }
    }
  }
  return own.sort();
}

/**
 * Why render may not write into `dir`, or undefined when it may (see {@link readOutFolder}).
 */
export function outDirProblem(dir: string, force = false): string | undefined {
  const folder = readOutFolder(dir, force);
  return typeof folder === "string" ? folder : undefined;
}

/** What an fs error code means for an output, in a few words, code included. */
function writeReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOSPC: "the disk is full",
    EDQUOT: "the disk quota is used up",
    EFBIG: "the file would be larger than the system allows",
    EACCES: "permission denied",
    EPERM: "the operation is not permitted",
    EROFS: "the file system is read-only",
    ENAMETOOLONG: "a file name is too long",
    EISDIR: "a folder is in the way",
    ENOTDIR: "a file is in the way of a folder",
    ENOENT: "a folder on the way does not exist",
    ELOOP: "a loop of symbolic links is in the way",
    EIO: "the device reported an input/output error",
    EMFILE: "too many files are open",
  };
  if (code === undefined) return "an unexpected failure";
  return `${Object.hasOwn(reasons, code) ? reasons[code] : "the system refused"} (${code})`;
}

/** The output `what` (`--out`) at `shown` could not be written: a user-facing error, exit code 1. */
export function notWritten(shown: string, what: string, cause: unknown, after: string): InputError {
  return new InputError([
    {
      file: shown,
      severity: "error",
      message: `${what} could not be written: ${writeReason(cause)}; ${after}`,
    },
  ]);
}

/** An output refused before anything is written: a user-facing error, exit code 1. */
function refused(shown: string, message: string): InputError {
  return new InputError([{ file: shown, severity: "error", message }]);
}

/** The real paths of `files` that exist, to compare outputs with: a command's own inputs. */
export function realPaths(files: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    try {
      out.add(fs.realpathSync(file));
    } catch {
      // Missing: nothing to overwrite.
    }
  }
  return out;
}

/** How {@link writeOutDir} and {@link writeOutputFile} may write. */
export interface WriteOptions {
  /** Replace files that are not the command's own output (never its inputs). Default: false. */
  force?: boolean;
  /** The real paths of the files the command read (`realPaths`): never written, even with force. */
  inputs?: ReadonlySet<string>;
  /** How the output is named in messages. Default: the path given. */
  shown?: string;
}

/** The longest file name most file systems take, in bytes. */
const NAME_MAX = 255;

/**
 * A temporary file beside `file`, in the same folder (so the same file system), its name short
 * whatever `file`'s is.
 */
function tempBeside(file: string): string {
  return path.join(path.dirname(file), `.wso2-mi-${randomBytes(6).toString("hex")}.tmp`);
}

/** Removes `file` if it is there; a failure to (the name too long to exist) is no failure. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Never written.
  }
}

/** Whether `file` is one of `inputs` (compared by real path). */
function isInput(file: string, inputs: ReadonlySet<string> | undefined): boolean {
  if (inputs === undefined || inputs.size === 0) return false;
  try {
    return inputs.has(fs.realpathSync(file));
  } catch {
    return false;
  }
}

/**
 * Writes one file per object under `dir` (see {@link manifestPath}) and the {@link OUT_MARKER}
 * listing them. An earlier render's files (its marker's list) that are not written again are
 * removed, so removed objects disappear; every other file in the folder is kept as it was. A file
 * in the way that is not render's is refused (`force`: replaced), one of the command's `inputs`
 * always; so is a folder in the way that is a symbolic link (render writes only in real folders).
 * All or nothing: every file is written to a temporary file beside its place first, and only once
 * all are complete do they take their places; a failure (a full disk) leaves the folder as it was
 * and throws an `InputError` (exit code 1), as does a refusal. Throws a plain Error when an
 * object has no file name (a bug).
 */
export function writeOutDir(
  objects: readonly Manifest[],
  dir: string,
  options: WriteOptions = {},
): string[] {
  const shown = options.shown ?? dir;
  const folder = readOutFolder(dir, options.force);
  if (typeof folder === "string") throw refused(shown, folder);
  const files = new Map<string, string>();
  for (const object of objects) {
    const file = manifestPath(object).split(path.sep).join("/");
    if (files.has(file)) throw new Error(`two objects would be written to ${file}`);
    files.set(file, objectYaml(object));
  }
  const written = [...files.keys()].sort();
  const target = folder.exists ? fs.realpathSync(dir) : path.resolve(dir);
  const own = new Set(folder.own);
  const stale = folder.own.filter((file) => !files.has(file));
  for (const file of [...written, ...stale]) {
    const problem = inTheWay(target, file, own.has(file), options);
    if (problem !== undefined) throw refused(shown, problem);
  }
  const made: string[] = [];
  const temps = new Map<string, string>();
  const marker = path.join(target, OUT_MARKER);
  try {
    if (!folder.exists) mkdirs(target, made);
    for (const file of written) {
      const place = path.join(target, file);
      // The temporary file's name is short: a name too long for its place must fail here,
      // before any file takes its place, not when it is renamed.
      if (Buffer.byteLength(path.basename(place)) > NAME_MAX) {
        throw Object.assign(new Error("name too long"), { code: "ENAMETOOLONG" });
      }
      mkdirs(path.dirname(place), made);
      const temp = tempBeside(place);
      temps.set(file, temp);
      fs.writeFileSync(temp, files.get(file) ?? "", { flag: "wx" });
    }
    // First a marker that claims old and new alike, so that an interrupted render leaves no
    // file of its own unlisted; then the files take their places.
    writeMarker(marker, [...new Set([...folder.own, ...written])].sort());
  } catch (error) {
    for (const temp of temps.values()) removeQuietly(temp);
    for (const folder1 of made.reverse()) {
      try {
        fs.rmdirSync(folder1);
      } catch {
        // Not empty after all: kept.
      }
    }
    throw notWritten(shown, "--out", error, "the folder is left as it was");
  }
  try {
    for (const file of written) fs.renameSync(temps.get(file) ?? "", path.join(target, file));
    for (const file of stale) removeOwn(target, file);
    writeMarker(marker, written);
  } catch (error) {
    throw notWritten(shown, "--out", error, `run render again to complete ${OUT_MARKER}'s files`);
  }
  return written.map((file) => file.split("/").join(path.sep));
}

/**
 * Why render may not write (or, for an earlier render's file, remove) `file` in `target`:
 * a folder on its way that is a link or no folder, a file in its place that is not render's
 * (unless `force`), or one of the command's inputs. Undefined when it may.
 */
function inTheWay(
  target: string,
  file: string,
  own: boolean,
  options: WriteOptions,
): string | undefined {
  const parts = file.split("/");
  for (let i = 1; i < parts.length; i++) {
    const part = path.join(target, ...parts.slice(0, i));
    let stat;
    try {
      stat = fs.lstatSync(part);
    } catch {
      return undefined; // render makes the folder, or fails to and says why
    }
    const named = quoted(parts.slice(0, i).join("/"));
    if (stat.isSymbolicLink()) {
      return `${named} in it is a symbolic link; render writes only in folders of its own: remove the link or choose another folder for --out`;
    }
    if (!stat.isDirectory()) {
      return `${named} in it is not a folder; remove it or choose another folder for --out`;
    }
  }
  const place = path.join(target, file);
  let stat;
  try {
    stat = fs.lstatSync(place);
  } catch {
    return undefined;
  }
  if (isInput(place, options.inputs)) {
    return `${quoted(file)} in it is one of render's inputs (a CR, the controller config or the stack file); render never writes over its input: choose another folder for --out`;
  }
  if (stat.isDirectory()) {
    return `${quoted(file)} in it is a folder; render would write a file there: remove it or choose another folder for --out`;
  }
  if (own || options.force === true) return undefined;
  return (
    `${quoted(file)} in it was not written by render (its ${OUT_MARKER} does not list it); ` +
    "move it away, or give --force to replace it"
  );
}

/** Makes `dir` and the folders above it that are missing, recording those it made. */
function mkdirs(dir: string, made: string[]): void {
  if (fs.existsSync(dir)) return;
  mkdirs(path.dirname(dir), made);
  fs.mkdirSync(dir);
  made.push(dir);
}

/** Writes the marker listing `files`, through a temporary file: never half written. */
function writeMarker(marker: string, files: readonly string[]): void {
  const temp = tempBeside(marker);
  try {
    fs.writeFileSync(temp, `${MARKER_HEADER}${files.map((f) => `${f}\n`).join("")}`, {
      flag: "wx",
    });
    fs.renameSync(temp, marker);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
}

/** Removes an earlier render's `file` from `target`, and its folder when that is left empty. */
function removeOwn(target: string, file: string): void {
  const place = path.join(target, file);
  try {
    if (!fs.lstatSync(place).isDirectory()) fs.unlinkSync(place);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const folder = path.dirname(place);
  try {
    if (folder !== target && fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
  } catch {
    // Not empty, or gone: kept as it is.
  }
}

/**
 * Writes `text` to the file `out` (a command's `--out`), all or nothing: to a temporary file
 * beside it, which replaces it only once complete. Refused with an `InputError` (exit code 1),
 * nothing written: a folder, a device or pipe, a link to nothing, a missing folder, one of the
 * command's `inputs` (even with `force`), and an existing file `isOwn` does not recognise as the
 * command's earlier output (unless `force`). A failure while writing (a full disk) is an
 * `InputError` too, the earlier file left as it was.
 */
export function writeOutputFile(
  out: string,
  text: string,
  isOwn: (earlier: string) => boolean,
  options: WriteOptions = {},
): void {
  const shown = options.shown ?? out;
  const problem = outputFileProblem(out, isOwn, options);
  if (problem !== undefined) throw refused(shown, problem);
  let target = out;
  try {
    target = fs.realpathSync(out);
  } catch {
    // Does not exist yet: written where named.
  }
  const temp = tempBeside(target);
  try {
    let mode: number | undefined;
    try {
      mode = fs.statSync(target).mode & 0o7777;
    } catch {
      mode = undefined;
    }
    fs.writeFileSync(temp, text, { flag: "wx", ...(mode === undefined ? {} : { mode }) });
    fs.renameSync(temp, target);
  } catch (error) {
    removeQuietly(temp);
    throw notWritten(shown, "--out", error, "nothing was written");
  }
}

/** Why the command may not write the file `out`, or undefined when it may. */
function outputFileProblem(
  out: string,
  isOwn: (earlier: string) => boolean,
  options: WriteOptions,
): string | undefined {
  let link;
  try {
    link = fs.lstatSync(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return "is inside a file, not a folder; name a file in a folder";
    if (code === "ELOOP") return "passes through a loop of symbolic links; name another file";
    const dir = path.dirname(out);
    if (code === "ENOENT") {
      try {
        return fs.statSync(dir).isDirectory() ? undefined : `no such folder: ${quoted(dir)}`;
      } catch {
        return `no such folder: ${quoted(dir)}`;
      }
    }
    return `cannot be read (${code ?? "unknown error"}); name another file`;
  }
  let stat;
  try {
    stat = fs.statSync(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (link.isSymbolicLink() && code === "ENOENT") {
      return `is a symbolic link to ${quoted(fs.readlinkSync(out))}, which does not exist; name a file`;
    }
    if (code === "ELOOP") return "is a loop of symbolic links; name a file";
    return `cannot be read (${code ?? "unknown error"}); name another file`;
  }
  if (stat.isDirectory()) return "is a folder; name the file to write";
  if (!stat.isFile()) return "is a device, a pipe or a socket, not a file; name a file to write";
  if (isInput(out, options.inputs)) {
    return "is one of this command's inputs (the stack file, a CR, the controller config); it is never written over: name another file";
  }
  if (options.force === true || stat.size === 0) return undefined;
  const earlier = readInputFile(out);
  if ("text" in earlier && isOwn(earlier.text)) return undefined;
  return "exists and is not this command's earlier output; name another file, or give --force to replace it";
}

/**
 * The files a command read to load `input` from the project in `baseDir`: `Pulumi.yaml`, the
 * stack file, the controller config, every CR file (a folder's YAML files) and the config files
 * the stack mounts (`configFiles`), as paths; with `extra` files (a Docker config). What `realPaths` makes of them is what no output may replace.
 */
export function stackInputFiles(
  baseDir: string,
  input: StackInput,
  extra: string[] = [],
): string[] {
  const files = [
    path.join(baseDir, "Pulumi.yaml"),
    path.join(baseDir, input.project.stackConfigDir, `Pulumi.${input.settings.stack}.yaml`),
    ...extra,
  ];
  const { controllerConfig, crs } = input.settings;
  if (controllerConfig !== undefined) files.push(path.resolve(baseDir, controllerConfig));
  for (const entry of crs) {
    const absolute = path.resolve(baseDir, entry);
    try {
      if (fs.statSync(absolute).isDirectory()) {
        for (const name of fs.readdirSync(absolute)) files.push(path.join(absolute, name));
      } else files.push(absolute);
    } catch {
      // Read by nothing then.
    }
  }
  for (const { file } of configFileReferences(input.settings)) {
    files.push(path.resolve(baseDir, file));
  }
  return files;
}

/**
 * Makes a failure to write the process's stdout (`render > /dev/full`, a full disk) one line on
 * stderr and exit code 1 instead of a stack trace; a reader that went away (`| head`) ends the
 * command quietly.
 */
export function guardStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(`error: stdout could not be written: ${writeReason(error)}\n`);
    process.exit(1);
  });
}
