/**
 * Container image references: the one parser behind both the CR validator (`spec.image`) and the
 * registry client. The grammar and normalisation are those of distribution's `reference` package
 * (`ParseNormalizedNamed`, what `docker pull`, containerd and the kubelet use): `nginx` is
 * `docker.io/library/nginx:latest`. It is stricter than Docker where a pull would fail or some
 * clients refuse: a digest is `sha256` or `sha512` (the algorithms the OCI image spec registers;
 * Docker also takes `sha384`), a registry port is 1 to 65535, a bracketed registry host is an IPv6
 * address (distribution takes any hex digits and colons), the name counts its registry in the
 * 255-character limit (as the OCI distribution spec says many clients do; Docker counts the
 * repository alone), and a first component Docker takes for a host must be a valid host (Docker
 * then quietly parses the reference with no registry at all).
 *
 * No imports: the registry client, which the dynamic provider requires in the engine's process,
 * loads this module, and so does the spec layer.
 */

/** The most characters of any value a message shows (as `quote` in `at.ts`, not imported). */
const SHOWN = 60;

/** `text` quoted for a message, cut to its start and length past {@link SHOWN} characters. */
function quote(text: string): string {
  if (text.length <= SHOWN) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, SHOWN))}... (${text.length} characters)`;
}

/**
 * A login before the registry: `user:password@host/...`, or anything before `@` after a scheme
 * (`https://user@host`). Never `name:tag@sha256:...`, whose `@` starts a digest, nor `a:b@c`
 * without a `/` after it, which is a tag and a (bad) digest.
 */
const LOGIN = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/@]*@|[^/@:]*:[^/@]*@[^/@]*\/)/i;

/**
 * Why `value` must not be shown: it holds a login (`user:password@registry/app`), which an image
 * reference never does; undefined when it holds none. Messages then never quote the reference.
 */
export function imageLoginProblem(value: string): string | undefined {
  if (!LOGIN.test(value)) return undefined;
  return (
    "it holds a login (user:password@ before the registry; not shown), which an image " +
    "reference never does: remove it, and give the registry's credentials as an imagePullSecret"
  );
}

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** Registry host with optional port, e.g. `docker.io`, `localhost:5000`, `[::1]:5000`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`, `team/sub/app`. */
  repository: string;
  /** The tag; `latest` when the reference names neither a tag nor a digest, else absent when only a digest is given. */
  tag?: string;
  /** The digest (`sha256:<64 hex>` or `sha512:<128 hex>`), when the reference is pinned. */
  digest?: string;
}

/** What {@link readImageReference} makes of a reference: the parsed reference, or what is wrong. */
export type ImageReferenceReading =
  { reference: ImageReference; problem?: undefined } | { reference?: undefined; problem: string };

/** Docker Hub's name in references. */
export const DOCKER_HUB = "docker.io";

const DOCKER_HUB_LEGACY = "index.docker.io";
const DOCKER_HUB_API = "registry-1.docker.io";
const OFFICIAL_PREFIX = "library/";
const NAME_MAX_LENGTH = 255;
/** The highest registry port. */
export const REGISTRY_PORT_MAX = 65_535;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*$`);
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const TAG = /^\w[\w.-]{0,127}$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;
const LOWER_HEX = /^[a-f0-9]*$/;
const DIGEST_ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const DIGEST_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ["sha256", 64],
  ["sha512", 128],
]);

function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(":");
  const algorithm = colon < 0 ? "" : digest.slice(0, colon);
  const length = DIGEST_HEX_LENGTHS.get(algorithm);
  if (length === undefined && DIGEST_ALGORITHM.test(algorithm)) {
    return (
      `digest algorithm ${quote(algorithm)} is not supported: write "sha256:" and 64 ` +
      `lower-case hex digits (or "sha512:" and 128), the algorithms the OCI image spec registers`
    );
  }
  const hex = digest.slice(colon + 1);
  if (length !== undefined && hex.length === length && LOWER_HEX.test(hex)) return undefined;
  const [name, digits] = length === 128 ? ["sha512", 128] : ["sha256", 64];
  return `digest ${quote(digest)} is not valid: write "${name}:" and ${digits} lower-case hex digits`;
}

/** Why {@link registryHostFault} refuses a registry's `host[:port]`: which part, and the port as written. */
export type RegistryHostFault =
  { part: "host" } | { part: "port"; port: string; reason: "not a number" | "out of range" };

