/** Kubernetes resource quantities (`500m`, `2Gi`, `1.5`, `1e3`), as `resource.ParseQuantity` reads them. */
import { type At, describeAt, quote, report, warn } from "./at";

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([KMGTPE]i|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** The value of a quantity in base units, for comparing requests with limits; undefined if invalid. */
export function quantityValue(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity);
  if (match === null) return undefined;
  const [, number, suffix, exponent] = match;
  if (exponent !== undefined) return Number(number) * 10 ** Number(exponent);
  const factor = BINARY[suffix ?? ""] ?? DECIMAL[suffix ?? ""];
  return Number(number) * factor;
}

/** A hint for the usual slips: `512MB`, `2gi`, `1K`. */
function hint(text: string): string {
  const joined = text.replace(/\s+/g, "");
  if (joined !== text && quantityValue(joined) !== undefined) {
    return `; remove the spaces: ${quote(joined)}`;
  }
  const match = /^([+-]?[\d.]+)\s*([A-Za-z]+)$/.exec(text.trim());
  if (match === null) return "";
  const [, number, suffix] = match;
  const binary = Object.keys(BINARY).find((s) => s.toLowerCase() === suffix.toLowerCase());
  if (binary !== undefined) return `; did you mean ${quote(`${number}${binary}`)}?`;
  const decimal = /^([kmgtpe])b?$/i.exec(suffix);
  if (decimal !== null) {
    const letter = decimal[1].toUpperCase() === "K" ? "k" : decimal[1].toUpperCase();
    const power = letter === "k" ? "Ki" : `${letter}i`;
    return (
      `; did you mean ${quote(`${number}${power}`)} (powers of 1024) or ` +
      `${quote(`${number}${letter}`)} (powers of 1000)?`
    );
  }
  return "";
}

/**
 * A Kubernetes quantity (`500m`, `2Gi`, `1.5`, `1e3`), returned as written (numbers as strings).
 * Negative quantities are errors: every quantity here is a resource amount. A negative value
 * that is also misspelt (`-512MB`) gets both problems in one message.
 */
export function checkQuantity(value: unknown, at: At): string | undefined {
  let text: string;
  if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else if (typeof value === "string") text = value;
  else {
    report(at, `expected a quantity such as "500m" or "512Mi", got ${describeAt(value, at)}`);
    return undefined;
  }
  const negative = /^\s*-/.test(text);
  const amount = quantityValue(text);
  if (amount === undefined) {
    const slip = at.hidden === true ? "" : hint(negative ? text.replace(/^\s*-/, "") : text);
    const shown = at.hidden === true ? describeAt(value, at) : quote(text);
    report(
      at,
      `${shown} is not a Kubernetes quantity` +
        (slip !== ""
          ? slip
          : "; write a number with an optional suffix: m (1/1000), k M G T P E, or " +
            'Ki Mi Gi Ti Pi Ei, e.g. "500m", "2", "512Mi"') +
        (negative ? "; and it must not be negative" : ""),
    );
    return undefined;
  }
  if (amount < 0) {
    report(
      at,
      `must not be negative, got ${at.hidden === true ? describeAt(value, at) : quote(text)}`,
    );
    return undefined;
  }
  return text;
}

/**
 * A memory quantity: {@link checkQuantity}, and a warning for milli-units (`512m` is 0.512
 * bytes, which Kubernetes accepts and no pod can run with: `512Mi` was meant).
 */
export function checkMemoryQuantity(value: unknown, at: At): string | undefined {
  const text = checkQuantity(value, at);
  const milli = text === undefined ? null : /^\s*([+]?[\d.]+)m\s*$/.exec(text);
  if (text !== undefined && milli !== null) {
    const bytes = Number(milli[1]) / 1000;
    warn(
      at,
      `${quote(text)} is ${bytes} bytes: "m" means thousandths, not megabytes; ` +
        `write ${quote(`${milli[1]}Mi`)} (mebibytes) or ${quote(`${milli[1]}M`)} (megabytes)`,
    );
  }
  return text;
}
