/**
 * The project file (`Pulumi.yaml`): reading it, and its `config:` section as the Pulumi CLI
 * applies it to a stack: for every key the stack file does not set, the declared `default` (keys
 * of the project) or `value` (keys of other namespaces) is added to the stack's config.
 */
import * as path from "path";
import { readInputFile, unreadProblem, unreadSource } from "../input/inputFile";
import { type Problems, fieldLine, withFieldLines } from "../problems";
import { isMapping } from "../rules";
import { goJson } from "./stackFile";
import { parseYamlDocuments, type YamlDocument } from "../input/yaml";

/** The project file, in the project folder. */
export const PROJECT_FILE = "Pulumi.yaml";

const ONE_DOCUMENT =
  "a Pulumi project file holds one YAML document; remove the `---` and what follows";

/**
 * The document of `Pulumi.yaml` in `baseDir` (`value` undefined when the file is empty), read as
 * every input file is (`readInputFile`: within the size limit, never from a device or a pipe)
 * and parsed as CR files are (`parseYamlDocuments`: YAML's core schema, the alias, depth and
 * document limits). Undefined after one error naming the file; a missing file says to run from
 * the project's folder.
 */
export function readProjectDocument(baseDir: string, problems: Problems): YamlDocument | undefined {
  const source = { file: PROJECT_FILE };
  const read = readInputFile(path.join(baseDir, PROJECT_FILE));
  if (!("text" in read)) {
    problems.error(
      unreadSource(PROJECT_FILE, read),
      undefined,
      read.reason === "missing"
        ? `no Pulumi project in ${baseDir}; run from the project's directory (the one with ${PROJECT_FILE})`
        : unreadProblem(read, "the Pulumi project file"),
    );
    return undefined;
  }
  const known = problems.list.length;
  const documents = parseYamlDocuments(read.text, PROJECT_FILE, problems, ONE_DOCUMENT);
  if (documents.length > 1) {
    problems.error(documents[1].source, undefined, ONE_DOCUMENT);
    return undefined;
  }
  if (problems.list.length > known) return undefined;
  const document = documents.at(0);
  if (document === undefined) return { source, value: undefined };
  // As in a stack file: a field is named at its line, a missing one without a line.
  const lines = (at: string): number | undefined => fieldLine(document.source, at);
  return { source: withFieldLines(source, lines), value: document.value };
}

/** `project:key` for a key as the project file writes it (a bare key is the project's). */
function qualified(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** A value as the Pulumi CLI hands it to the program: scalars as text, the rest as JSON. */
function configText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return goJson(value);
}

/**
 * The config values `section` (the project file's `config:`) adds to a stack that does not set
 * them, keyed `namespace:key`: a declaration's `default` or `value`, or a shorthand scalar or list.
 * Declarations without either (required keys) add nothing.
 */
export function projectConfigValues(section: unknown, project: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMapping(section)) return out;
  for (const [key, declaration] of Object.entries(section)) {
    const value = isMapping(declaration) ? (declaration.default ?? declaration.value) : declaration;
    if (value === undefined || value === null) continue;
    out[qualified(key, project)] = configText(value);
  }
  return out;
}
