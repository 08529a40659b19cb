/**
 * Reading one input file (a CR file, a controller config, a stack file, `Pulumi.yaml`, a file of
 * a plan input folder) within the size limit of YAML input.
 */
import * as fs from "fs";
import { isUtf8 } from "node:buffer";
import { MAX_YAML_BYTES, overSizeLimit, yamlSizeProblem } from "./yamlLimits";

/** Why a file was not read: its kind, and a message that names no file. */
export type UnreadFile =
  | { reason: "missing" | "not-a-file" | "unreadable"; problem: string }
  | {
      /** Bytes that are not UTF-8, or a byte-order mark where none may be (see {@link decodeText}). */
      reason: "not-text";
      problem: string;
      /** The 1-based line of the first such byte. */
      line: number;
    }
  | {
      reason: "too-large";
      problem: string;
      /** The file's size in bytes, or (for a file that grew while it was read) the bytes read. */
      bytes: number;
    };

/** A file's text, or why it was not read. */
export type InputFile = { text: string } | UnreadFile;

/** The UTF-16 byte-order marks, little- and big-endian. */
const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

/**
 * The offset of the first byte of `bytes` that does not belong to a well-formed UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF); undefined when all do.
 */
function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b === 0xe0) [length, min] = [3, 0xa0];
    else if (b === 0xed) [length, min, max] = [3, 0x80, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) [length, min] = [3, 0x80];
    else if (b === 0xf0) [length, min] = [4, 0x90];
    else if (b === 0xf4) [length, min, max] = [4, 0x80, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) [length, min] = [4, 0x80];
    else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      // Only the second byte has narrower bounds; the others are 0x80-0xBF.
      const [low, high] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (next === undefined || next < low || next > high) return i;
    }
    i += length;
  }
  return undefined;
}

/** The 1-based line of the character at `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The byte-order mark, U+FEFF: invisible, and never part of a field name or value. */
const BOM = "\uFEFF";

/** A YAML document marker (`---`, `...`) alone or starting a line. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:[ \t\r]|$)/;

/**
 * `bytes` as text, or why they are not: bytes that are not UTF-8 are an error naming their line
 * (never replaced by U+FFFD, which would change a value unseen). A byte-order mark that starts
 * the file is removed; YAML's parser handles those of later documents
 * ({@link withoutByteOrderMarks}).
 */
export function decodeText(
  bytes: Uint8Array,
): { text: string } | { line: number; problem: string } {
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes) ?? 0;
    const before = Buffer.from(bytes.buffer, bytes.byteOffset, at).toString("latin1");
    const line = lineAt(before, at);
    const column = at - (before.lastIndexOf("\n") + 1) + 1;
    const byte = bytes[at].toString(16).toUpperCase().padStart(2, "0");
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(2, bytes.length));
    const utf16 = UTF16_BOMS.some((bom) => bom.equals(head));
    return {
      line,
      problem: utf16
        ? "is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"
        : `is not UTF-8 text: the byte 0x${byte} at column ${column} is not valid UTF-8 ` +
          "(a file saved in another encoding, such as Latin-1 or Windows-1252?); save it as UTF-8",
    };
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8");
  // The byte-order mark of the file itself; those of later YAML documents are the YAML layer's.
  return { text: text.startsWith(BOM) ? text.slice(1) : text };
}

/**
 * `text` without the byte-order marks YAML allows, before a document: at the start of the text
 * and at the start of a line that opens a document (a `---` or `...` line, or the line after
 * one), as files joined with `cat` have them. Anywhere else one is refused, with its line and
 * what it is ("a byte-order mark ... at column 3; ..."), so that no field name or value holds an
 * invisible U+FEFF.
 */
export function withoutByteOrderMarks(
  text: string,
): { text: string } | { line: number; problem: string } {
  if (!text.includes(BOM)) return { text };
  const lines = text.split("\n");
  let opens = true;
  for (const [i, raw] of lines.entries()) {
    let line = raw;
    if (line.startsWith(BOM) && (opens || DOCUMENT_MARKER.test(line.slice(1))))
      line = line.slice(1);
    const inside = line.indexOf(BOM);
    if (inside !== -1) {
      return {
        line: i + 1,
        problem:
          `a byte-order mark (U+FEFF, invisible in most editors) at column ${inside + 1}; ` +
          "one may only start a file or a YAML document: remove it",
      };
    }
    lines[i] = line;
    opens = DOCUMENT_MARKER.test(line);
  }
  return { text: lines.join("\n") };
}

/**
 * The UTF-8 text of `absolute` when it is a regular file of at most {@link MAX_YAML_BYTES}
 * bytes. No more than that is ever read, so neither a device (`/dev/zero`), a pipe, nor a file
 * that grows while it is read can exhaust memory or block. Bytes that are not UTF-8, and
 * byte-order marks where YAML allows none, are refused with their line ({@link decodeText}).
 */
export function readInputFile(absolute: string): InputFile {
  let fd: number | undefined;
  try {
    if (!fs.statSync(absolute).isFile()) {
      return { reason: "not-a-file", problem: "is not a regular file (a folder, device or pipe?)" };
    }
    fd = fs.openSync(absolute, "r");
    const stat = fs.fstatSync(fd);
    const tooLarge = yamlSizeProblem(stat.size);
    if (tooLarge !== undefined) return { reason: "too-large", problem: tooLarge, bytes: stat.size };
    // Room for what fstat says and one byte more, so that a file which grew since shows. Not
    // zero-filled: only the bytes read are kept; zeroing 128 KB per file cost ~6% of a render
    // (bench/RESULTS.md), and one buffer of the file's size is cheaper than chunks.
    let buffer = Buffer.allocUnsafe(stat.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > MAX_YAML_BYTES) {
          return { reason: "too-large", problem: yamlSizeProblem(total) ?? "", bytes: total };
        }
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_YAML_BYTES + 1));
        buffer.copy(bigger, 0, 0, total);
        buffer = bigger;
      }
      const read = fs.readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) break;
      total += read;
    }
    const decoded = decodeText(buffer.subarray(0, total));
    return "text" in decoded ? decoded : { reason: "not-text", ...decoded };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { reason: "missing", problem: "no such file" };
    const reason = error instanceof Error ? error.message : String(error);
    return { reason: "unreadable", problem: `cannot be read: ${reason}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The one-line message for a file that was not read, saying which file it is: `what` is its
 * subject (e.g. "the stack file"): `the stack file is not a regular file (a folder, device or
 * pipe?)`, `the stack file is 6 MiB, over the limit of 5 MiB`, `the stack file does not exist`,
 * `the stack file cannot be read: EACCES: permission denied, open '...'`.
 */
export function unreadProblem(unread: UnreadFile, what: string): string {
  switch (unread.reason) {
    case "missing":
      return `${what} does not exist`;
    case "too-large":
      return `${what} is ${overSizeLimit(unread.bytes)}`;
    case "not-text":
      return `${what} ${unread.problem}`;
    default:
      return `${what} ${unread.problem}`;
  }
}

/** Where to report a file that was not read: the file, and the line of a byte that is not text. */
export function unreadSource(file: string, unread: UnreadFile): { file: string; line?: number } {
  return unread.reason === "not-text" ? { file, line: unread.line } : { file };
}
