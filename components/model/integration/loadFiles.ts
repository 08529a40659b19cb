/** Reading Integration CRs from the files and folders a stack names. */
import { quote } from "../rules";
import * as fs from "fs";
import * as path from "path";
import { readInputFile, unreadSource } from "../input/inputFile";
import { checkIntegration, type CheckedIntegration } from "./validate";
import type { Problems } from "../problems";
import type { IntegrationCR } from "../types";
import { parseYamlDocuments } from "../input/yaml";
import { compareStrings } from "../rules/order";

const YAML_FILE = /\.ya?ml$/i;

/** What to do instead of naming a CR folder that does not exist. */
const NO_FOLDER_HINT =
  "a stack with no integrations keeps an empty folder (a .gitkeep keeps it in git), " +
  "and a stack no longer wanted is removed with `pulumi destroy`";

/** A file or folder a stack names, as written, and where it leads once links are followed. */
interface Reached {
  /** As written (a folder's file: the folder as written, then the file's name). */
  file: string;
  /** The absolute path with every symbolic link followed: one per file, however it is named. */
  real: string;
}

/**
 * Why `absolute` leads to no file or folder, from the error of following it: a loop of symbolic
 * links, a link to nothing, a missing path, or one that cannot be read.
 */
function unreachable(error: unknown, absolute: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ELOOP") {
    return (
      "is a loop of symbolic links: following them leads back to them, never to a file or " +
      "folder; point the link at the CR file or folder"
    );
  }
  if (code === "ENOENT" || code === "ENOTDIR") {
    try {
      const target = fs.readlinkSync(absolute);
      return `is a symbolic link to ${quote(target)}, which does not exist`;
    } catch {
      // Never read as "no integrations": a typo in a folder's name must not delete them all.
      return YAML_FILE.test(absolute)
        ? "no such file or folder"
        : `no such file or folder; ${NO_FOLDER_HINT}`;
    }
  }
  return `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
}

/** Where `given` leads, following links; undefined (with an error naming it) when nowhere. */
function reach(given: string, absolute: string, problems: Problems): Reached | undefined {
  try {
    return { file: given, real: fs.realpathSync(absolute) };
  } catch (error) {
    problems.error({ file: given }, undefined, unreachable(error, absolute));
    return undefined;
  }
}

/**
 * The files `entry` stands for: itself, or every YAML file in a folder and its subfolders, sorted
 * by their path in it; each with its real path. A folder reached twice through links (a loop) is
 * read once. A folder with no YAML file (kept in git by a `.gitkeep`) holds no integration, with
 * a note: `pulumi up` then removes any integration deployed from it.
 */
function filesOf(entry: Reached, problems: Problems): Reached[] {
  if (!fs.statSync(entry.real).isDirectory()) return [entry];
  const files: Reached[] = [];
  const folders = new Set<string>();
  const walk = (folder: Reached): void => {
    if (folders.has(folder.real)) return;
    folders.add(folder.real);
    let names: string[];
    try {
      names = fs.readdirSync(folder.real).sort(compareStrings);
    } catch (error) {
      problems.error({ file: folder.file }, undefined, unreachable(error, folder.real));
      return;
    }
    for (const name of names) {
      const file = path.join(folder.file, name);
      const absolute = path.join(folder.real, name);
      if (isFolder(absolute)) {
        const reached = reach(file, absolute, problems);
        if (reached !== undefined) walk(reached);
      } else if (YAML_FILE.test(name)) {
        const reached = reach(file, absolute, problems);
        if (reached !== undefined) files.push(reached);
      }
    }
  };
  walk(entry);
  if (files.length === 0) {
    problems.note(
      { file: entry.file },
      undefined,
      "this folder holds no .yaml or .yml file, so the stack has no integration from it " +
        "(`pulumi up` removes any it deployed)",
    );
  }
  return files.sort((a, b) => compareStrings(a.file, b.file));
}

/** Whether `file` is a folder, following links; not when it cannot be looked at. */
function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Warns that the crs entries `first` and `second` both reach `file` (a file or folder), which
 * is read once: a slip in the list, harmless once the file is read once, so not an error.
 */
function readTwice(file: Reached, first: string, second: string, problems: Problems): void {
  const what = fs.statSync(file.real).isDirectory() ? "folder" : "file";
  const message =
    first === second
      ? "is named twice in crs; it is read once: remove one of the two"
      : `the crs entries ${quote(first)} and ${quote(second)} both reach ` +
        `this ${what}; it is read once: remove it from one of them`;
  problems.warning({ file: file.file }, undefined, message);
}

/**
 * The Integration CRs in `paths` (files or folders, relative to `baseDir` or absolute), in the
 * order given, a folder's files (its subfolders' too) sorted by their path in it. Each file is read once however often the paths
 * reach it (through a folder and by name, or through a link): again is a warning naming both
 * entries. Every problem goes to `problems`; a CR with errors is left out. Names are not checked
 * for duplicates here: namespaces are known only after defaults.
 */
export function loadIntegrationFiles(
  paths: string[],
  baseDir: string,
  problems: Problems,
  /** When given, every CR read, valid or not, in order (see `checkIntegration`). */
  checked?: CheckedIntegration[],
): IntegrationCR[] {
  const crs: IntegrationCR[] = [];
  /** The entry that first reached each real path, file or folder. */
  const readBy = new Map<string, string>();
  for (const given of paths) {
    const entry = reach(given, path.resolve(baseDir, given), problems);
    if (entry === undefined) continue;
    const earlier = readBy.get(entry.real);
    if (earlier !== undefined) {
      readTwice(entry, earlier, given, problems);
      continue;
    }
    readBy.set(entry.real, given);
    for (const file of filesOf(entry, problems)) {
      const first = file === entry ? undefined : readBy.get(file.real);
      if (first !== undefined) {
        readTwice(file, first, given, problems);
        continue;
      }
      readBy.set(file.real, given);
      for (const read of readCrFile(file, problems)) {
        checked?.push(read);
        if (read.valid) crs.push(read.cr);
      }
    }
  }
  return crs;
}

/** The Integration CRs of one file, valid or not, every problem reported. */
function readCrFile({ file, real }: Reached, problems: Problems): CheckedIntegration[] {
  const read = readInputFile(real);
  if (!("text" in read)) {
    problems.error(unreadSource(file, read), undefined, read.problem);
    return [];
  }
  const known = problems.list.length;
  const documents = parseYamlDocuments(read.text, file, problems);
  if (documents.length === 0 && problems.list.length === known) {
    // An emptied CR file would otherwise make `pulumi up` delete its integration unannounced.
    problems.warning(
      { file },
      undefined,
      "holds no YAML document, so no integration is read from it; remove the file or add its Integration CR",
    );
  }
  const crs: CheckedIntegration[] = [];
  for (const document of documents) {
    const checked = checkIntegration(document.value, document.source, problems);
    if (checked !== undefined) crs.push(checked);
  }
  return crs;
}
