/**
 * Values planted in CRs under names that look secret (env values, `NAME=value` env items, probe
 * headers), and the check of where they still sit once the CR is mutated: a value moved to a field
 * whose value messages may quote is no longer a secret there.
 */
import { loadAll } from "js-yaml";
import { childPath, itemPath, looksSecret } from "../../../components/model/rules";
import { YAML_SCHEMA } from "../../../components/model/input/yaml";
import type { MaskedPlace } from "./pipeline";
import type { Tree } from "./arbitraries";

/** The lists whose items' values are masked when the name looks secret, by their path in a CR. */
const MASKED_LISTS =
  /^spec\.(?:env|deploySpec\.(?:livenessProbe|readinessProbe)\.httpGet\.httpHeaders)$/;
/** An env item written as one string. */
const NAME_IS_VALUE = /^([A-Za-z_][\w.-]*)=/;
/** A planted string: unique, free of YAML syntax, so that a message quoting it shows it whole. */
export const PLANTED = /Pl4nt\d+Env/g;
/** Planted numbers are at least this large, so that no message shows them by chance. */
export const PLANTED_NUMBER_MIN = 100_000_000;
/** Walking more nodes than this (aliases expanding) gives up: every planted value is kept. */
const MAX_NODES = 200_000;

/** What a CR file's documents hold: values at masked places, and every other string. */
export interface MaskedScan {
  masked: { document: number; path: string; value: string | number | boolean }[];
  /** Keys, strings and numbers (as text) anywhere else. */
  exposed: string[];
}

/** The paths that hold a masked list, and those lists. */
const TOWARDS_MASKED =
  /^(?:|spec(?:\.env|\.deploySpec(?:\.(?:livenessProbe|readinessProbe)(?:\.httpGet(?:\.httpHeaders)?)?)?)?)$/;

/**
 * Scans `documents` (the non-empty ones, in order); undefined when they expand too far. Without
 * `everywhere`, only the masked places are found (the walk goes nowhere else).
 */
export function scanDocuments(
  documents: readonly unknown[],
  everywhere = true,
): MaskedScan | undefined {
  const scan: MaskedScan = { masked: [], exposed: [] };
  let nodes = 0;
  const open = new Set<unknown>();
  const walk = (node: unknown, path: string, document: number): boolean => {
    if (++nodes > MAX_NODES) return false;
    if (!everywhere && !TOWARDS_MASKED.test(path)) return true;
    if (typeof node === "string" || typeof node === "number") scan.exposed.push(String(node));
    if (node === null || typeof node !== "object" || open.has(node)) return true;
    open.add(node);
    const entries: [string, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [itemPath(path, i), v])
      : Object.entries(node).map(([k, v]) => {
          scan.exposed.push(k);
          return [childPath(path, k), v];
        });
    const masked = MASKED_LISTS.test(path) && Array.isArray(node);
    const ok = entries.every(([here, value]) => {
      if (!masked) return walk(value, here, document);
      if (typeof value === "string") {
        const name = NAME_IS_VALUE.exec(value)?.[1];
        if (name !== undefined && looksSecret(name) && path === "spec.env") {
          scan.masked.push({ document, path: here, value });
          return true;
        }
        return walk(value, here, document);
      }
      const item = value as { name?: unknown; value?: unknown } | null;
      const secret =
        item !== null &&
        typeof item === "object" &&
        !Array.isArray(item) &&
        typeof item.name === "string" &&
        looksSecret(item.name) &&
        ["string", "number", "boolean"].includes(typeof item.value);
      if (!secret) return walk(value, here, document);
      scan.masked.push({
        document,
        path: childPath(here, "value"),
        value: item.value as string | number | boolean,
      });
      return Object.entries(item).every(([k, v]) => {
        scan.exposed.push(k);
        return k === "value" || walk(v, childPath(here, k), document);
      });
    });
    open.delete(node);
    return ok;
  };
  const complete = documents.every((d, i) => walk(d, "", i + 1));
  return complete ? scan : undefined;
}

/** The planted values in a scan's masked places: strings matching {@link PLANTED}, large numbers. */
export function plantedValues(scan: MaskedScan): string[] {
  return scan.masked.flatMap(({ value }) => {
    if (typeof value === "string") return value.match(PLANTED) ?? [];
    return typeof value === "number" && value >= PLANTED_NUMBER_MIN ? [String(value)] : [];
  });
}

/** What must not show for a CR file: the planted values still only where names look secret. */
export interface Masked {
  values: string[];
  places: MaskedPlace[];
}

/**
 * What must not show for a CR file written from `sources` (its CRs before any mutation), when
 * mutations changed it, now holding `text`, written from `trees` when only they were mutated: the
 * values planted at masked places of `sources` that the file still holds only at masked places
 * (all of them when the text is not YAML or expands too far, since then nothing is read from it),
 * and the numbers and booleans at its masked places.
 */
export function maskedIn(
  file: string,
  sources: readonly Tree[],
  mutated?: { text: string; trees?: readonly Tree[] },
): Masked {
  // Planted values are unique and only at masked places: the CRs need no search elsewhere.
  const before = scanDocuments(sources, false);
  if (before === undefined || before.masked.length === 0) return { values: [], places: [] };
  const planted = plantedValues(before);
  const documents = mutated === undefined ? sources : read(mutated);
  const scan = documents === sources ? before : documents && scanDocuments(documents);
  if (documents === undefined || scan === undefined) return { values: planted, places: [] };
  const places = scan.masked
    .filter((m) => typeof m.value !== "string")
    .map((m) => {
      const place: MaskedPlace = { file, path: m.path, value: String(m.value) };
      if (documents.length > 1) place.document = m.document;
      return place;
    });
  const exposed = scan.exposed;
  return { values: planted.filter((p) => !exposed.some((s) => s.includes(p))), places };
}

/**
 * The non-empty documents as the product reads `text`: `trees`, when given and free of merge keys
 * (`<<`, which reading would merge), else the text read; undefined when it is not YAML.
 */
function read({
  text,
  trees,
}: {
  text: string;
  trees?: readonly Tree[];
}): readonly unknown[] | undefined {
  if (trees !== undefined && !hasMergeKey(trees)) return trees;
  try {
    return loadAll(text, undefined, { schema: YAML_SCHEMA }).filter(
      (v) => v !== null && v !== undefined,
    );
  } catch {
    return undefined;
  }
}

function hasMergeKey(trees: readonly Tree[]): boolean {
  const seen = new Set<unknown>();
  const walk = (node: unknown): boolean => {
    if (node === null || typeof node !== "object" || seen.has(node)) return false;
    seen.add(node);
    if (!Array.isArray(node) && Object.hasOwn(node, "<<")) return true;
    return Object.values(node).some(walk);
  };
  return trees.some(walk);
}
