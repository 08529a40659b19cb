/**
 * Reading YAML files: every document of a file, where each starts, the line of each field, and
 * syntax errors with their line.
 */
import { type State, YAMLException, loadAll } from "js-yaml";
import { type FieldLines, type Problems, type Source, fieldLine, withFieldLines } from "./problems";
import { childPath, isMapping, itemPath, parentPath } from "./rules";

/** One non-empty YAML document of a file, and where it was found. */
export interface YamlDocument {
  /**
   * The file; `document` (1-based, counting non-empty documents) only when the file holds more
   * than one; `line` where the document's content starts. The lines of the document's fields are
   * registered with it ({@link fieldLine}), so problems at a field name the field's line.
   */
  source: Source;
  /** The document as js-yaml's default (safe) schema loads it. */
  value: unknown;
}

/** A node js-yaml composed (a key, a value, an item, or an attempt that came to nothing). */
interface YamlNode {
  /** 1-based line where the node starts. */
  line: number;
  /** js-yaml's kind: "scalar", "mapping", "sequence", or null. */
  kind: string | null;
  /** What the node was loaded as. */
  result: unknown;
  /** Whether a `:` follows the node on its line: then it is a mapping key. */
  isKey: boolean;
  /** The nodes composed while this one was, in order. */
  children: YamlNode[];
}

/** Whether the next character after `position` on its line, spaces and tabs skipped, is `:`. */
function colonFollows(input: string, position: number): boolean {
  let i = position;
  while (input[i] === " " || input[i] === "\t") i++;
  return input[i] === ":";
}

/** Builds the tree of nodes from js-yaml's `open` and `close` events; `roots` are the documents. */
class NodeRecorder {
  readonly roots: YamlNode[] = [];
  private readonly open: YamlNode[] = [];

  /** js-yaml's `listener` option. */
  readonly listener = (event: "open" | "close", state: State): void => {
    if (event === "open") {
      this.open.push({
        line: state.line + 1,
        kind: null,
        result: null,
        isKey: false,
        children: [],
      });
      return;
    }
    const node = this.open.pop();
    if (node === undefined) return;
    node.kind = state.kind;
    node.result = state.result;
    node.isKey = colonFollows(state.input, state.position);
    const parent = this.open.at(-1);
    if (parent === undefined) this.roots.push(node);
    else parent.children.push(node);
  };
}

/**
 * The node that holds `node`'s content: js-yaml sometimes composes a value twice over, as an
 * attempted mapping key that turned out to be the whole value; then the inner node has the items.
 */
function contentOf(node: YamlNode): YamlNode {
  let current = node;
  while (current.children.length === 1) {
    const [inner] = current.children;
    if (inner.isKey || inner.result !== current.result || typeof inner.result !== "object") break;
    current = inner;
  }
  return current;
}

/** Records the line of every key and list item under `node`, whose path is `path`. */
function recordLines(node: YamlNode, path: string, lines: Map<string, number>): void {
  const content = contentOf(node);
  const { result, children } = content;
  if (content.kind === "mapping" && isMapping(result)) {
    children.forEach((child, i) => {
      const value = children[i + 1];
      if (!child.isKey || (typeof child.result === "object" && child.result !== null)) return;
      const key = String(child.result);
      if (!Object.hasOwn(result, key)) return; // e.g. the merge key `<<`
      const here = childPath(path, key);
      if (!lines.has(here)) lines.set(here, child.line);
      if (value !== undefined && !value.isKey) recordLines(value, here, lines);
    });
  } else if (content.kind === "sequence" && Array.isArray(result)) {
    // An empty item (`-` alone) composes no node: then items cannot be told apart.
    if (children.length !== result.length) return;
    children.forEach((child, i) => {
      const here = itemPath(path, i);
      lines.set(here, child.line);
      recordLines(child, here, lines);
    });
  }
}

/** The lookup of a document's field lines: the path's own line, else its nearest ancestor's. */
function documentLines(root: YamlNode | undefined): FieldLines {
  const lines = new Map<string, number>();
  if (root !== undefined) recordLines(root, "", lines);
  return (path) => {
    for (let p: string | undefined = path; p !== undefined && p !== ""; p = parentPath(p)) {
      const line = lines.get(p);
      if (line !== undefined) return line;
    }
    return undefined;
  };
}

/**
 * The lines of `source`'s fields under other names, for messages that name a field otherwise
 * than its path in the file: a path that is an alias or starts with one (`integration-config.data`
 * for `data`) is looked up with the alias replaced (the longest alias that fits); other paths are
 * looked up as they are.
 */
export function aliasedLines(source: Source, aliases: ReadonlyMap<string, string>): FieldLines {
  return (path) => {
    let best: [shown: string, inFile: string] | undefined;
    for (const [shown, inFile] of aliases) {
      const fits = path === shown || path.startsWith(`${shown}.`) || path.startsWith(`${shown}[`);
      if (fits && (best === undefined || shown.length > best[0].length)) best = [shown, inFile];
    }
    return fieldLine(source, best === undefined ? path : best[1] + path.slice(best[0].length));
  };
}

/**
 * The non-empty documents of `text`, read from `file` (the name used in messages). Malformed YAML
 * is one error with its line (`error: crs/x.yaml:7: YAML syntax: bad indentation of a mapping
 * entry`), and then nothing from the file is returned.
 */
export function parseYamlDocuments(text: string, file: string, problems: Problems): YamlDocument[] {
  const recorder = new NodeRecorder();
  let values: unknown[];
  try {
    values = loadAll(text, undefined, { filename: file, listener: recorder.listener });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    problems.error({ file, line: error.mark.line + 1 }, undefined, `YAML syntax: ${error.reason}`);
    return [];
  }
  const roots = recorder.roots.length === values.length ? recorder.roots : [];
  const documents = values
    .map((value, i) => ({ value, root: roots.at(i) }))
    .filter((d) => d.value !== null && d.value !== undefined);
  return documents.map(({ value, root }, i) => {
    const source: Source = { file };
    if (documents.length > 1) source.document = i + 1;
    if (root !== undefined) source.line = root.line;
    return { source: withFieldLines(source, documentLines(root)), value };
  });
}
