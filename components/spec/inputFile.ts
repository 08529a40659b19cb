/** Reading one input file (a CR file, a controller config) within the size limit of YAML input. */
import * as fs from "fs";
import { MAX_YAML_BYTES, yamlSizeProblem } from "./yamlLimits";

/** Why a file was not read: its kind, and a message that names no file. */
export interface UnreadFile {
  reason: "missing" | "not-a-file" | "too-large" | "unreadable";
  problem: string;
}

/** A file's text, or why it was not read. */
export type InputFile = { text: string } | UnreadFile;

const CHUNK = 64 * 1024;

/**
 * The UTF-8 text of `absolute` when it is a regular file of at most {@link MAX_YAML_BYTES}
 * bytes. No more than that is ever read, so neither a device (`/dev/zero`), a pipe, nor a file
 * that grows while it is read can exhaust memory or block.
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
    if (tooLarge !== undefined) return { reason: "too-large", problem: tooLarge };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Not zero-filled: only the `read` bytes are kept; zeroing 128 KB per file cost ~6% of a
      // render (bench/RESULTS.md).
      const chunk = Buffer.allocUnsafe(CHUNK);
      const read = fs.readSync(fd, chunk, 0, CHUNK, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > MAX_YAML_BYTES) {
        return { reason: "too-large", problem: yamlSizeProblem(total) ?? "" };
      }
    }
    return { text: Buffer.concat(chunks, total).toString("utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { reason: "missing", problem: "no such file" };
    const reason = error instanceof Error ? error.message : String(error);
    return { reason: "unreadable", problem: `cannot be read: ${reason}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
