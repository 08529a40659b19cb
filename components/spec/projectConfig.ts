/**
 * The project file's `config:` section (`Pulumi.yaml`), as the Pulumi CLI applies it to a stack:
 * for every key the stack file does not set, the declared `default` (keys of the project) or
 * `value` (keys of other namespaces) is added to the stack's config.
 */
import { isMapping } from "./rules";
import { goJson } from "./stackConfigFile";

/** `project:key` for a key as the project file writes it (a bare key is the project's). */
function qualified(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** A value as the Pulumi CLI hands it to the program: scalars as text, the rest as JSON. */
function configText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return goJson(value);
}

/**
 * The config values `section` (the project file's `config:`) adds to a stack that does not set
 * them, keyed `namespace:key`: a declaration's `default` or `value`, or a shorthand scalar or list.
 * Declarations without either (required keys) add nothing.
 */
export function projectConfigValues(section: unknown, project: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMapping(section)) return out;
  for (const [key, declaration] of Object.entries(section)) {
    const value = isMapping(declaration) ? (declaration.default ?? declaration.value) : declaration;
    if (value === undefined || value === null) continue;
    out[qualified(key, project)] = configText(value);
  }
  return out;
}
