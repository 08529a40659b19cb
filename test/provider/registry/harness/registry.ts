/**
 * A real CNCF distribution registry (Debian's `docker-registry`, 2.8) on a free loopback port,
 * with its own config and storage in a temp folder: no auth, htpasswd basic auth, or token auth
 * backed by an in-test {@link TokenServer}.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "./sockets";
import { TokenServer } from "./tokenServer";
import { ensureRegistryTools } from "./tools";

/** How the registry authenticates clients. */
export type RegistryAuth = "none" | "basic" | "token";

/** What to start. */
export interface StartRegistryOptions {
  /** Default `none`. */
  auth?: RegistryAuth;
  /** Accounts, username to password. Default one account, `tester`, with a random password. */
  users?: Record<string, string>;
  /** Token auth: identity tokens (OAuth2 refresh tokens) to the account they stand for. */
  identityTokens?: Record<string, string>;
  /** Token auth: repositories anonymous clients may pull. */
  publicRepositories?: string[];
  /** Token auth: repositories no account may access. */
  deniedRepositories?: string[];
}

/** A running registry. */
export interface TestRegistry {
  /** `127.0.0.1:<port>`: the registry part of image references. */
  host: string;
  auth: RegistryAuth;
  /** The first account's name and password (`tester` and a random password by default). */
  username: string;
  password: string;
  /** The token server, for `auth: "token"`. */
  tokenServer?: TokenServer;
  /** An Authorization header that may push to `repository`; undefined without auth. */
  pushAuthorization(repository: string): string | undefined;
  /** Stops the registry (and token server) and deletes its storage. */
  stop(): Promise<void>;
}

const SERVICE = "test-registry";
const ISSUER = "test-token-issuer";
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function configYaml(root: string, port: number, auth: string): string {
  return [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${JSON.stringify(root)}`,
    "  delete:",
    "    enabled: true",
    "  maintenance:",
    "    uploadpurging:",
    "      enabled: false",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString("hex")}`,
    auth,
  ].join("\n");
}

function htpasswdFile(dir: string, users: Record<string, string>): string {
  const file = path.join(dir, "htpasswd");
  const lines = Object.entries(users).map(([user, password]) => {
    const result = spawnSync("htpasswd", ["-Bbn", user, password], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
    return result.stdout.trim();
  });
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** Resolves once `GET /v2/` answers anything; rejects when the process exits or 15 s pass. */
async function waitUntilServing(
  port: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`docker-registry exited with ${child.exitCode} before serving:\n${output()}`);
    }
    const answered = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/v2/", timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => req.destroy());
    });
    if (answered) return;
    if (Date.now() > deadline)
      throw new Error(`docker-registry did not answer on port ${port} within 15 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  }
  running.delete(child);
}

/**
 * Starts a registry with `options.auth` (installing the programs first when missing) and waits
 * until it serves `/v2/`.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  ensureRegistryTools();
  const auth = options.auth ?? "none";
  const users = options.users ?? { tester: `pw-${randomBytes(9).toString("hex")}` };
  const [username, password] = Object.entries(users)[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "registry-test-"));
  let tokenServer: TokenServer | undefined;
  let authYaml = "";
  if (auth === "basic") {
    const file = htpasswdFile(dir, users);
    authYaml = [
      "auth:",
      "  htpasswd:",
      "    realm: test-realm",
      `    path: ${JSON.stringify(file)}`,
    ].join("\n");
  } else if (auth === "token") {
    tokenServer = await new TokenServer({
      dir,
      users,
      identityTokens: options.identityTokens,
      publicRepositories: options.publicRepositories,
      deniedRepositories: options.deniedRepositories,
      service: SERVICE,
      issuer: ISSUER,
    }).start();
    authYaml = [
      "auth:",
      "  token:",
      `    realm: ${JSON.stringify(tokenServer.realm)}`,
      `    service: ${SERVICE}`,
      `    issuer: ${ISSUER}`,
      `    rootcertbundle: ${JSON.stringify(tokenServer.certificate)}`,
    ].join("\n");
  }

  const port = await freePort();
  const configFile = path.join(dir, "config.yml");
  fs.writeFileSync(configFile, `${configYaml(path.join(dir, "storage"), port, authYaml)}\n`);
  const child = spawn("docker-registry", ["serve", configFile], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    await tokenServer?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    host: `127.0.0.1:${port}`,
    auth,
    username,
    password,
    tokenServer,
    pushAuthorization: (repository) => {
      if (auth === "basic")
        return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
      if (tokenServer === undefined) return undefined;
      return `Bearer ${tokenServer.mint(username, [{ type: "repository", name: repository, actions: ["pull", "push"] }])}`;
    },
    stop,
  };
}
