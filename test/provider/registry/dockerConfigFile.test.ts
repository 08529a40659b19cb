/**
 * A Docker config file that is not one: a pipe, a device, a folder or a giant file is refused with
 * one message naming the file, without blocking, exhausting memory or quoting its content.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync, type ChildProcess } from "node:child_process";
import { expect } from "chai";
import { dockerConfigCredentials } from "../../../provider/registry/dockerConfig";
import { CredentialError } from "../../../provider/registry/errors";
import { fedPipe } from "../../properties/hostile/support";
import { authField, removeTempDirs, tempDir } from "./support";

const PLANTED = "pl4nted-Docker-config-password";
const NOT_A_FILE =
  "is not a regular file (a folder, device or pipe?); name the config.json that docker login writes";
const TOO_LARGE =
  "is 5.1 MiB, over the limit of 5 MiB; name the config.json that docker login writes";

/** The CredentialError message reading `file` fails with, `explicit` or found as the default. */
async function failure(file: string, explicit = true): Promise<string> {
  try {
    await dockerConfigCredentials("a.io", file, explicit, 5000);
  } catch (error) {
    expect(error).to.be.instanceOf(CredentialError);
    return (error as Error).message;
  }
  throw new Error(`reading ${file} did not fail`);
}

describe("registry client: a Docker config file that is not one", () => {
  const writers: ChildProcess[] = [];
  after(() => {
    for (const writer of writers) writer.kill();
    removeTempDirs();
  });

  it("a named pipe, named or found as $DOCKER_CONFIG/config.json, is refused unread", async () => {
    const dir = tempDir("docker-config-");
    writers.push(fedPipe(dir, "config.json"));
    const file = path.join(dir, "config.json");
    expect(await failure(file)).to.equal(`the Docker config file ${file} ${NOT_A_FILE}`);
    expect(await failure(file, false)).to.equal(`the Docker config file ${file} ${NOT_A_FILE}`);
  });

  it("a folder is refused", async () => {
    const dir = tempDir("docker-config-");
    expect(await failure(dir)).to.equal(`the Docker config file ${dir} ${NOT_A_FILE}`);
  });

  it("/dev/zero is refused unread (in a child process, which a regression would exhaust)", () => {
    const script =
      `require(${JSON.stringify(require.resolve("../../../provider/registry/dockerConfig"))})` +
      '.dockerConfigCredentials("a.io", "/dev/zero", true, 5000)' +
      ".then(() => console.log('read'), (error) => console.log(error.message));";
    const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect({ stdout: child.stdout, signal: child.signal }).to.deep.equal({
      stdout: `the Docker config file /dev/zero ${NOT_A_FILE}\n`,
      signal: null,
    });
  });

  it("a file over 5 MiB is refused without quoting it; one of 5 MiB is read", async () => {
    const dir = tempDir("docker-config-");
    const auths = { "a.io": { auth: authField("u", PLANTED) } };
    const padded = (bytes: number): string => {
      const json = JSON.stringify({ auths, padding: "" });
      return json.replace('"padding":""', `"padding":"${"x".repeat(bytes - json.length)}"`);
    };
    const large = path.join(dir, "large.json");
    fs.writeFileSync(large, padded(5 * 1024 * 1024 + 1));
    expect(await failure(large)).to.equal(`the Docker config file ${large} ${TOO_LARGE}`);
    const limit = path.join(dir, "limit.json");
    fs.writeFileSync(limit, padded(5 * 1024 * 1024));
    expect(fs.statSync(limit).size).to.equal(5 * 1024 * 1024);
    const found = await dockerConfigCredentials("a.io", limit, true, 5000);
    expect(found?.credential).to.deep.equal({ kind: "password", username: "u", password: PLANTED });
  });

  it("a file that is not UTF-8 is refused naming its line, without quoting it", async () => {
    const dir = tempDir("docker-config-");
    const file = path.join(dir, "config.json");
    const json = `{\n  "auths": {\n    "a.io": {"auth": "${authField("u", PLANTED)}", "email": "j\u00e9"}\n  }\n}\n`;
    fs.writeFileSync(file, Buffer.from(json, "latin1"));
    const message = await failure(file);
    expect(message).to.equal(
      `the Docker config file ${file}, line 3, is not UTF-8 text: the byte 0xE9 at column ` +
        `${json.split("\n")[2].indexOf("\u00e9") + 1} is not valid UTF-8 (a file saved in another ` +
        "encoding, such as Latin-1 or Windows-1252?); save it as UTF-8",
    );
    expect(message).not.to.include(PLANTED);
  });

  it("a file that starts with a byte-order mark is read", async () => {
    const dir = tempDir("docker-config-");
    const file = path.join(dir, "config.json");
    fs.writeFileSync(
      file,
      `\uFEFF${JSON.stringify({ auths: { "a.io": { auth: authField("u", PLANTED) } } })}`,
    );
    const found = await dockerConfigCredentials("a.io", file, true, 5000);
    expect(found?.credential).to.deep.equal({ kind: "password", username: "u", password: PLANTED });
  });
});
