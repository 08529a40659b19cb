/**
 * Registry credentials from a Docker config file, as `docker login` leaves them: `credHelpers`
 * (per registry) and `credsStore` (default) run `docker-credential-<name> get`; `auths` entries hold
 * `auth` (base64 of `user:password`), `username`/`password` or `identitytoken`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { Credential } from "./auth";
import { readInputFile, unreadProblem } from "../../components/model/input/inputFile";
import { CredentialError } from "./errors";
import { DOCKER_HUB } from "../../components/model/rules/imageReference";

/** Credentials found for a registry, where they came from, and the strings to keep out of output. */
export interface FoundCredential {
  credential: Credential;
  /** Where the credentials came from, for messages, e.g. `the Docker config file /x/config.json`. */
  source: string;
  /** Every secret string involved (passwords, tokens, encoded forms), to redact from messages. */
  secrets: string[];
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, unknown>;
  credsStore?: unknown;
}

/** The key `docker login` uses for Docker Hub, in `auths` and towards credential helpers. */
const DOCKER_HUB_KEY = "https://index.docker.io/v1/";
const DOCKER_HUB_HOSTS = [DOCKER_HUB, "index.docker.io", "registry-1.docker.io"];
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The Docker config file to read: `explicit` when given, else `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`.
 */
export function dockerConfigPath(explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const dir = process.env.DOCKER_CONFIG;
  return dir !== undefined && dir !== ""
    ? path.join(dir, "config.json")
    : path.join(os.homedir(), ".docker", "config.json");
}

/** An `auths` or `credHelpers` key as a host[:port]: scheme and path dropped, lower case. */
export function configKeyHost(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, "")
    .split("/")[0]
    .toLowerCase();
}

/** The hosts under which credentials for `registry` may be stored. */
function hostsOf(registry: string): string[] {
  const host = registry.toLowerCase();
  return DOCKER_HUB_HOSTS.includes(host) ? DOCKER_HUB_HOSTS : [host];
}

/** The entry of `record` whose key is `exact`, else whose key names one of `hosts`. */
function lookup<T>(
  record: Record<string, T> | undefined,
  exact: string,
  hosts: string[],
): [string, T] | undefined {
  if (record === undefined) return undefined;
  if (Object.hasOwn(record, exact)) return [exact, record[exact]];
  return Object.entries(record).find(([key]) => hosts.includes(configKeyHost(key)));
}

