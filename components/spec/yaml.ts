/** Reading YAML files: every document of a file, where each starts, and syntax errors with their line. */
import { YAMLException, loadAll } from "js-yaml";
import type { Problems, Source } from "./problems";

/** One non-empty YAML document of a file, and where it was found. */
export interface YamlDocument {
  /**
   * The file; `document` (1-based, counting non-empty documents) only when the file holds more
   * than one; `line` where the document's content starts.
   */
  source: Source;
  /** The document as js-yaml's default (safe) schema loads it. */
  value: unknown;
}

/**
 * The non-empty documents of `text`, read from `file` (the name used in messages). Malformed YAML
 * is one error with its line (`error: crs/x.yaml:7: YAML syntax: bad indentation of a mapping
 * entry`), and then nothing from the file is returned.
 */
export function parseYamlDocuments(text: string, file: string, problems: Problems): YamlDocument[] {
  const starts: number[] = [];
  let depth = 0;
  let values: unknown[];
  try {
    values = loadAll(text, undefined, {
      filename: file,
      listener(event, state) {
        if (event === "open") {
          if (depth === 0) starts.push(state.line + 1);
          depth++;
        } else {
          depth--;
        }
      },
    });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    problems.error({ file, line: error.mark.line + 1 }, undefined, `YAML syntax: ${error.reason}`);
    return [];
  }
  const documents = values
    .map((value, i) => ({ value, line: starts.length === values.length ? starts[i] : undefined }))
    .filter((d) => d.value !== null && d.value !== undefined);
  return documents.map(({ value, line }, i) => {
    const source: Source = { file };
    if (documents.length > 1) source.document = i + 1;
    if (line !== undefined) source.line = line;
    return { source, value };
  });
}
