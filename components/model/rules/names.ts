/** Kubernetes names: RFC 1123 labels and subdomains, IANA service names, label keys and values. */
import { quote } from "./at";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label: lower-case alphanumerics and '-', alphanumeric at both ends, at most 63. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && LABEL.test(value);
}

/** RFC 1123 subdomain: labels joined by '.', at most 253. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && value.split(".").every((part) => LABEL.test(part));
}

/** A name made valid: lower case, other characters replaced by '-', trimmed; for suggestions. */
function repaired(value: string, keepDots: boolean): string {
  const allowed = keepDots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g;
  return value
    .toLowerCase()
    .replace(allowed, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
}

/**
 * Why `value` is not an RFC 1123 label of at most `max` characters (default 63), or undefined
 * when it is one. The text names the rule and, where it can, a corrected name.
 */
export function dns1123LabelProblem(value: string, max = 63): string | undefined {
  if (value === "") return "must not be empty";
  if (value.length > max) return `is ${value.length} characters long; at most ${max} are allowed`;
  if (LABEL.test(value)) return undefined;
  return nameProblem(value, false);
}

/** Why `value` is not an RFC 1123 subdomain, or undefined when it is one. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value === "") return "must not be empty";
  if (value.length > 253) return `is ${value.length} characters long; at most 253 are allowed`;
  if (isDns1123Subdomain(value)) return undefined;
  return nameProblem(value, true);
}

function nameProblem(value: string, dots: boolean): string {
  const rule = dots
    ? "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"
    : "lower-case letters, digits and '-', starting and ending with a letter or digit";
  const fixed = repaired(value, dots);
  // A suggestion that would read as the input (two long names cut alike) helps no one.
  const shown = (text: string): string => quote(text).replace(/ \(\d+ characters\)$/, "");
  const advice = fixed !== "" && shown(fixed) !== shown(value) ? `, e.g. ${quote(fixed)}` : "";
  return `${quote(value)} is not a valid name: use only ${rule}${advice}`;
}

/** An IANA service name as Kubernetes accepts for named ports: `[a-z0-9-]{1,15}`, with a letter, no `--`. */
export function isIanaServiceName(value: string): boolean {
  return value.length <= 15 && LABEL.test(value) && /[a-z]/.test(value) && !value.includes("--");
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why `key` is not a valid label or annotation key (`[prefix/]name`), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && dns1123SubdomainProblem(prefix) !== undefined) {
    return `the prefix ${quote(prefix)} must be a DNS subdomain such as "example.com"`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return (
      `${quote(name)} must be 1-63 characters: letters, digits, '-', '_' and '.', ` +
      "starting and ending with a letter or digit"
    );
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length <= 63 && QUALIFIED_NAME.test(value)) return undefined;
  return (
    "a label value must be at most 63 characters: letters, digits, '-', '_' and '.', " +
    "starting and ending with a letter or digit"
  );
}
