/**
 * Reading YAML files: every document of a file, where each starts, the line of each field, and
 * syntax errors with their line.
 */
import { CORE_SCHEMA, type State, Type, YAMLException, loadAll } from "js-yaml";
import {
  type FieldLines,
  type Problems,
  type Source,
  fieldLine,
  withFieldLines,
} from "../problems";
import { childPath, isMapping, itemPath, parentPath } from "../rules";
import { withoutByteOrderMarks } from "./inputFile";
import {
  MAX_YAML_DOCUMENTS,
  TOO_MANY_DOCUMENTS,
  aliasProblem,
  yamlSizeProblem,
} from "./yamlLimits";

/**
 * How input YAML is read: YAML 1.2's core schema (strings, numbers, booleans, null, lists,
 * mappings) and merge keys (`<<: *defaults`), as Kubernetes reads manifests. A date stays a
 * string, as in Kubernetes (js-yaml's default schema would make it a Date, which is no mapping
 * and no string); `!!binary`, `!!set`, `!!omap` and `!!pairs` are not Kubernetes' and are errors.
 */
export const YAML_SCHEMA = CORE_SCHEMA.extend({
  implicit: [
    new Type("tag:yaml.org,2002:merge", {
      kind: "scalar",
      resolve: (data: unknown) => data === "<<" || data === null,
    }),
  ],
});

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
  /**
   * The plain scalars YAML 1.1 reads otherwise (`010`), by path, and what a warning says of each;
   * {@link parseYamlDocuments} warns of them unless asked not to.
   */
  yaml11?: [path: string, message: string][];
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
  /** Where the node starts in the text (before the spaces that separate it). */
  start: number;
  /**
   * For a plain scalar that YAML 1.1 (kubectl, the operator, Go's YAML libraries) reads as
   * another value than YAML 1.2 does here, what a warning says of it ({@link yaml11Reading}).
   */
  yaml11?: string;
}

/** A plain integer with a leading zero (`010`), octal to YAML 1.1. */
const LEADING_ZERO = /^([-+]?)0([0-9_]+)$/;
/** A plain integer with `_` between digits (`1_000`), a number to YAML 1.1 and text to YAML 1.2. */
const UNDERSCORED = /^([-+]?)([0-9][0-9_]*)$/;

/**
 * What a warning says of the plain scalar `raw`, read here (YAML 1.2's core schema) as `result`,
 * when YAML 1.1 reads it as another value: `010` is 10 here and 8 to kubectl (a leading 0 is
 * octal there); `1_000` is text here and 1000 there. Undefined when both read it alike.
 */
export function yaml11Reading(raw: string, result: unknown): string | undefined {
  const zero = typeof result === "number" ? LEADING_ZERO.exec(raw) : null;
  const underscored =
    typeof result === "string" && raw.includes("_") ? UNDERSCORED.exec(raw) : null;
  const match = zero ?? underscored;
  if (match === null) return undefined;
  const digits = raw.replace(/^[-+]/, "").replace(/_/g, "");
  const octal = /^0[0-7]+$/.test(digits);
  if (!octal && !/^[1-9][0-9]*$|^0$/.test(digits)) return undefined; // `09`: 9 to both
  const magnitude = octal ? parseInt(digits, 8) : Number(digits);
  const old = match[1] === "-" ? -magnitude : magnitude;
  if (old === result) return undefined;
  const here = typeof result === "number" ? String(result) : `the text ${JSON.stringify(raw)}`;
  const either = typeof result === "number" ? String(result) : JSON.stringify(raw);
  return (
    `${raw} is ${here} here (YAML 1.2) but ${old} to YAML 1.1 readers (kubectl, the operator, ` +
    `the Pulumi CLI${octal ? ", where a leading 0 is octal" : ""}): write ${old} or ${either} ` +
    "to say which is meant"
  );
}

/** Whether the next character after `position` on its line, spaces and tabs skipped, is `:`. */
function colonFollows(input: string, position: number): boolean {
  let i = position;
  while (input[i] === " " || input[i] === "\t") i++;
  return input[i] === ":";
}

/** Thrown from the listener to stop reading a file with too many documents. */
class TooManyDocuments extends Error {}

