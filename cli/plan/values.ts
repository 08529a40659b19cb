/**
 * The values a plan compares: plain JSON, with secret env values wrapped so that no format can
 * print them, and the one way every format writes a value.
 */
import { compareStrings } from "../../components/model/rules/order";
import { NAMED_VALUE_LISTS, isMapping, looksSecret } from "../../components/model/rules";
import { type Manifest, withConfigSecretsMasked } from "../common/manifests";

/** The text every format shows in place of a secret value. */
export const SECRET_TEXT = "[secret]";

const RAW = new WeakMap<Secret, string>();

/**
 * A secret value: compared by its content, shown as {@link SECRET_TEXT} by `toJSON` and
 * `toString`. The content is kept outside the object, so no serialiser (YAML, `util.inspect`)
 * can reach it.
 */
export class Secret {
  constructor(value: unknown) {
    RAW.set(this, JSON.stringify(value) ?? "");
  }

  /** Whether two secrets hold the same value. */
  equals(other: Secret): boolean {
    return RAW.get(this) === RAW.get(other);
  }

  toJSON(): string {
    return SECRET_TEXT;
  }

  toString(): string {
    return SECRET_TEXT;
  }
}

/** A JSON value as a plan holds it. */
export type Value = null | boolean | number | string | Secret | Value[] | { [key: string]: Value };

/** A mapping of a plan's values. */
export type Mapping = { [key: string]: Value };

/** Whether a value is a mapping (not a list, not a secret). */
export function isValueMapping(value: Value | undefined): value is Mapping {
  return isMapping(value) && !(value instanceof Secret);
}

/**
 * `object` as plain JSON (undefined fields dropped, keys sorted, as render writes it), with the `value` of
 * every env variable and probe header whose name looks secret (`looksSecret`) replaced by a
 * {@link Secret}, wherever an `env` or `httpHeaders` list appears.
 */
export function maskSecrets(object: unknown): Value {
  const plain = JSON.parse(JSON.stringify(object) ?? "null") as Value;
  return mask(
    isValueMapping(plain)
      ? (withConfigSecretsMasked(plain as unknown as Manifest) as unknown as Value)
      : plain,
  );
}

function mask(value: Value): Value {
  if (Array.isArray(value)) return value.map(mask);
  if (!isValueMapping(value)) return value;
  const out: Mapping = {};
  for (const key of Object.keys(value).sort(compareStrings)) {
    const field = value[key];
    out[key] =
      NAMED_VALUE_LISTS.includes(key) && Array.isArray(field)
        ? field.map(maskNamedValue)
        : mask(field);
  }
  return out;
}

function maskNamedValue(item: Value): Value {
  if (!isValueMapping(item)) return mask(item);
  const masked = mask(item);
  if (!isValueMapping(masked)) return masked;
  if (typeof item.name === "string" && looksSecret(item.name) && "value" in item) {
    masked.value = new Secret(item.value);
  }
  return masked;
}

/** Deep equality of two values; secrets equal when their contents do. */
export function equalValues(a: Value | undefined, b: Value | undefined): boolean {
  if (a instanceof Secret || b instanceof Secret) {
    return a instanceof Secret && b instanceof Secret && a.equals(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => equalValues(item, b[i]));
  }
  if (isValueMapping(a) || isValueMapping(b)) {
    if (!isValueMapping(a) || !isValueMapping(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => key in b && equalValues(a[key], b[key]));
  }
  return a === b;
}

/** A string that reads as itself: not empty, one line, no edge spaces, not a number or keyword. */
const BARE = /^[^\s"'{}[\],#&*!|>%@`][^\n]*$/;
const LOOKS_TYPED = /^(?:true|false|null|~|[-+]?(?:\d|\.\d)[\d.eE+_-]*)$/;

/**
 * One value on one line, as every format shows it: strings bare when they read unambiguously
 * (`ex/app:1`), else quoted; lists and mappings in flow style (`{name: a, port: 8290}`);
 * secrets as {@link SECRET_TEXT}.
 */
export function formatValue(value: Value | undefined): string {
  if (value === undefined) return "(none)";
  if (value instanceof Secret) return SECRET_TEXT;
  if (typeof value === "string") {
    const bare = BARE.test(value) && value.trim() === value && !LOOKS_TYPED.test(value);
    return bare && !value.includes(" => ") && !value.includes(": ") ? value : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (isValueMapping(value)) {
    const fields = Object.entries(value).map(
      ([key, field]) => `${formatValue(key)}: ${formatValue(field)}`,
    );
    return `{${fields.join(", ")}}`;
  }
  return String(value);
}
