/** Integers and ports, as YAML integers (never quoted, never fractional). */
import { type At, describeValue, report } from "./at";

/** The largest int32, the bound of every integer field of the CRD. */
export const INT32_MAX = 2147483647;

function rangeMessage(min: number, max: number, what: string): string {
  if (max >= INT32_MAX) return `${what} at least ${min}`;
  return `${what} between ${min} and ${max}`;
}

/**
 * An integer in [min, max]; reports non-integers (including numeric strings, which get
 * "write 3 without quotes") and out-of-range values.
 */
export function checkInteger(value: unknown, at: At, min: number, max: number): number | undefined {
  return integer(value, at, min, max, "must be");
}

/** A TCP port 1-65535. */
export function checkPort(value: unknown, at: At): number | undefined {
  return integer(value, at, 1, 65535, "expected a port number");
}

function integer(
  value: unknown,
  at: At,
  min: number,
  max: number,
  what: string,
): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) {
    if (value < min || value > max) {
      report(at, `${rangeMessage(min, max, what)}, got ${value}`);
      return undefined;
    }
    return value;
  }
  if (typeof value === "string" && /^[+-]?\d+$/.test(value.trim())) {
    const n = Number(value.trim());
    report(
      at,
      `expected an integer, got the string ${JSON.stringify(value)}; write ${n} without quotes`,
    );
  } else if (typeof value === "number") {
    report(at, `expected a whole number, got ${value}`);
  } else {
    report(at, `expected an integer, got ${describeValue(value)}`);
  }
  return undefined;
}