/**
 * Builds the tree of nodes from js-yaml's `open` and `close` events; `roots` are the documents.
 * Throws {@link TooManyDocuments} as soon as there are more than {@link MAX_YAML_DOCUMENTS}.
 */
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
        start: state.position,
      });
      return;
    }
    const node = this.open.pop();
    if (node === undefined) return;
    node.kind = state.kind;
    node.result = state.result;
    node.isKey = colonFollows(state.input, state.position);
    if (state.kind === "scalar" && !node.isKey) {
      const raw = state.input.slice(node.start, state.position).trim();
      // Only plain scalars: a quoted one is text to every YAML version.
      if (raw !== "" && raw[0] !== '"' && raw[0] !== "'") {
        node.yaml11 = yaml11Reading(raw, state.result);
      }
    }
    const parent = this.open.at(-1);
    if (parent !== undefined) parent.children.push(node);
    else if (this.roots.push(node) > MAX_YAML_DOCUMENTS) throw new TooManyDocuments();
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

/** What {@link recordLines} finds: the line of each path, and the YAML 1.1 readings of values. */
interface Recorded {
  lines: Map<string, number>;
  /** The paths of plain scalars YAML 1.1 reads otherwise, and what to say of each. */
  yaml11: [path: string, message: string][];
}

/** Records the line of every key and list item under `node`, whose path is `path`. */
function recordLines(node: YamlNode, path: string, recorded: Recorded): void {
  const { lines } = recorded;
  const content = contentOf(node);
  const { result, children } = content;
  const yaml11 = node.yaml11 ?? content.yaml11;
  if (yaml11 !== undefined && path !== "") recorded.yaml11.push([path, yaml11]);
  if (content.kind === "mapping" && isMapping(result)) {
    children.forEach((child, i) => {
      const value = children[i + 1];
      if (!child.isKey || (typeof child.result === "object" && child.result !== null)) return;
      const key = String(child.result);
      if (!Object.hasOwn(result, key)) return; // e.g. the merge key `<<`
      const here = childPath(path, key);
      if (!lines.has(here)) lines.set(here, child.line);
      if (value !== undefined && !value.isKey) recordLines(value, here, recorded);
    });
  } else if (content.kind === "sequence" && Array.isArray(result)) {
    // An empty item (`-` alone) composes no node: then items cannot be told apart.
    if (children.length !== result.length) return;
    children.forEach((child, i) => {
      const here = itemPath(path, i);
      lines.set(here, child.line);
      recordLines(child, here, recorded);
    });
  }
}

/**
 * The lookup of a document's field lines (the path's own line, else its nearest ancestor's), and
 * the values YAML 1.1 reads otherwise.
 */
