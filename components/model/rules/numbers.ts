/** Integers and ports, as YAML integers (never quoted, never fractional). */
import { type At, describeAt, quote, report } from "./at";

/** The largest int32, the bound of every integer field of the CRD. */
export const INT32_MAX = 2147483647;

/** The range [min, max] as a message says it: "at least 1", "at most 2147483647 (...)". */
function bound(min: number, max: number, value: number): string {
  if (value < min && max >= INT32_MAX) return `at least ${min}`;
  if (value > max && max === INT32_MAX) {
    return `at most ${INT32_MAX} (the largest 32-bit integer, as Kubernetes requires)`;
  }
  return `between ${min} and ${max}`;
}

/**
 * An integer in [min, max]; reports non-integers (including numeric strings, which get
 * "write 3 without quotes") and out-of-range values, both at once when a value is both.
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
  const outside = (n: number): boolean => n < min || n > max;
  if (typeof value === "number" && Number.isInteger(value)) {
    if (outside(value)) {
      report(at, `${what} ${bound(min, max, value)}, got ${describeAt(value, at)}`);
      return undefined;
    }
    return value;
  }
  if (typeof value === "string" && /^[+-]?\d+$/.test(value.trim())) {
    const n = Number(value.trim());
    const also = outside(n) ? `, and it must be ${bound(min, max, n)}` : "";
    report(
      at,
      at.hidden === true
        ? `expected an integer, got ${describeAt(value, at)}; write it without quotes${also}`
        : `expected an integer, got the string ${quote(value)}; write ${n} without quotes${also}`,
    );
  } else if (typeof value === "number") {
    const also =
      Number.isFinite(value) && outside(value) ? `, and it must be ${bound(min, max, value)}` : "";
    report(at, `expected a whole number, got ${describeAt(value, at)}${also}`);
  } else {
    report(at, `expected an integer, got ${describeAt(value, at)}`);
  }
  return undefined;
}
