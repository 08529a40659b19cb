/**
 * The Kubernetes versions this project supports, and the API server's rules that depend on them:
 * whatever one of those versions would refuse is refused here first.
 */

/** The oldest Kubernetes minor version supported (the README states the range). */
export const OLDEST_KUBERNETES = "1.30";
/** The newest Kubernetes minor version supported. */
export const NEWEST_KUBERNETES = "1.36";
/** The supported range, for messages: `Kubernetes 1.30 to 1.36`. */
export const SUPPORTED_KUBERNETES = `Kubernetes ${OLDEST_KUBERNETES} to ${NEWEST_KUBERNETES}`;

/**
 * An environment variable name as Kubernetes before 1.32 validates it (`IsEnvVarName`): letters,
 * digits, `_`, `-` and `.`, not starting with a digit. From 1.32 (`RelaxedEnvironmentVariable
 * Validation`, on by default) any printable ASCII but `=` is accepted; the supported range starts
 * before that, so the stricter rule holds.
 */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Why `name` is no environment variable name every supported Kubernetes version accepts, or
 * undefined when it is one. `what` names it in the message ("an environment variable name", "an
 * envFrom prefix"). The name is not quoted: the caller decides whether it may be shown.
 */
export function envVarNameProblem(name: string, what: string): string | undefined {
  if (name === "") return "must not be empty";
  const before = `Kubernetes before 1.32 (the supported range is ${SUPPORTED_KUBERNETES})`;
  if (name === "." || name === ".." || name.startsWith("..")) {
    return `is not ${what} ${before} accepts: it must not be "." or "..", nor start with ".."`;
  }
  if (ENV_VAR_NAME.test(name)) return undefined;
  return (
    `is not ${what} ${before} accepts: use letters, digits, '_', '-' and '.', not starting ` +
    "with a digit"
  );
}

/** The most bytes all of an object's annotations may hold, keys and values (`TotalAnnotationSizeLimitB`). */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

/** The bytes annotations count towards {@link MAX_ANNOTATION_BYTES}: every key and value, in UTF-8. */
export function annotationBytes(annotations: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    total += Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8");
  }
  return total;
}

/**
 * Why `annotations` are too large for one object, or undefined when they fit; `what` names them
 * ("the Ingress's annotations").
 */
export function annotationSizeProblem(
  annotations: Readonly<Record<string, string>>,
  what: string,
): string | undefined {
  const bytes = annotationBytes(annotations);
  if (bytes <= MAX_ANNOTATION_BYTES) return undefined;
  return (
    `${what} hold ${bytes} bytes (keys and values); the API server refuses an object ` +
    `whose annotations hold more than ${MAX_ANNOTATION_BYTES} (256 KiB)`
  );
}

/** An IPv4 address in dotted form, which Kubernetes refuses as an Ingress host. */
const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/** Whether `host` is an IP address (IPv4, or IPv6 with its colons), not a DNS name. */
export function isIpAddress(host: string): boolean {
  return IPV4.test(host) || (host.includes(":") && /^\[?[0-9a-fA-F:.]+\]?$/.test(host));
}

/**
 * Micro Integrator's own listening ports, which an inbound endpoint cannot take: its HTTPS
 * pass-through, management API, and internal API and health check.
 */
export const MI_RESERVED_PORTS: ReadonlyMap<number, string> = new Map([
  [8253, "Micro Integrator's HTTPS pass-through port"],
  [9164, "Micro Integrator's management API port"],
  [9201, "Micro Integrator's internal API and health-check port"],
]);