/** Reads and checks the file; undefined when it does not exist and was not named explicitly. */
function readConfig(file: string, explicit: boolean): DockerConfigFile | undefined {
  // The reader every input file goes through: regular files only, never past the size limit.
  const read = readInputFile(file);
  if (!("text" in read)) {
    if (read.reason === "missing" && !explicit) return undefined;
    const named = `the Docker config file ${file}`;
    if (read.reason === "not-text") {
      throw new CredentialError(`${unreadProblem(read, `${named}, line ${read.line},`)}`);
    }
    throw new CredentialError(
      read.reason === "missing"
        ? `${named} does not exist`
        : `${unreadProblem(read, named)}; name the config.json that docker login writes`,
    );
  }
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's text, which may hold credentials.
    throw new CredentialError(`the Docker config file ${file} is not valid JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new CredentialError(`the Docker config file ${file} should hold a JSON object`);
  }
  return json;
}

/** Credentials from an `auths` entry; undefined when it holds none (e.g. `{}` beside a credsStore). */
function fromAuthEntry(entry: AuthEntry, where: string): FoundCredential | undefined {
  const source = where;
  if (typeof entry.identitytoken === "string" && entry.identitytoken !== "") {
    return {
      credential: { kind: "identity-token", identityToken: entry.identitytoken },
      source,
      secrets: [entry.identitytoken],
    };
  }
  if (typeof entry.auth === "string" && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) {
      throw new CredentialError(
        `the "auth" field in ${where} is not base64 of "username:password"; run docker login again`,
      );
    }
    const password = decoded.slice(colon + 1);
    return {
      credential: { kind: "password", username: decoded.slice(0, colon), password },
      source,
      secrets: [entry.auth, password, decoded],
    };
  }
  if (typeof entry.username === "string" && typeof entry.password === "string") {
    return {
      credential: { kind: "password", username: entry.username, password: entry.password },
      source,
      secrets: [entry.password],
    };
  }
  return undefined;
}

/** The most a credential helper may print: far more than any credential takes. */
const MAX_HELPER_OUTPUT = 1024 * 1024;

/**
 * When a helper that has not answered is asked to stop (SIGTERM) before its time is up, and
 * when it is killed (SIGKILL): its time, so that it never outlives it.
 */
function stopTimes(timeoutMs: number): { term: number; kill: number } {
  const grace = Math.min(1000, Math.floor(timeoutMs / 4));
  return { term: timeoutMs - grace, kill: timeoutMs };
}

/** Sends `signal` to the helper's process group (itself and what it started), else to it alone. */
function signalHelper(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Gone already.
    }
  }
}

/**
 * Runs `docker-credential-<helper> get` with `serverUrl` on stdin. Undefined when the helper has no
 * credentials for it ("credentials not found"). Bounded in time: a helper that has not answered is
 * sent SIGTERM shortly before `timeoutMs`, and SIGKILL at `timeoutMs`, with every process it
 * started (its process group); the lookup fails then, even if something it started still holds
 * its output open. Bounded in size: more than 1 MiB of output is refused.
 */
function runHelper(
  helper: string,
  serverUrl: string,
  where: string,
  timeoutMs: number,
): Promise<FoundCredential | undefined> {
  const program = `docker-credential-${helper}`;
  const source = `the credential helper ${program} (${where})`;
  if (!HELPER_NAME.test(helper)) {
    const shown =
      helper.length <= 60 ? helper : `${helper.slice(0, 60)}... (${helper.length} characters)`;
    return Promise.reject(
      new CredentialError(`"${shown}" in ${where} is not a credential helper name`),
    );
  }
  return new Promise((resolve, reject) => {
    // Its own process group, so that what it starts is ended with it.
    const child = spawn(program, ["get"], { stdio: ["pipe", "pipe", "ignore"], detached: true });
    const out: Buffer[] = [];
    let size = 0;
    let settled = false;
    const times = stopTimes(timeoutMs);
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(term);
      clearTimeout(kill);
      done();
    };
    const fail = (message: string): void => settle(() => reject(new CredentialError(message)));
    const late = `${program} (${where}) gave no answer within ${timeoutMs / 1000} s, and was stopped`;
    let stopping = false;
    const term = setTimeout(() => {
      stopping = true;
      signalHelper(child, "SIGTERM");
    }, times.term);
    const kill = setTimeout(() => {
      signalHelper(child, "SIGKILL");
      child.stdout.destroy();
      fail(late);
    }, times.kill);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_HELPER_OUTPUT) {
        signalHelper(child, "SIGKILL");
        fail(`${program} get printed more than 1 MiB (${where}); it is no credential helper`);
        return;
      }
      out.push(chunk);
    });
    child.stdin.on("error", () => undefined);
    child.on("error", (error: NodeJS.ErrnoException) => {
      fail(
        error.code === "ENOENT"
          ? `${program} (${where}) is not on the PATH; install it, or remove the entry from the Docker config file`
          : `${program} (${where}) could not be run (${error.code ?? "error"})`,
      );
    });
    child.on("close", (code) => {
      if (stopping) {
        // Ended by the SIGTERM it was sent: what it printed is no answer. Its group still goes.
        signalHelper(child, "SIGKILL");
        fail(late);
        return;
      }
      const text = Buffer.concat(out).toString("utf8");
      if (code !== 0) {
        if (/credentials not found/i.test(text)) settle(() => resolve(undefined));
        else fail(`${program} get failed (exit ${code ?? "by a signal"}) (${where})`);
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        fail(`${program} get did not print JSON (${where})`);
        return;
      }
      const fields = (typeof json === "object" && json !== null ? json : {}) as Record<
        string,
        unknown
      >;
      const username = fields.Username;
      const secret = fields.Secret;
      if (typeof username !== "string" || typeof secret !== "string" || secret === "") {
        fail(`${program} get printed no Username and Secret (${where})`);
        return;
      }
      const credential: Credential =
        username === "<token>"
          ? { kind: "identity-token", identityToken: secret }
          : { kind: "password", username, password: secret };
      settle(() => resolve({ credential, source, secrets: [secret] }));
    });
    child.stdin.end(serverUrl);
  });
}

/**
 * Credentials for `registry` (host[:port]; `docker.io` for Docker Hub) from the Docker config file
 * at `file` (see {@link dockerConfigPath}): its credential helper, else its credential store,
 * else its `auths` entry. Undefined when there are none.
 * @throws CredentialError when the file or a helper is broken.
 */
export async function dockerConfigCredentials(
  registry: string,
  file: string,
  explicit: boolean,
  timeoutMs: number,
): Promise<FoundCredential | undefined> {
  const config = readConfig(file, explicit);
  if (config === undefined) return undefined;
  const hosts = hostsOf(registry);
  const exactKey = hosts === DOCKER_HUB_HOSTS ? DOCKER_HUB_KEY : registry;
  const serverUrl = hosts === DOCKER_HUB_HOSTS ? DOCKER_HUB_KEY : registry;

  const helper = lookup(config.credHelpers, exactKey, hosts);
  if (helper !== undefined && typeof helper[1] === "string") {
    const found = await runHelper(helper[1], serverUrl, `credHelpers in ${file}`, timeoutMs);
    if (found !== undefined) return found;
  } else if (typeof config.credsStore === "string" && config.credsStore !== "") {
    const found = await runHelper(config.credsStore, serverUrl, `credsStore in ${file}`, timeoutMs);
    if (found !== undefined) return found;
  }
  const entry = lookup(config.auths, exactKey, hosts);
  if (entry === undefined || typeof entry[1] !== "object" || entry[1] === null) return undefined;
  return fromAuthEntry(entry[1], `the Docker config file ${file} (auths["${entry[0]}"])`);
}