/** Whether `text` is an IPv6 address in hex groups (no zone, no dotted IPv4 tail), as RFC 4291 writes it. */
function isIPv6Address(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === "" ? [] : half.split(":")));
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/**
 * What is wrong with `registry` as a registry's `host[:port]`, or undefined when it is one: the
 * grammar of distribution/reference's `domainAndPort`, which both an image reference's registry
 * and an `imageRefresh.insecureRegistries` entry follow. The host is a DNS name (dot-separated
 * labels of letters, digits and inner '-', any case, no trailing dot) or an IPv6 address in
 * brackets (hex groups only: no zone, no IPv4-mapped form, as distribution excludes them); the
 * port is digits (leading zeros allowed, as Docker allows them) of value 1 to 65535.
 */
export function registryHostFault(registry: string): RegistryHostFault | undefined {
  const hostEnd = registry.startsWith("[") ? registry.indexOf("]") + 1 : 0;
  const colon = registry.indexOf(":", hostEnd);
  const host = colon < 0 ? registry : registry.slice(0, colon);
  const ipv6 = IPV6_HOST.test(host) && isIPv6Address(host.slice(1, -1));
  if (!ipv6 && !DOMAIN_NAME.test(host)) return { part: "host" };
  if (colon < 0) return undefined;
  const port = registry.slice(colon + 1);
  if (!/^\d+$/.test(port)) return { part: "port", port, reason: "not a number" };
  const number = Number(port);
  if (number < 1 || number > REGISTRY_PORT_MAX)
    return { part: "port", port, reason: "out of range" };
  return undefined;
}

function registryProblem(registry: string): string | undefined {
  const fault = registryHostFault(registry);
  if (fault === undefined) return undefined;
  if (fault.part === "host") {
    return `registry host ${quote(registry)} is not valid: use a host name such as "registry.example.com" or "localhost:5000"`;
  }
  if (fault.reason === "not a number") {
    return `registry port ${quote(fault.port)} in ${quote(registry)} must be a number`;
  }
  return `registry port ${fault.port} in ${quote(registry)} must be between 1 and ${REGISTRY_PORT_MAX}`;
}

function lowerCaseProblem(component: string): string {
  return `the repository name must be lower case: ${quote(component)} should be ${quote(component.toLowerCase())}`;
}

function pathComponentProblem(component: string): string | undefined {
  if (PATH_COMPONENT.test(component)) return undefined;
  if (PATH_COMPONENT.test(component.toLowerCase())) return lowerCaseProblem(component);
  if (component === "") {
    return "the repository name has an empty path component ('//' or a '/' at either end)";
  }
  return (
    `${quote(component)} is not a valid repository path component: use lower-case letters and ` +
    "digits, separated by '.', '_', '__' or '-'"
  );
}

/**
 * Splits `name` (no tag, no digest) into registry and repository as Docker does: the first
 * component is a registry when it holds a `.` or a `:`, is `localhost`, or has upper case (which a
 * repository cannot); else the registry is Docker Hub, where a single name gets `library/`.
 */
function splitRegistry(name: string): { registry: string; repository: string } | string {
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const upper = first.toLowerCase() !== first;
  if (slash < 0 || !(/[.:]/.test(first) || first === "localhost" || upper)) {
    return { registry: DOCKER_HUB, repository: name.includes("/") ? name : OFFICIAL_PREFIX + name };
  }
  const problem = registryProblem(first);
  if (problem !== undefined) {
    // Upper case alone made it a registry: a namespace in the wrong case is the likelier mistake.
    const namespace = !/[.:]/.test(first) && PATH_COMPONENT.test(first.toLowerCase());
    return namespace ? lowerCaseProblem(first) : problem;
  }
  const registry = first === DOCKER_HUB_LEGACY ? DOCKER_HUB : first;
  const rest = name.slice(slash + 1);
  const official = registry === DOCKER_HUB && !rest.includes("/");
  return { registry, repository: official ? OFFICIAL_PREFIX + rest : rest };
}

/**
 * Reads `value` as an image reference, `registry/repository[:tag][@digest]`, normalised as Docker
 * normalises it: no registry means Docker Hub (`docker.io`, which `index.docker.io` also names), a
 * single-component Hub name gets `library/`, and a reference with neither tag nor digest gets the
 * tag `latest`. See the module comment for the grammar.
 * @returns the reference, or the first problem found, worded to say what would be right.
 */
