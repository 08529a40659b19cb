/** What went wrong talking to a registry, for callers that decide what to do about it. */
export type RegistryErrorKind = "auth" | "not-found" | "unreachable" | "timeout" | "protocol";

/**
 * A registry lookup that failed. The message names the image and the registry, says what to do,
 * and never contains a credential.
 */
export class RegistryError extends Error {
  /** The image reference as the caller wrote it. */
  readonly image: string;
  /** The registry host[:port] of the image, e.g. `docker.io` or `localhost:5000`. */
  readonly registry: string;
  /**
   * `auth`: missing, rejected or insufficient credentials; `not-found`: unknown repository or tag;
   * `unreachable`: refused, unresolvable, or answering 5xx/429 after every retry; `timeout`: no
   * answer in time; `protocol`: an answer this client cannot use (bad digest, TLS, unexpected status).
   */
  readonly kind: RegistryErrorKind;

  constructor(image: string, registry: string, kind: RegistryErrorKind, message: string) {
    super(message);
    this.name = "RegistryError";
    this.image = image;
    this.registry = registry;
    this.kind = kind;
  }
}

/**
 * A failure below the registry protocol (connection, TLS, timeout, status after retries), before
 * it is known which image it concerns. The client turns it into a {@link RegistryError}.
 */
export class TransportError extends Error {
  constructor(
    readonly kind: "unreachable" | "timeout" | "protocol",
    /** What happened, as a sentence fragment without the image, e.g. `the connection to http://h was refused`. */
    readonly problem: string,
    /** What to do about it. */
    readonly hint: string,
    /** Whether trying again may help (a dropped connection). */
    readonly retryable = false,
  ) {
    super(`${problem}. ${hint}`);
    this.name = "TransportError";
  }
}

/**
 * Replaces every occurrence of each secret (at least 4 characters long) in `text` with `***`, and
 * whatever looks like a credential whether known or not: the token after `Basic` or `Bearer`,
 * and a URL's login (`https://user:password@host` becomes `https://***@host`).
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("***");
  }
  return out
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{4,}/gi, "$1 ***")
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s"]+@/gi, "$1***@");
}

/** Credentials that could not be read (a broken Docker config file or credential helper). */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialError";
  }
}
