/**
 * The registry client: resolves an image tag to the digest its registry serves now, with the
 * registry API (`HEAD /v2/<name>/manifests/<tag>`), bearer-token and basic auth, Docker config
 * credentials, timeouts and bounded retries.
 *
 * No Pulumi imports and no module-level state: the dynamic provider `require`s this module inside
 * its methods, in the engine's process, and builds a client there.
 */
import { createHash } from "node:crypto";
import {
  basicAuthorization,
  TokenCache,
  TokenError,
  type Challenge,
  type Credential,
} from "./auth";
import {
  configKeyHost,
  dockerConfigCredentials,
  dockerConfigPath,
  type FoundCredential,
} from "./dockerConfig";
import { CredentialError, redact, RegistryError, TransportError } from "./errors";
import { errorCodes, pickChallenge, statusFailure, tokenFailure, type Failure } from "./messages";
import { Transport, type HttpResponse } from "./http";
import { chooseTag, describeTagPolicy } from "../../components/model/rules/tagPolicy";
import type { TagPolicy } from "../../components/model/types";
import {
  formatPinned,
  formatReference,
  isLoopbackRegistry,
  isValidDigest,
  parseImageReference,
  registryApiHost,
  registryHostname,
  type ImageReference,
} from "../../components/model/rules/imageReference";

export { RegistryError, type RegistryErrorKind } from "./errors";

/**
 * A registry login. A `username` of `<token>` makes `password` an identity token (an OAuth2
 * refresh token), as Docker's credential helpers do.
 */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** How the client finds credentials and talks to registries. */
export interface ResolveOptions {
  /** Docker config file (`auths`, `credHelpers`, `credsStore`); default $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
  dockerConfig?: string;
  /** Explicit credentials per registry host (from stack config secrets); win over the Docker config. */
  credentials?: Record<string, RegistryCredentials>;
  /** Registries reached over plain HTTP although not on loopback. Loopback always uses HTTP, as Docker does. */
  insecureRegistries?: string[];
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  /** Retries on 5xx and 429 (honouring Retry-After, capped at 10 s). Default 3. */
  retries?: number;
  /** Tags asked for per page of a tag list (`?n=`); the registry may send fewer. Default 1000. */
  tagsPageSize?: number;
}

/** A resolved image: its digest and the reference pinned to it. */
export interface Resolved {
  /** `sha256:<64 hex>`. */
  digest: string;
  /** `registry/repository@digest`, e.g. `docker.io/library/nginx@sha256:...`. */
  pinned: string;
  /** The tag a policy chose (see {@link RegistryClient.resolveByPolicy}). */
  tag?: string;
}

/** The four manifest media types, lists first: a multi-platform tag resolves to its index. */
export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
];

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;
const MAX_CONCURRENCY = 8;
const RETRY_AFTER_CAP_MS = 10_000;
const BACKOFF_MS = 200;
const CLIENT_ID = "wso2-mi-pulumi";
const DEFAULT_TAGS_PAGE_SIZE = 1000;
/** A tag list longer than this many pages, or tags, is refused: no real repository has one. */
const MAX_TAG_PAGES = 1000;
const MAX_TAGS = 100_000;
const ACCEPT = MANIFEST_MEDIA_TYPES.join(", ");

/** What the client knows about one registry: its auth challenge and its credentials. */
interface RegistryState {
  /** The last challenge seen, without its scope; lets later requests authenticate up front. */
  challenge?: Challenge;
  credential?: Promise<FoundCredential | undefined>;
}

/** One lookup in progress. */
interface Lookup {
  image: string;
  ref: ImageReference & { tag: string };
  /** `repository:<name>:pull`. */
  scope: string;
}

/** A registry answer and the credential it was sent with, if any. */
interface Answer {
  response: HttpResponse;
  credential?: FoundCredential;
}

