/** Counting helpers shared by the scenarios, kept apart so that no peer loads another's code. */
import { createHash } from "node:crypto";
import { loadAll } from "js-yaml";

/** The number of documents in a multi-document YAML stream (each starts with `apiVersion:`). */
export function countDocuments(yaml: string): number {
  return yaml.match(/^apiVersion: /gm)?.length ?? 0;
}

/**
 * A digest of the objects' identities (`kind namespace/name`, sorted) in a YAML stream, so that
 * two renderers can be shown to build the very same set of objects.
 */
export function identityDigest(yaml: string): string {
  const names = loadAll(yaml)
    .map((doc) => {
      const o = doc as { kind?: string; metadata?: { name?: string; namespace?: string } };
      return `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`;
    })
    .sort();
  return createHash("sha256").update(names.join("\n")).digest("hex").slice(0, 16);
}