function documentLines(root: YamlNode | undefined): {
  lines: FieldLines;
  yaml11: Recorded["yaml11"];
} {
  const recorded: Recorded = { lines: new Map(), yaml11: [] };
  if (root !== undefined) recordLines(root, "", recorded);
  const { lines } = recorded;
  const lookup: FieldLines = (path) => {
    for (let p: string | undefined = path; p !== undefined && p !== ""; p = parentPath(p)) {
      const line = lines.get(p);
      if (line !== undefined) return line;
    }
    return undefined;
  };
  return { lines: lookup, yaml11: recorded.yaml11 };
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

/** js-yaml's test for the characters YAML does not allow in a stream. */
const NON_PRINTABLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/g;

/** The number of lines of `text`, as an editor shows them. */
function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** YAML's own tags (`!!binary`), which a message may name: they are no user's text. */
const STANDARD_TAG =
  /!<tag:yaml\.org,2002:(?:str|int|float|bool|null|map|seq|binary|set|omap|pairs|timestamp|merge|value|yaml|js\/(?:function|regexp|undefined))>/;

/**
 * js-yaml's reason, unless it quotes the text: an alias's name or a tag that is not YAML's own.
 * Both are a plain value starting with `*` or `!`, e.g. a password written without quotes, which
 * no message may show.
 */
function unquotedReason(reason: string): string {
  if (reason.startsWith("unidentified alias ")) {
    return 'an alias (a value starting with "*") that names no anchor; if the value is text, quote it';
  }
  const quotesTag =
    /tag handle|tag name|tag prefix/.test(reason) ||
    (reason.includes("!<") && !STANDARD_TAG.test(reason));
  if (!quotesTag) return reason;
  return 'an unknown tag (a value starting with "!"); if the value is text, quote it';
}

/**
 * A syntax error's line and reason. js-yaml places some errors past the end of the text (an
 * unterminated quote) and reports a character it refuses without saying which: the line is kept
 * within the text, and the character is named with its own line. The reason never quotes the
 * text ({@link unquotedReason}).
 */
function syntaxError(text: string, error: YAMLException): { line: number; reason: string } {
  const line = Math.min(error.mark.line + 1, lineCount(text));
  const depth = /^nesting exceeded maxDepth \((\d+)\)/.exec(error.reason);
  if (depth !== null)
    return { line, reason: `values are nested more than ${depth[1]} levels deep` };
  if (error.reason !== "the stream contains non-printable characters") {
    return { line, reason: unquotedReason(error.reason) };
  }
  // js-yaml drops a leading byte order mark before it counts positions.
  const end = error.mark.position + (text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const found = [...text.slice(0, end).matchAll(NON_PRINTABLE)].at(-1);
  if (found === undefined) return { line, reason: error.reason };
  const at = found.index + found[0].length - 1;
  const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0");
  return {
    line: lineCount(text.slice(0, at + 1)),
    reason: `the character U+${code} is not allowed in YAML; remove it or write it as an escape ("\\u${code}") in a double-quoted string`,
  };
}

/**
 * The 1-based line, at or before `errorLine`, that holds only dots (`...`, `.....`), indented or
 * more than three: the docs' placeholder for left-out lines, copied with an example (`...` alone
 * at the start of a line ends a YAML document, and is left to YAML). Undefined when none does.
 */
function placeholderLine(text: string, errorLine: number): number | undefined {
  const lines = text.split("\n", errorLine);
  const index = lines.findIndex((line) => /^(?:[ \t]+\.{3,}|\.{4,})[ \t]*\r?$/.test(line));
  return index === -1 ? undefined : index + 1;
}

/**
 * The non-empty documents of `text`, read from `file` (the name used in messages), with
 * {@link YAML_SCHEMA}. Malformed YAML is one error with its line (`error: crs/x.yaml:7: YAML
 * syntax: bad indentation of a mapping entry`), and then nothing from the file is returned; so
 * too for a file over the limits of `yamlLimits.ts`: too large, too many documents, nesting over
 * 100 levels, or aliases that expand too far or contain themselves. `tooMany` is the message
 * for more than {@link MAX_YAML_DOCUMENTS} documents; default {@link TOO_MANY_DOCUMENTS}, which
 * suits a CR file: a file that holds one document (a stack file) says so instead.
 */
export function parseYamlDocuments(
  given: string,
  file: string,
  problems: Problems,
  tooMany: string = TOO_MANY_DOCUMENTS,
  /** Whether to warn of the values YAML 1.1 reads otherwise ({@link YamlDocument.yaml11}). Default: true. */
  warnYaml11 = true,
): YamlDocument[] {
  const tooLarge = yamlSizeProblem(Buffer.byteLength(given, "utf8"));
  if (tooLarge !== undefined) {
    problems.error({ file }, undefined, tooLarge);
    return [];
  }
  // Text read from a file has been through this already (readInputFile); other text has not.
  const marks = withoutByteOrderMarks(given);
  if (!("text" in marks)) {
    problems.error({ file, line: marks.line }, undefined, `YAML syntax: ${marks.problem}`);
    return [];
  }
  const text = marks.text;
  const recorder = new NodeRecorder();
  let values: unknown[];
  try {
    values = loadAll(text, undefined, {
      filename: file,
      listener: recorder.listener,
      schema: YAML_SCHEMA,
    });
  } catch (error) {
    if (error instanceof TooManyDocuments) {
      problems.error({ file }, undefined, tooMany);
      return [];
    }
    if (!(error instanceof YAMLException)) throw error;
    const placeholder = placeholderLine(text, error.mark.line + 1);
    if (placeholder !== undefined) {
      problems.error(
        { file, line: placeholder },
        undefined,
        "dots alone on a line are the documentation's placeholder for lines it leaves out: " +
          "remove the line, or write out what it stands for",
      );
      return [];
    }
    const { line, reason } = syntaxError(text, error);
    problems.error({ file, line }, undefined, `YAML syntax: ${reason}`);
    return [];
  }
  const roots = recorder.roots.length === values.length ? recorder.roots : [];
  const present = values
    .map((value, i) => ({ value, root: roots.at(i) }))
    .filter((d) => d.value !== null && d.value !== undefined);
  const documents = present.map(({ value, root }, i): YamlDocument => {
    const source: Source = { file };
    if (present.length > 1) source.document = i + 1;
    if (root !== undefined) source.line = root.line;
    const { lines, yaml11 } = documentLines(root);
    withFieldLines(source, lines);
    return yaml11.length === 0 ? { source, value } : { source, value, yaml11 };
  });
  const refused = aliasProblem(documents.map((d) => d.value));
  if (refused === undefined) {
    for (const { source, yaml11 } of warnYaml11 ? documents : []) {
      for (const [path, message] of yaml11 ?? []) problems.warning(source, path, message);
    }
    return documents;
  }
  const path = refused.path === "" ? undefined : refused.path;
  problems.error(documents[refused.index].source, path, refused.message);
  return [];
}