/**
 * Resolves image tags to digests. Holds keep-alive connections, each registry's auth challenge and
 * credentials, and bearer tokens per registry and scope until they expire; at most 8 requests run
 * at once per host. Call {@link RegistryClient.close} when done to drop idle connections.
 */
export class RegistryClient {
  private readonly transport: Transport;
  private readonly tokens: TokenCache;
  private readonly registries = new Map<string, RegistryState>();
  private readonly inFlight = new Map<string, Promise<Resolved>>();
  private readonly secrets = new Set<string>();
  private readonly timeoutMs: number;

  constructor(private readonly options: ResolveOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const retries = options.retries ?? DEFAULT_RETRIES;
    if (!(this.timeoutMs > 0 && Number.isFinite(this.timeoutMs))) {
      throw new RangeError(
        `timeoutMs should be a positive number of milliseconds, not ${this.timeoutMs}`,
      );
    }
    if (!(Number.isInteger(retries) && retries >= 0)) {
      throw new RangeError(`retries should be a whole number, 0 or more, not ${retries}`);
    }
    this.transport = new Transport({
      timeoutMs: this.timeoutMs,
      retries,
      maxConcurrency: MAX_CONCURRENCY,
      retryAfterCapMs: RETRY_AFTER_CAP_MS,
      backoffMs: BACKOFF_MS,
    });
    this.tokens = new TokenCache(this.transport, CLIENT_ID);
    for (const credentials of Object.values(options.credentials ?? {})) {
      this.secrets.add(credentials.password);
    }
  }

  /** How many bearer tokens this client has requested from token servers. */
  get tokenRequests(): number {
    return this.tokens.fetches;
  }

