/** Helpers for the registry client's tests: Docker config files, credential helpers, error checks. */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RegistryError, type RegistryErrorKind } from "../../../provider/registry/client";

/** A temp folder removed by {@link removeTempDirs}. */
const tempDirs: string[] = [];

export function tempDir(prefix = "registry-client-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `config` as `config.json` in a new temp folder; returns the file. */
export function writeDockerConfig(config: unknown): string {
  const file = path.join(tempDir("docker-config-"), "config.json");
  fs.writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config));
  return file;
}

/** `auth` field of an `auths` entry: base64 of `user:password`. */
export function authField(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString("base64");
}

/** A credential helper written as a script into a folder on the PATH. */
export interface CredentialHelper {
  /** The helper's name: `docker-credential-<name>`. */
  name: string;
  /** The server URLs it was asked for, in order. */
  asked(): string[];
}

/**
 * Writes `docker-credential-<name>` into `binDir`: `get` logs the server URL from stdin and
 * prints `{"ServerURL","Username","Secret"}` for the servers in `answers`, else prints
 * `credentials not found in native keychain` and exits 1, as real helpers do.
 */
export function writeCredentialHelper(
  binDir: string,
  name: string,
  answers: Record<string, { username: string; secret: string }>,
): CredentialHelper {
  const log = path.join(binDir, `${name}.log`);
  const data = path.join(binDir, `${name}.json`);
  fs.writeFileSync(data, JSON.stringify(answers));
  const script = `#!/usr/bin/env node
const fs = require("fs");
if (process.argv[2] !== "get") process.exit(2);
const server = fs.readFileSync(0, "utf8").trim();
fs.appendFileSync(${JSON.stringify(log)}, server + "\\n");
const found = JSON.parse(fs.readFileSync(${JSON.stringify(data)}, "utf8"))[server];
if (!found) { process.stdout.write("credentials not found in native keychain\\n"); process.exit(1); }
process.stdout.write(JSON.stringify({ ServerURL: server, Username: found.username, Secret: found.secret }));
`;
  fs.writeFileSync(path.join(binDir, `docker-credential-${name}`), script, { mode: 0o755 });
  return {
    name,
    asked: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, "utf8")
            .split("\n")
            .filter((l) => l !== "")
        : [],
  };
}

/** Puts `dir` first on the PATH; returns a function that restores the PATH. */
export function prependPath(dir: string): () => void {
  const before = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${before ?? ""}`;
  return () => {
    process.env.PATH = before;
  };
}

/** The error a test expects. */
export interface ExpectedError {
  kind: RegistryErrorKind;
  /** The image as given to the client. */
  image: string;
  registry: string;
  /** The message after `Cannot resolve image "<image>" on registry <registry>: `, exactly. */
  says?: string;
  /** Strings that must appear neither in the message nor in the stack. */
  secrets?: string[];
}

/**
 * Awaits `promise` and expects a {@link RegistryError} as described, whose message and stack hold
 * none of the secrets. Returns the error.
 */
export async function expectRegistryError(
  promise: Promise<unknown>,
  expected: ExpectedError,
): Promise<RegistryError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a RegistryError").to.be.instanceOf(RegistryError);
  const error = caught as RegistryError;
  const { kind, image, registry } = expected;
  expect({ kind: error.kind, image: error.image, registry: error.registry }).to.deep.equal({
    kind,
    image,
    registry,
  });
  const prefix = `Cannot resolve image "${image}" on registry ${registry}: `;
  if (expected.says === undefined)
    expect(error.message.startsWith(prefix), error.message).to.equal(true);
  else expect(error.message).to.equal(`${prefix}${expected.says}`);
  for (const secret of expected.secrets ?? []) {
    expect(error.message, "a credential in the message").not.to.include(secret);
    expect(String(error.stack), "a credential in the stack").not.to.include(secret);
  }
  return error;
}

/** What the client says when it found no credentials for `registry` in `dockerConfig`. */
export function noCredentials(registry: string, dockerConfig: string): string {
  return `the registry requires authentication (401 Unauthorized) and no credentials were found for it (looked in the given credentials and the Docker config file ${dockerConfig}). Run \`docker login ${registry}\`, or give credentials for ${registry}.`;
}
