/** Reading a folder that `render --out` wrote back into its objects. */
import * as fs from "node:fs";
import * as path from "node:path";
import { readInputFile, unreadProblem, unreadSource } from "../../components/model/input/inputFile";
import type { Problems } from "../../components/model/problems";
import { isMapping } from "../../components/model/rules";
import { parseYamlDocuments } from "../../components/model/input/yaml";
import { MAX_YAML_DOCUMENTS } from "../../components/model/input/yamlLimits";
import { OUT_MARKER, readOutFolder } from "../common/manifests";
import { identityKey } from "./compute";
import { apiGroup } from "./replace";

const ONE_OBJECT = "a render output file holds one Kubernetes object";

/**
 * The Kubernetes objects in `dir` (as messages name it; relative to `cwd`), a folder written by
 * `render --out` (it holds {@link OUT_MARKER}): one object per file its marker lists (every
 * other file is left out, whatever it is). A listed file that is missing, not a regular file or
 * not one object is refused by name. Every problem (no such folder, no marker, bad YAML, a file that is not one object, the same
 * object twice) goes to `problems`, naming the file. `typed` is the folder as typed on the
 * command line, for the command a hint suggests. Default: `dir`.
 */
export function readRenderDir(
  dir: string,
  cwd: string,
  problems: Problems,
  typed: string = dir,
): unknown[] {
  const absolute = path.resolve(cwd, dir);
  const make = `make one with: npm run render -- --stack NAME --out ${typed}`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    problems.error({ file: dir }, undefined, `no such folder; ${make}`);
    return [];
  }
  if (!stat.isDirectory()) {
    problems.error({ file: dir }, undefined, "not a folder; name the folder render --out wrote");
    return [];
  }
  if (!fs.existsSync(path.join(absolute, OUT_MARKER))) {
    problems.error(
      { file: dir },
      undefined,
      `not a render output (it holds no ${OUT_MARKER} marker); ${make}`,
    );
    return [];
  }
  // Only render's own files, as its marker lists them: a person's files beside them (a
  // kustomization.yaml, notes) are no objects of the stack.
  const folder = readOutFolder(absolute);
  if (typeof folder === "string") {
    problems.error({ file: dir }, undefined, folder);
    return [];
  }
  const objects: unknown[] = [];
  const seen = new Map<string, string>();
  for (const relative of folder.own) {
    const file = path.join(dir, relative);
    const read = readInputFile(path.join(absolute, relative));
    if (!("text" in read)) {
      problems.error(unreadSource(file, read), undefined, unreadProblem(read, "the file"));
      continue;
    }
    const known = problems.list.length;
    const documents = parseYamlDocuments(
      read.text,
      file,
      problems,
      `holds more than ${MAX_YAML_DOCUMENTS} YAML documents; ${ONE_OBJECT}`,
    );
    if (problems.list.length > known) continue;
    if (documents.length !== 1) {
      problems.error(
        { file },
        undefined,
        `holds ${documents.length} YAML documents; ${ONE_OBJECT}`,
      );
      continue;
    }
    const [{ source, value }] = documents;
    const identity = objectIdentity(value);
    if (typeof identity !== "string") {
      problems.error(source, identity.path, identity.message);
      continue;
    }
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      problems.error(source, undefined, `the same object as ${earlier}; remove one of the two`);
      continue;
    }
    seen.set(identity, file);
    objects.push(value);
  }
  return objects;
}

/** `apiVersion kind namespace/name` of a document, or the field that is missing or wrong. */
function objectIdentity(value: unknown): string | { path?: string; message: string } {
  if (!isMapping(value)) {
    return {
      message: "expected a Kubernetes object (a mapping with apiVersion, kind and metadata)",
    };
  }
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== "string" || apiVersion === "") return notEmpty("apiVersion");
  if (typeof kind !== "string" || kind === "") return notEmpty("kind");
  if (!isMapping(metadata)) return { path: "metadata", message: "expected a mapping with a name" };
  const { name, namespace } = metadata;
  if (typeof name !== "string" || name === "") return notEmpty("metadata.name");
  if (namespace !== undefined && (typeof namespace !== "string" || namespace === "")) {
    return notEmpty("metadata.namespace");
  }
  return identityKey({ group: apiGroup(apiVersion), kind, namespace: namespace ?? null, name });
}

function notEmpty(path: string): { path: string; message: string } {
  return { path, message: "expected a non-empty string" };
}
