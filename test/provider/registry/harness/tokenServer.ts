/**
 * A small token server for the registry's `auth.token` mode: issues RS256 JWTs whose header
 * carries the signing certificate (`x5c`), which the registry verifies against its
 * `rootcertbundle` (the same self-signed certificate, made with openssl).
 */
import { execFileSync } from "node:child_process";
import { randomUUID, sign } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

/** One access grant in a token: `repository`, its name and actions (`pull`, `push`). */
export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** A request the token server answered. */
export interface TokenRequest {
  method: string;
  /** The `scope` parameters, as sent. */
  scopes: string[];
  /** The authenticated account; undefined for anonymous requests. */
  account?: string;
  /** The status it answered. */
  status: number;
}

/** What the token server is told at start. */
export interface TokenServerOptions {
  /** Folder for the key and certificate. */
  dir: string;
  /** Accounts: username to password (checked on GET with basic auth). */
  users: Record<string, string>;
  /** OAuth2 refresh tokens (Docker's identity tokens) to the account they stand for (POST grant). */
  identityTokens?: Record<string, string>;
  /** The registry's `auth.token.service`; tokens are issued for it as audience. */
  service: string;
  /** The registry's `auth.token.issuer`. */
  issuer: string;
  /** Repositories anonymous requests may pull. Default none. */
  publicRepositories?: string[];
  /** Repositories no account may access (tokens for them carry no access). Default none. */
  deniedRepositories?: string[];
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Parses `repository:name:pull,push`. */
function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first < 0 || last <= first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope.slice(last + 1).split(","),
  };
}

/** The account of a basic Authorization header: a username, `false` when wrong, undefined when absent. */
function basicAccount(
  header: string | undefined,
  users: Record<string, string>,
): string | false | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic (.+)$/i.exec(header);
  if (match === null) return false;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = decoded.slice(0, colon);
  return colon > 0 && Object.hasOwn(users, user) && users[user] === decoded.slice(colon + 1)
    ? user
    : false;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A running token server: authenticated accounts get every action they ask for; anonymous requests
 * get `pull` on public repositories only; wrong credentials get 401.
 */
export class TokenServer {
  /** Every request answered, in order. */
  requests: TokenRequest[] = [];
  /** Which JSON fields carry the token. Default `both` (`token` and `access_token`). */
  tokenField: "token" | "access_token" | "both" = "both";
  /** `expires_in` of the tokens issued, in seconds. Default 300. */
  expiresIn = 300;
  /** The realm URL for the registry's config and challenges. */
  realm = "";
  private readonly server: http.Server;
  private readonly header: string;
  private readonly privateKey: string;

  /** Makes the key and certificate; {@link TokenServer.start} listens. */
  constructor(
    private readonly options: TokenServerOptions,
    /** The PEM certificate file for the registry's `rootcertbundle`. */
    readonly certificate = path.join(options.dir, "token-cert.pem"),
  ) {
    const keyFile = path.join(options.dir, "token-key.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certificate,
      ].concat(["-days", "2", "-subj", "/CN=registry-test-token-issuer"]),
      { stdio: "pipe" },
    );
    this.privateKey = fs.readFileSync(keyFile, "utf8");
    const der = execFileSync("openssl", ["x509", "-in", certificate, "-outform", "DER"]);
    this.header = base64url(
      JSON.stringify({ typ: "JWT", alg: "RS256", x5c: [der.toString("base64")] }),
    );
    this.server = http.createServer((req, res) => void this.answer(req, res));
  }

  /** Listens on a free loopback port and sets {@link TokenServer.realm}. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.realm = `http://127.0.0.1:${port}/token`;
    return this;
  }

  /** A token for `subject` with `access`, signed like every other. */
  mint(subject: string, access: Access[]): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.options.issuer,
      sub: subject,
      aud: this.options.service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${this.header}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${base64url(sign("sha256", Buffer.from(signingInput), this.privateKey))}`;
  }

  stop(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private grant(account: string | undefined, scopes: string[]): Access[] {
    const open = this.options.publicRepositories ?? [];
    const denied = this.options.deniedRepositories ?? [];
    return scopes
      .map(parseScope)
      .filter((access): access is Access => access !== undefined && !denied.includes(access.name))
      .filter((access) => account !== undefined || open.includes(access.name))
      .map((access) => (account === undefined ? { ...access, actions: ["pull"] } : access));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://token");
    let scopes = url.searchParams.getAll("scope");
    let account: string | false | undefined;
    if (req.method === "POST") {
      const form = new URLSearchParams(await readBody(req));
      scopes = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
      const refresh = form.get("refresh_token") ?? "";
      const known = this.options.identityTokens ?? {};
      const valid = form.get("grant_type") === "refresh_token" && Object.hasOwn(known, refresh);
      account = valid ? known[refresh] : false;
    } else {
      account = basicAccount(req.headers.authorization, this.options.users);
    }
    const status = account === false ? 401 : 200;
    this.requests.push({
      method: req.method ?? "",
      scopes,
      account: account === false ? undefined : account,
      status,
    });
    res.setHeader("Content-Type", "application/json");
    if (account === false) {
      res
        .writeHead(401)
        .end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }));
      return;
    }
    const token = this.mint(account ?? "", this.grant(account, scopes));
    const body: Record<string, unknown> = {
      expires_in: this.expiresIn,
      issued_at: new Date().toISOString(),
    };
    if (this.tokenField !== "access_token") body.token = token;
    if (this.tokenField !== "token") body.access_token = token;
    res.writeHead(200).end(JSON.stringify(body));
  }
}
