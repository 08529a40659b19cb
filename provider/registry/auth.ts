/**
 * Registry authentication: `WWW-Authenticate` challenges, and bearer tokens fetched from the
 * challenge's realm and cached per realm, service, scope and account until they expire.
 */
import type { HttpResponse, Transport } from "./http";

/** One `WWW-Authenticate` challenge: its scheme (lower case) and parameters (keys lower case). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Credentials in the form the wire needs; `identityToken` is an OAuth2 refresh token. */
export type Credential =
  | { kind: "password"; username: string; password: string }
  | { kind: "identity-token"; identityToken: string };

/** Why a token request failed, for the client to turn into a message. */
export class TokenError extends Error {
  constructor(
    readonly response: HttpResponse,
    readonly realm: URL,
  ) {
    super(`token request to ${realm.origin} answered ${response.status}`);
  }
}

/**
 * Parses a `WWW-Authenticate` header value into its challenges (RFC 7235): `Bearer
 * realm="https://auth",service="registry",scope="repository:a:pull"`, `Basic realm="x"`.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const token = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)/y;
  const param = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/y;
  let at = 0;
  while (at < header.length) {
    token.lastIndex = at;
    const scheme = token.exec(header);
    if (scheme === null) break;
    at = token.lastIndex;
    const challenge: Challenge = { scheme: scheme[1].toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      param.lastIndex = at;
      const match = param.exec(header);
      if (match === null) break;
      challenge.params[match[1].toLowerCase()] =
        match[2]?.replace(/\\(.)/g, "$1") ?? match[3] ?? "";
      at = param.lastIndex;
    }
    while (at < header.length && /[\s,]/.test(header[at])) at++;
  }
  return challenges;
}

/** A `Basic` Authorization header value. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Tokens live at least this long (the distribution token spec's minimum). */
const MIN_TOKEN_LIFETIME_S = 60;
/** A token is renewed this long before it expires. */
const EXPIRY_MARGIN_MS = 5000;

/** Fetches bearer tokens and keeps them until they expire. One per client. */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  /** How many token requests were sent (for tests of the cache). */
  fetches = 0;

  constructor(
    private readonly transport: Transport,
    private readonly clientId: string,
    /** The clock, in ms since the epoch. */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A token for `scope` from the bearer `challenge`, from the cache when one is still valid.
   * `accountKey` tells apart tokens fetched with different credentials.
   * @throws TokenError when the token server refuses or answers something unusable.
   */
  async token(
    challenge: Challenge,
    scope: string,
    credential: Credential | undefined,
    accountKey: string,
  ): Promise<string> {
    const key = JSON.stringify([
      challenge.params.realm,
      challenge.params.service,
      scope,
      accountKey,
    ]);
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.token;
    let pending = this.pending.get(key);
    if (pending === undefined) {
      pending = this.fetch(challenge, scope, credential, key).finally(() =>
        this.pending.delete(key),
      );
      this.pending.set(key, pending);
    }
    return pending;
  }

  /** Forgets a token the registry refused, so the next request fetches a fresh one. */
  forget(token: string): void {
    for (const [key, cached] of this.tokens) if (cached.token === token) this.tokens.delete(key);
  }

  private async fetch(
    challenge: Challenge,
    scope: string,
    credential: Credential | undefined,
    key: string,
  ): Promise<string> {
    const realm = new URL(challenge.params.realm ?? "");
    const service = challenge.params.service;
    const scopes = scope.split(" ").filter((s) => s !== "");
    this.fetches++;
    let response: HttpResponse;
    if (credential?.kind === "identity-token") {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credential.identityToken,
        client_id: this.clientId,
      });
      if (service !== undefined) form.set("service", service);
      if (scopes.length > 0) form.set("scope", scopes.join(" "));
      response = await this.transport.send({
        method: "POST",
        url: realm,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form.toString(),
        maxBodyBytes: 1024 * 1024,
      });
    } else {
      const url = new URL(realm);
      if (service !== undefined) url.searchParams.set("service", service);
      for (const s of scopes) url.searchParams.append("scope", s);
      url.searchParams.set("client_id", this.clientId);
      const headers: Record<string, string> = { Accept: "application/json" };
      if (credential !== undefined) {
        headers.Authorization = basicAuthorization(credential.username, credential.password);
      }
      response = await this.transport.send({
        method: "GET",
        url,
        headers,
        maxBodyBytes: 1024 * 1024,
      });
    }
    if (response.status !== 200) throw new TokenError(response, realm);
    const parsed = parseTokenResponse(response.body);
    if (parsed === undefined) throw new TokenError(response, realm);
    const lifetime = Math.max(parsed.expiresIn ?? MIN_TOKEN_LIFETIME_S, MIN_TOKEN_LIFETIME_S);
    this.tokens.set(key, {
      token: parsed.token,
      expiresAt: this.now() + lifetime * 1000 - EXPIRY_MARGIN_MS,
    });
    return parsed.token;
  }
}

/** `token` (or OAuth2's `access_token`) and `expires_in` from a token server's JSON answer. */
function parseTokenResponse(body: Buffer): { token: string; expiresIn?: number } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null) return undefined;
  const fields = json as Record<string, unknown>;
  const token =
    typeof fields.token === "string" && fields.token !== "" ? fields.token : fields.access_token;
  if (typeof token !== "string" || token === "") return undefined;
  const expiresIn = typeof fields.expires_in === "number" ? fields.expires_in : undefined;
  return { token, expiresIn };
}