export function readImageReference(value: string): ImageReferenceReading {
  const fail = (problem: string): ImageReferenceReading => ({ problem });
  if (value.trim() === "") return fail("must not be empty");
  if (/\s/.test(value)) return fail("must not contain spaces");
  const login = imageLoginProblem(value);
  if (login !== undefined) return fail(login);
  const scheme = /^[a-z]+:\/\//i.exec(value);
  if (scheme !== null) {
    return fail(`remove ${quote(scheme[0])}: an image reference has no scheme`);
  }
  if (IMAGE_ID.test(value)) {
    return fail("a 64-character hexadecimal string is an image ID, not a reference");
  }

  let name = value;
  let digest: string | undefined;
  const at = name.indexOf("@");
  if (at >= 0) {
    digest = name.slice(at + 1);
    const problem = digestProblem(digest);
    if (problem !== undefined) return fail(problem);
    name = name.slice(0, at);
  }
  if (name.startsWith("[") && !name.includes("/")) {
    return fail(
      'the repository name is missing: write it after the registry, as in "[::1]:5000/team/app"',
    );
  }
  let tag: string | undefined;
  const colon = name.indexOf(":", name.lastIndexOf("/") + 1);
  if (colon >= 0) {
    tag = name.slice(colon + 1);
    if (!TAG.test(tag)) {
      return fail(
        `tag ${quote(tag)} is not valid: up to 128 letters, digits, '_', '.' and '-', ` +
          "not starting with '.' or '-'",
      );
    }
    name = name.slice(0, colon);
  }
  if (name === "") return fail("the repository name is missing");

  const split = splitRegistry(name);
  if (typeof split === "string") return fail(split);
  const { registry, repository } = split;
  for (const component of repository.split("/")) {
    const problem = pathComponentProblem(component);
    if (problem !== undefined) return fail(problem);
  }
  const full = `${registry}/${repository}`;
  if (full.length > NAME_MAX_LENGTH) {
    return fail(
      `the repository name is longer than ${NAME_MAX_LENGTH} characters: ` +
        `"${full.slice(0, 40)}..." has ${full.length}, counting the registry`,
    );
  }

  const reference: ImageReference = { registry, repository };
  if (tag !== undefined || digest === undefined) reference.tag = tag ?? "latest";
  if (digest !== undefined) reference.digest = digest;
  return { reference };
}

/**
 * Parses `ref` as {@link readImageReference} reads it.
 * @throws Error `Invalid image reference "<ref>": <what is wrong>.`
 */
export function parseImageReference(ref: string): ImageReference {
  const reading = readImageReference(ref);
  if (reading.problem !== undefined) {
    // A reference that holds a login is never shown; the problem says so.
    const shown = imageLoginProblem(ref) === undefined ? ` ${quote(ref)}` : "";
    throw new Error(`Invalid image reference${shown}: ${reading.problem}.`);
  }
  return reading.reference;
}

/**
 * The digest `image` is pinned to (`repo@sha256:...`, with or without a tag), read as
 * {@link readImageReference} reads it; undefined when it names no digest or is not a reference.
 */
export function pinnedDigest(image: string): string | undefined {
  return readImageReference(image).reference?.digest;
}

/**
 * Whether `digest` is a digest a reference may carry: `sha256:` and 64 lower-case hex digits, or
 * `sha512:` and 128.
 */
export function isValidDigest(digest: string): boolean {
  return digestProblem(digest) === undefined;
}

/**
 * The reference pinned to `digest`: `registry/repository[:tag]@digest`, with the registry always
 * written (Docker Hub as `docker.io/library/nginx:1.25@sha256:...`) and the tag kept when the
 * reference has one, so that a reader still sees which tag was deployed. Kubernetes (and every
 * container runtime) pulls such a reference by its digest alone.
 */
export function formatPinned(ref: ImageReference, digest: string): string {
  const tag = ref.tag === undefined ? "" : `:${ref.tag}`;
  return `${ref.registry}/${ref.repository}${tag}@${digest}`;
}

/** The reference written out in full: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag === undefined ? "" : `:${ref.tag}`;
  const digest = ref.digest === undefined ? "" : `@${ref.digest}`;
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** The host that serves the registry API for `registry`: Docker Hub's is `registry-1.docker.io`. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** The host of `registry` without its port, brackets kept for IPv6 (`[::1]`). */
export function registryHostname(registry: string): string {
  const match = /^(\[[^\]]*\]|[^:]*)/.exec(registry);
  return match?.[1] ?? registry;
}

/** Whether `registry` is on loopback (`localhost`, `127.0.0.0/8`, `[::1]`): Docker talks plain HTTP to those. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registryHostname(registry).toLowerCase();
  return (
    host === "localhost" ||
    host === "[::1]" ||
    /^127\.(?:\d{1,3})\.(?:\d{1,3})\.(?:\d{1,3})$/.test(host)
  );
}
