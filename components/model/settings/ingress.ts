/**
 * Checks of the shared Ingress's settings, alike in the controller config's
 * `integration-ingress-config` and in a stack's `ingress`: names, host, transport mode, and the
 * annotations (`ingress.properties` lines, or a map).
 */
import {
  type At,
  checkString,
  childAt,
  describeValue,
  dns1123SubdomainProblem,
  isMapping,
  oneOf,
  qualifiedNameProblem,
  report,
  suggestion,
  warn,
  quote,
} from "../rules";
import type { IngressDefaults } from "../types";
import { isIpAddress } from "../rules/kubernetes";

/** The deprecated annotation that becomes `spec.ingressClassName`. */
export const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

const TRANSPORT_MODES = ["http", "https"] as const;

/** A Kubernetes object name (RFC 1123 subdomain): an Ingress, a Secret, an IngressClass. */
export function checkObjectName(value: unknown, at: At): string | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  const problem = dns1123SubdomainProblem(text);
  if (problem !== undefined) {
    report(at, problem);
    return undefined;
  }
  return text;
}

/** An Ingress rule's host: a DNS name, optionally with a leading `*.` wildcard label. */
export function checkHost(value: unknown, at: At): string | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  const name = text.startsWith("*.") ? text.slice(2) : text;
  if (isIpAddress(name)) {
    report(
      at,
      `${quote(text)} is an IP address; Kubernetes refuses one as an Ingress host: give a DNS ` +
        "name that resolves to it",
    );
    return undefined;
  }
  const problem = dns1123SubdomainProblem(name);
  if (problem !== undefined) {
    report(at, `expected a host name such as "integrations.example.com": ${problem}`);
    return undefined;
  }
  return text;
}

/** `http` or `https`, the operator's `ingressTransportMode`. */
export function checkTransportMode(value: unknown, at: At): "http" | "https" | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  if (text === "http" || text === "https") return text;
  report(
    at,
    `expected ${oneOf(TRANSPORT_MODES)}, got ${quote(text)}${suggestion(text, TRANSPORT_MODES)}`,
  );
  return undefined;
}

/** Annotations, and the class taken out of them. */
export interface IngressAnnotations {
  annotations: Record<string, string>;
  /** From the deprecated `kubernetes.io/ingress.class` annotation, when it was there. */
  className?: string;
}

/** One annotation, checked; the ingress class is moved out of the annotations with a note. */
function addAnnotation(
  key: string,
  value: string,
  at: At,
  where: string,
  out: IngressAnnotations,
): void {
  const keyProblem = qualifiedNameProblem(key);
  if (keyProblem !== undefined) {
    report(at, `${where}annotation key ${quote(key)} is not valid: ${keyProblem}`);
    return;
  }
  if (key === INGRESS_CLASS_ANNOTATION) {
    const problem = dns1123SubdomainProblem(value);
    if (problem !== undefined) {
      report(at, `${where}ingress class: ${problem}`);
      return;
    }
    out.className = value;
    at.problems.note(
      at.source,
      at.path,
      `${where}the annotation ${INGRESS_CLASS_ANNOTATION} is deprecated; it is emitted as ` +
        `spec.ingressClassName: ${value}`,
    );
    return;
  }
  if (Object.hasOwn(out.annotations, key)) {
    warn(at, `${where}${quote(key)} is set again; the later value is used`);
  }
  out.annotations[key] = value;
}

/** Strips one pair of matching surrounding quotes. */
function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

/**
 * The operator's `ingress.properties`: `key: value` lines. Each line is split at its FIRST colon
 * only, so values keep any further `:` (the operator truncated them); keys and values are trimmed
 * and one pair of matching surrounding quotes is stripped; blank and `#` lines are skipped.
 * `kubernetes.io/ingress.class` becomes `className`, not an annotation.
 */
export function parseIngressProperties(value: unknown, at: At): IngressAnnotations | undefined {
  const text = checkString(value, at);
  if (text === undefined) return undefined;
  const out: IngressAnnotations = { annotations: {} };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `line ${i + 1}: `;
    const colon = line.indexOf(":");
    if (colon < 0) {
      report(at, `${where}expected "key: value", got ${quote(line)}`);
      return;
    }
    const key = line.slice(0, colon).trim();
    addAnnotation(key, unquote(line.slice(colon + 1).trim()), at, where, out);
  });
  return out;
}

/** Annotations written as a map of strings (a stack's `ingress.annotations`). */
export function checkAnnotationMap(value: unknown, at: At): IngressAnnotations | undefined {
  if (!isMapping(value)) {
    report(at, `expected a map of annotation names to strings, got ${describeValue(value)}`);
    return undefined;
  }
  const out: IngressAnnotations = { annotations: {} };
  for (const [key, v] of Object.entries(value)) {
    const here = childAt(at, key);
    const text = checkString(v, here);
    if (text !== undefined) addAnnotation(key, text, here, "", out);
  }
  return out;
}

/** The ingress fields a controller config and a stack both set, by their IngressDefaults names. */
export type IngressField = keyof Pick<
  IngressDefaults,
  "name" | "host" | "tlsSecretName" | "className" | "transportMode"
>;

/** Checks one of the plain ingress fields and stores it in `out`. */
export function checkIngressField(
  field: IngressField,
  value: unknown,
  at: At,
  out: Partial<IngressDefaults>,
): void {
  switch (field) {
    case "host":
      out.host = checkHost(value, at);
      return;
    case "transportMode":
      out.transportMode = checkTransportMode(value, at);
      return;
    default:
      out[field] = checkObjectName(value, at);
  }
}