  /**
   * The digest the registry serves now for `image` (a tag; `latest` when none is given), and the
   * reference pinned to it. An image pinned by digest returns its digest with no request.
   * @throws Error when `image` is not a valid reference.
   * @throws RegistryError when the registry cannot tell (auth, not found, unreachable, timeout,
   * protocol); its message names the image and the registry, and holds no credential.
   */
  async resolve(image: string): Promise<Resolved> {
    const ref = parseImageReference(image);
    if (ref.digest !== undefined)
      return { digest: ref.digest, pinned: formatPinned(ref, ref.digest) };
    const key = formatReference(ref);
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      const lookup: Lookup = {
        image,
        ref: { ...ref, tag: ref.tag ?? "latest" },
        scope: `repository:${ref.repository}:pull`,
      };
      pending = this.lookup(lookup).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Drops idle keep-alive connections. The client still works afterwards, opening new ones. */
  close(): void {
    this.transport.close();
  }

  /**
   * Every tag of `image`'s repository (`GET /v2/<name>/tags/list`), following the registry's
   * pages (`?n=` and the `Link: <...>; rel="next"` header) on the registry's own origin.
   * @throws RegistryError as {@link RegistryClient.resolve} does; `protocol` for a listing that
   * is not JSON, leaves the registry, repeats a page, or runs past 1,000 pages or 100,000 tags.
   */
  async listTags(image: string): Promise<string[]> {
    const lookup = this.lookupOf(image);
    const size = this.options.tagsPageSize ?? DEFAULT_TAGS_PAGE_SIZE;
    let url = new URL(
      `${this.baseUrl(lookup.ref.registry)}/v2/${lookup.ref.repository}/tags/list?n=${size}`,
    );
    const tags: string[] = [];
    const seen = new Set<string>();
    const refuse = (problem: string): RegistryError =>
      this.error(lookup, { kind: "protocol", problem, hint: "Check the registry's tag listing" });
    try {
      for (;;) {
        if (seen.size >= MAX_TAG_PAGES)
          throw refuse(`the tag list runs past ${MAX_TAG_PAGES} pages`);
        if (seen.has(url.href)) throw refuse("the tag list links back to a page it already sent");
        seen.add(url.href);
        const answer = await this.send(lookup, "GET", url);
        if (answer.response.status !== 200) {
          throw this.error(
            lookup,
            statusFailure(lookup.ref, answer.response, answer.credential, this.lookedIn()),
          );
        }
        const page = tagsOfPage(answer.response.body);
        if (page === undefined) throw refuse("the registry's tag list is not a JSON list of tags");
        tags.push(...page);
        if (tags.length > MAX_TAGS) throw refuse(`the tag list holds more than ${MAX_TAGS} tags`);
        const link = answer.response.headers.link;
        const next = nextPage(Array.isArray(link) ? link.join(", ") : link, url);
        if (next === undefined) return tags;
        if (next.origin !== url.origin)
          throw refuse(`the tag list's next page is on ${next.origin}`);
        url = next;
      }
    } catch (error) {
      throw this.registryError(lookup, error);
    }
  }

  /**
   * The newest tag of `image`'s repository that `policy` deploys, and its digest (`digest`: the
   * tag as written, as {@link RegistryClient.resolve}). The result's `tag` is the chosen tag.
   * @throws RegistryError `not-found` when no tag fits, else as {@link RegistryClient.listTags}.
   */
  async resolveByPolicy(image: string, policy: TagPolicy): Promise<Resolved> {
    const ref = parseImageReference(image);
    const written = ref.tag ?? "latest";
    const tags = policy.kind === "digest" ? [] : await this.listTags(image);
    const tag = chooseTag(policy, tags, written);
    if (tag === undefined) {
      throw this.error(this.lookupOf(image), {
        kind: "not-found",
        problem: `none of the ${tags.length} tags of repository "${ref.repository}" fits the policy ${describeTagPolicy(policy)}`,
        hint: "Check the policy, or push a tag it matches",
      });
    }
    const resolved = await this.resolve(formatReference({ ...ref, tag, digest: undefined }));
    return { ...resolved, tag };
  }

  /**
   * Whether `image`'s repository holds the manifest `digest` (`HEAD /v2/<name>/manifests/<digest>`):
   * false when the registry answers 404.
   * @throws RegistryError when the registry cannot tell (auth, unreachable, timeout, protocol).
   */
  async hasManifest(image: string, digest: string): Promise<boolean> {
    const lookup = this.lookupOf(image);
    const url = new URL(
      `${this.baseUrl(lookup.ref.registry)}/v2/${lookup.ref.repository}/manifests/${digest}`,
    );
    try {
      const answer = await this.send(lookup, "HEAD", url);
      if (answer.response.status === 200) return true;
      if (answer.response.status === 404) return false;
      throw this.error(
        lookup,
        statusFailure(
          { ...lookup.ref, tag: digest },
          answer.response,
          answer.credential,
          this.lookedIn(),
        ),
      );
    } catch (error) {
      throw this.registryError(lookup, error);
    }
  }

  /** A lookup of `image` (by its tag, `latest` when it names none) for its repository's scope. */
  private lookupOf(image: string): Lookup {
    const ref = parseImageReference(image);
    return {
      image,
      ref: { ...ref, tag: ref.tag ?? "latest" },
      scope: `repository:${ref.repository}:pull`,
    };
  }

  private async lookup(lookup: Lookup): Promise<Resolved> {
    const { ref } = lookup;
    const url = new URL(
      `${this.baseUrl(ref.registry)}/v2/${ref.repository}/manifests/${encodeURIComponent(ref.tag)}`,
    );
    try {
      let answer = await this.send(lookup, "HEAD", url);
      const header = answer.response.headers["docker-content-digest"];
      if (answer.response.status === 200 && typeof header === "string") {
        return this.resolved(lookup, header);
      }
      if (!isAuthOrBusy(answer.response.status)) answer = await this.send(lookup, "GET", url);
      if (answer.response.status === 200) {
        return this.resolved(lookup, this.digestOfBody(lookup, answer.response));
      }
      if (
        answer.response.status === 404 &&
        !errorCodes(answer.response.body).includes("NAME_UNKNOWN")
      ) {
        answer = await this.repositoryAnswer(lookup, answer);
      }
      throw this.error(
        lookup,
        statusFailure(lookup.ref, answer.response, answer.credential, this.lookedIn()),
      );
    } catch (error) {
      throw this.registryError(lookup, error);
    }
  }

  /**
   * After a 404 for a tag: the tag list's answer when it says the repository itself is unknown
   * (distribution answers MANIFEST_UNKNOWN for both), else `tagAnswer`.
   */
  private async repositoryAnswer(lookup: Lookup, tagAnswer: Answer): Promise<Answer> {
    const url = new URL(
      `${this.baseUrl(lookup.ref.registry)}/v2/${lookup.ref.repository}/tags/list?n=1`,
    );
    const answer = await this.send(lookup, "GET", url);
    const unknown =
      answer.response.status === 404 && errorCodes(answer.response.body).includes("NAME_UNKNOWN");
    return unknown ? answer : tagAnswer;
  }

  private resolved(lookup: Lookup, digest: string): Resolved {
    if (!isValidDigest(digest)) {
      // Never the registry's own text: it may be anything, a reflected credential too.
      throw this.error(lookup, {
        kind: "protocol",
        problem: "the registry answered with a Docker-Content-Digest that is not a valid digest",
        hint: "Check that the address points at an OCI distribution registry",
      });
    }
    return { digest, pinned: formatPinned(lookup.ref, digest) };
  }

  /**
   * The digest of a manifest fetched with GET: the hash of the bytes received, which must be an
   * image manifest or index (JSON with `schemaVersion` 2), so that what is pinned is what was
   * received. A `Docker-Content-Digest` header names the algorithm (`sha256` unless it says
   * `sha512`) and must agree with that hash; when it does not, the answer was changed on the
   * way or the registry is broken, and nothing is pinned.
   */
  private digestOfBody(lookup: Lookup, response: HttpResponse): string {
    let schemaVersion: unknown;
    try {
      schemaVersion = (JSON.parse(response.body.toString("utf8")) as { schemaVersion?: unknown })
        .schemaVersion;
    } catch {
      schemaVersion = undefined;
    }
    if (schemaVersion !== 2) {
      throw this.error(lookup, {
        kind: "protocol",
        problem: "the registry's answer to the manifest request is not an image manifest",
        hint: "Check that the address points at an OCI distribution registry",
      });
    }
    const header = response.headers["docker-content-digest"];
    const algorithm =
      typeof header === "string" && header.startsWith("sha512:") ? "sha512" : "sha256";
    const digest = `${algorithm}:${createHash(algorithm).update(response.body).digest("hex")}`;
    if (typeof header === "string" && header !== digest) {
      if (!isValidDigest(header)) this.resolved(lookup, header); // throws: not a digest
      throw this.error(lookup, {
        kind: "protocol",
        problem:
          `the manifest received hashes to ${digest}, but the registry's Docker-Content-Digest ` +
          `says ${header}; nothing was pinned`,
        hint: "The answer was changed on the way (a proxy?) or the registry is broken: check it and try again",
      });
    }
    return digest;
  }

  /**
   * Sends a manifest request, authenticating up front when the registry's challenge is known, and
   * once more after a 401 with the challenge it carries.
   */
  private async send(lookup: Lookup, method: "HEAD" | "GET", url: URL): Promise<Answer> {
    const state = this.state(lookup.ref.registry);
    const headers: Record<string, string> = { Accept: ACCEPT, "User-Agent": CLIENT_ID };
    const request = (authorization: string | undefined): Promise<HttpResponse> =>
      this.transport.send({
        method,
        url,
        headers:
          authorization === undefined ? headers : { ...headers, Authorization: authorization },
      });

    let credential = state.challenge === undefined ? undefined : await this.credential(lookup);
    let authorization =
      state.challenge === undefined
        ? undefined
        : await this.authorization(lookup, state.challenge, lookup.scope, credential);
    let response = await request(authorization);
    if (response.status !== 401) return { response, credential };

    const challenge = pickChallenge(response.challenges);
    if (challenge === undefined) return { response, credential };
    const { scope = lookup.scope, ...params } = challenge.params;
    state.challenge = { scheme: challenge.scheme, params };
    if (authorization?.startsWith("Bearer ") === true) this.tokens.forget(authorization.slice(7));
    credential = await this.credential(lookup);
    const next = await this.authorization(lookup, challenge, scope, credential);
    if (next === undefined || (next === authorization && challenge.scheme === "basic")) {
      return { response, credential };
    }
    authorization = next;
    response = await request(authorization);
    return { response, credential };
  }

  /** The Authorization header for `challenge`; undefined when basic auth has no password to send. */
  private async authorization(
    lookup: Lookup,
    challenge: Challenge,
    scope: string,
    found: FoundCredential | undefined,
  ): Promise<string | undefined> {
    const credential: Credential | undefined = found?.credential;
    if (challenge.scheme === "basic") {
      return credential?.kind === "password"
        ? basicAuthorization(credential.username, credential.password)
        : undefined;
    }
    const realm = challenge.params.realm;
    if (realm === undefined || !URL.canParse(realm) || !/^https?:$/.test(new URL(realm).protocol)) {
      throw this.error(lookup, {
        kind: "protocol",
        problem: "the registry's bearer challenge has no usable realm URL",
        hint: "Check the registry's auth configuration",
      });
    }
    let token: string;
    try {
      token = await this.tokens.token(challenge, scope, credential, found?.source ?? "anonymous");
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      const failure = tokenFailure(lookup.ref, error.response, error.realm, found, this.lookedIn());
      throw this.error(lookup, failure);
    }
    this.secrets.add(token);
    return `Bearer ${token}`;
  }

  /** The credentials for the lookup's registry, found once per client. */
  private credential(lookup: Lookup): Promise<FoundCredential | undefined> {
    const state = this.state(lookup.ref.registry);
    state.credential ??= this.findCredential(lookup.ref.registry).then((found) => {
      for (const secret of found?.secrets ?? []) this.secrets.add(secret);
      return found;
    });
    return state.credential;
  }

  private async findCredential(registry: string): Promise<FoundCredential | undefined> {
    const explicit = Object.entries(this.options.credentials ?? {}).find(
      ([key]) => key === registry || sameRegistry(configKeyHost(key), registry),
    );
    if (explicit !== undefined) {
      const [key, { username, password }] = explicit;
      const source = `the credentials given for ${key}`;
      return username === "<token>"
        ? {
            credential: { kind: "identity-token", identityToken: password },
            source,
            secrets: [password],
          }
        : { credential: { kind: "password", username, password }, source, secrets: [password] };
    }
    const file = dockerConfigPath(this.options.dockerConfig);
    return dockerConfigCredentials(
      registry,
      file,
      this.options.dockerConfig !== undefined,
      this.timeoutMs,
    );
  }

  private state(registry: string): RegistryState {
    let state = this.registries.get(registry);
    if (state === undefined) {
      state = {};
      this.registries.set(registry, state);
    }
    return state;
  }

  private baseUrl(registry: string): string {
    const hostname = registryHostname(registry).toLowerCase();
    const insecure = (this.options.insecureRegistries ?? []).some((entry) => {
      const host = configKeyHost(entry);
      return host === registry.toLowerCase() || host === hostname;
    });
    const scheme = insecure || isLoopbackRegistry(registry) ? "http" : "https";
    return `${scheme}://${registryApiHost(registry)}`;
  }

  /** Any failure during a lookup, as a {@link RegistryError}. */
  private registryError(lookup: Lookup, error: unknown): RegistryError {
    if (error instanceof RegistryError) return error;
    if (error instanceof TransportError) return this.error(lookup, error);
    if (error instanceof CredentialError) {
      return this.error(lookup, {
        kind: "auth",
        problem: error.message,
        hint: "Fix the Docker config file or the credential helper",
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return this.error(lookup, {
      kind: "protocol",
      problem: `unexpected failure (${message})`,
      hint: "Report this as a bug",
    });
  }

  private lookedIn(): string {
    return `the given credentials and the Docker config file ${dockerConfigPath(this.options.dockerConfig)}`;
  }

  private error(lookup: Lookup, { kind, problem, hint }: Failure): RegistryError {
    const { registry } = lookup.ref;
    const api = registryApiHost(registry);
    const where = api === registry ? registry : `${registry} (${api})`;
    // The image as every value in a message: at most 60 characters of it.
    const image =
      lookup.image.length <= 60
        ? `"${lookup.image}"`
        : `"${lookup.image.slice(0, 60)}"... (${lookup.image.length} characters)`;
    const message = `Cannot resolve image ${image} on registry ${where}: ${problem}. ${hint}.`;
    return new RegistryError(lookup.image, registry, kind, redact(message, this.secrets));
  }
}

/** Resolves one image with a client of its own (see {@link RegistryClient.resolve}). */
export async function resolveDigest(image: string, options?: ResolveOptions): Promise<Resolved> {
  const client = new RegistryClient(options);
  try {
    return await client.resolve(image);
  } finally {
    client.close();
  }
}

/** Resolves one image by `policy` with a client of its own (see {@link RegistryClient.resolveByPolicy}). */
export async function resolveByPolicy(
  image: string,
  policy: TagPolicy,
  options?: ResolveOptions,
): Promise<Resolved> {
  const client = new RegistryClient(options);
  try {
    return await client.resolveByPolicy(image, policy);
  } finally {
    client.close();
  }
}

/**
 * Checks that `image`'s repository still holds the manifest `digest`, with a client of its own.
 * @throws RegistryError `not-found` when it does not, else as {@link RegistryClient.hasManifest}.
 */
export async function verifyDigest(
  image: string,
  digest: string,
  options?: ResolveOptions,
): Promise<void> {
  const client = new RegistryClient(options);
  try {
    if (await client.hasManifest(image, digest)) return;
    const { registry, repository } = parseImageReference(image);
    throw new RegistryError(
      image,
      registry,
      "not-found",
      `the manifest ${digest} is not in repository "${repository}" on registry ${registry} ` +
        "(it was deleted, or never pushed there)",
    );
  } finally {
    client.close();
  }
}

/** The tags of one page of a tag list (`{"name": ..., "tags": [...]}`; `null` is none). */
function tagsOfPage(body: Buffer): string[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null) return undefined;
  const tags = (json as { tags?: unknown }).tags;
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === "string")) return undefined;
  return tags;
}

/** The `rel="next"` target of a `Link` header, resolved against `current`; undefined when none. */
export function nextPage(header: string | undefined, current: URL): URL | undefined {
  if (header === undefined) return undefined;
  for (const link of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(link);
    if (match === null) continue;
    const next = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(match[2])?.[1].split(/\s+/);
    if (next?.includes("next") !== true) continue;
    return URL.canParse(match[1], current.href) ? new URL(match[1], current) : undefined;
  }
  return undefined;
}

/** Whether a status means auth or a busy registry, where a GET would only repeat the answer. */
function isAuthOrBusy(status: number): boolean {
  return status === 401 || status === 403 || status === 429 || status >= 500;
}

/** Whether an `auths`-style host names `registry`, Docker Hub's aliases included. */
function sameRegistry(host: string, registry: string): boolean {
  const hub = ["docker.io", "index.docker.io", "registry-1.docker.io"];
  return host === registry.toLowerCase() || (hub.includes(host) && hub.includes(registry));
}
