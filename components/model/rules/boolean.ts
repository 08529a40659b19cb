/** Booleans as the operator reads them: Go's `strconv.ParseBool`, plus YAML booleans. */
import { type At, describeAt, report } from "./at";

/** The spellings Go's `strconv.ParseBool` accepts, true ones first. */
export const GO_BOOL_SPELLINGS = {
  true: ["1", "t", "T", "TRUE", "true", "True"],
  false: ["0", "f", "F", "FALSE", "false", "False"],
} as const;

/**
 * Go's `strconv.ParseBool` spellings plus YAML booleans; undefined for anything else. The YAML
 * integers 1 and 0 count as their string spellings.
 */
export function parseGoBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== "string") return undefined;
  if ((GO_BOOL_SPELLINGS.true as readonly string[]).includes(value)) return true;
  if ((GO_BOOL_SPELLINGS.false as readonly string[]).includes(value)) return false;
  return undefined;
}

/** Reports an error naming the accepted spellings when `value` is not a boolean. */
export function checkBoolean(value: unknown, at: At): boolean | undefined {
  const parsed = parseGoBool(value);
  if (parsed === undefined) {
    report(
      at,
      `expected a boolean, got ${describeAt(value, at)}; write true or false ` +
        `(also accepted: ${[...GO_BOOL_SPELLINGS.true, ...GO_BOOL_SPELLINGS.false].join(" ")})`,
    );
  }
  return parsed;
}
