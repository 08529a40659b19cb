/** Reading Integration CRs from the files and folders a stack names. */
import * as fs from "fs";
import * as path from "path";
import { readInputFile } from "./inputFile";
import { validateIntegration } from "./integration";
import type { Problems } from "./problems";
import type { IntegrationCR } from "./types";
import { parseYamlDocuments } from "./yaml";

const YAML_FILE = /\.ya?ml$/i;

/** The files `given` stands for: itself, or a folder's YAML files (not recursive), sorted by name. */
function filesOf(given: string, baseDir: string, problems: Problems): string[] {
  const absolute = path.resolve(baseDir, given);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    problems.error({ file: given }, undefined, "no such file or folder");
    return [];
  }
  if (!stat.isDirectory()) return [given];
  const names = fs
    .readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => !entry.isDirectory() && YAML_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) {
    problems.error({ file: given }, undefined, "this folder holds no .yaml or .yml files");
  }
  return names.map((name) => path.join(given, name));
}

/**
 * The Integration CRs in `paths` (files or folders, relative to `baseDir` or absolute), in the
 * order given, folders' files sorted by name. Every problem goes to `problems`; a CR with errors is
 * left out. Names are not checked for duplicates here: namespaces are known only after defaults.
 */
export function loadIntegrationFiles(
  paths: string[],
  baseDir: string,
  problems: Problems,
): IntegrationCR[] {
  const crs: IntegrationCR[] = [];
  for (const given of paths) {
    for (const file of filesOf(given, baseDir, problems)) {
      const read = readInputFile(path.resolve(baseDir, file));
      if (!("text" in read)) {
        problems.error({ file }, undefined, read.problem);
        continue;
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
      for (const document of documents) {
        const cr = validateIntegration(document.value, document.source, problems);
        if (cr !== undefined) crs.push(cr);
      }
    }
  }
  return crs;
}
