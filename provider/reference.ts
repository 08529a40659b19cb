/**
 * Container image references, parsed and normalised the way Docker does (the grammar of
 * distribution's `reference` package): `nginx` is `docker.io/library/nginx:latest`.
 */

import { DOMAIN_COMPONENT_SOURCE, PATH_COMPONENT, TAG } from "../components/spec/rules/image";

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** Registry host with optional port, e.g. `docker.io`, `localhost:5000`, `[::1]:5000`. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`, `team/sub/app`. */
  repository: string;
  /** The tag; `latest` when the reference names neither a tag nor a digest, else absent when only a digest is given. */
  tag?: string;
  /** The digest (`sha256:<64 hex>`), when the reference is pinned. */
  digest?: string;
}

/** Docker Hub's name in references. */
export const DOCKER_HUB = "docker.io";

const DOCKER_HUB_API = "registry-1.docker.io";
const NAME_MAX_LENGTH = 255;

const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT_SOURCE}(?:\\.${DOMAIN_COMPONENT_SOURCE})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const HEX_64 = /^[a-f0-9]{64}$/;
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * Whether `digest` is a well-formed content digest: `sha256:` and 64 lowercase hex digits (or
 * `sha384:`/`sha512:` with 96/128), as the OCI image spec requires.
 */
export function isValidDigest(digest: string): boolean {
  const colon = digest.indexOf(":");
  if (colon < 0) return false;
  const length = DIGEST_LENGTHS[digest.slice(0, colon)];
  const hex = digest.slice(colon + 1);
  return length !== undefined && hex.length === length && /^[a-f0-9]+$/.test(hex);
}

/**
 * Parses `ref` with Docker's normalisation: no registry means Docker Hub (`docker.io`), a
 * single-component Hub name gets `library/`, `index.docker.io` is `docker.io`, and a reference with
 * neither tag nor digest gets the tag `latest`. A first component is a registry when it holds a `.`
 * or a `:` (a port), is `localhost`, or has upper case letters. Accepts `name:tag@digest`.
 * @throws Error naming the reference and what is wrong with it.
 */
export function parseImageReference(ref: string): ImageReference {
  const fail = (why: string): never => {
    throw new Error(`Invalid image reference "${ref}": ${why}.`);
  };
  if (ref === "") fail("it is empty");
  if (HEX_64.test(ref)) fail("a 64-character hexadecimal string is an image ID, not a reference");

  const at = ref.indexOf("@");
  const nameAndTag = at < 0 ? ref : ref.slice(0, at);
  const digest = at < 0 ? undefined : ref.slice(at + 1);
  if (digest !== undefined && !isValidDigest(digest)) {
    fail(`the digest "${digest}" should be sha256: followed by 64 lowercase hex digits`);
  }

  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > nameAndTag.lastIndexOf("/");
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) {
    fail(
      `the tag "${tag}" should be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
    );
  }

  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const isDomain =
    slash >= 0 && (/[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first);
  let registry = isDomain ? first : DOCKER_HUB;
  let repository = isDomain ? name.slice(slash + 1) : name;
  if (!DOMAIN.test(registry)) fail(`"${registry}" is not a valid registry host[:port]`);
  if (registry === "index.docker.io") registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;

  if (repository === "") fail("the repository name is empty");
  if (repository !== repository.toLowerCase()) fail("the repository name must be lowercase");
  const bad = repository.split("/").find((part) => !PATH_COMPONENT.test(part));
  if (bad !== undefined) {
    fail(
      `"${bad}" is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')`,
    );
  }
  if (`${registry}/${repository}`.length > NAME_MAX_LENGTH) {
    fail(`the name is longer than ${NAME_MAX_LENGTH} characters`);
  }

  const result: ImageReference = { registry, repository };
  if (tag !== undefined || digest === undefined) result.tag = tag ?? "latest";
  if (digest !== undefined) result.digest = digest;
  return result;
}

/**
 * The reference pinned to `digest`: `registry/repository@digest`, with the registry always written
 * (Docker Hub as `docker.io/library/nginx@sha256:...`, the form Docker itself prints) and no tag.
 */
export function formatPinned(ref: ImageReference, digest: string): string {
  return `${ref.registry}/${ref.repository}@${digest}`;
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
