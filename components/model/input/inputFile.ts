/**
 * Reading one input file (a CR file, a controller config, a stack file, `Pulumi.yaml`, a file of
 * a plan input folder) within the size limit of YAML input.
 */
import * as fs from "fs";
import { MAX_YAML_BYTES, overSizeLimit, yamlSizeProblem } from "./yamlLimits";

/** Why a file was not read: its kind, and a message that names no file. */
export type UnreadFile =
  | { reason: "missing" | "not-a-file" | "unreadable"; problem: string }
  | {
      reason: "too-large";
      problem: string;
      /** The file's size in bytes, or (for a file that grew while it was read) the bytes read. */
      bytes: number;
    };

/** A file's text, or why it was not read. */
export type InputFile = { text: string } | UnreadFile;

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
    return { text: buffer.toString("utf8", 0, total) };
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
    default:
      return `${what} ${unread.problem}`;
  }
}
