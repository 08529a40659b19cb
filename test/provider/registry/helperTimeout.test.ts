/**
 * Time is bounded (issue 15): a Docker credential helper that does not answer is ended within the
 * client's timeout, SIGTERM first and SIGKILL after, with what it started; the lookup fails then,
 * even when the helper ignores SIGTERM or leaves a process holding its output open. Reached
 * through the Docker config file and through the whole client against a real registry.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { resolveDigest } from "../../../provider/registry/client";
import { dockerConfigCredentials } from "../../../provider/registry/dockerConfig";
import { CredentialError } from "../../../provider/registry/errors";
import { startRegistry, type TestRegistry } from "./harness";
import { renderMain } from "../../../cli/render/main";
import type { CliIo } from "../../../cli/common/io";
import { crWithImage, refreshProject, removeProjects } from "../support";
import {
  expectRegistryError,
  prependPath,
  removeTempDirs,
  tempDir,
  writeDockerConfig,
} from "./support";

/** Helpers that never answer, as shell scripts that write the process ids to stop to `pids`. */
const HELPERS: Record<string, string> = {
  // Sleeps, and ends on SIGTERM as most programs do.
  sleepy: 'echo $$ >> "$PIDS"; exec sleep 30',
  // Ignores SIGTERM: only SIGKILL ends it.
  stubborn: "echo $$ >> \"$PIDS\"; trap '' TERM; while :; do sleep 1; done",
  // Exits at once, leaving a process that holds its output open: "close" would never come.
  forking: '(trap "" TERM; sleep 30) & echo $! >> "$PIDS"; exit 0',
};

/** Whether process `pid` is still running (a zombie waiting for its parent is not). */
function running(pid: number): boolean {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

describe("registry client: credential helpers that never answer", function () {
  this.timeout(60_000);
  let bin: string;
  let pids: string;
  let restorePath: () => void;
  const pidsBefore = process.env.PIDS;

  beforeEach(() => {
    bin = tempDir("slow-helpers-");
    pids = path.join(bin, "pids");
    process.env.PIDS = pids;
    for (const [name, body] of Object.entries(HELPERS)) {
      fs.writeFileSync(path.join(bin, `docker-credential-${name}`), `#!/bin/bash\n${body}\n`, {
        mode: 0o755,
      });
    }
    restorePath = prependPath(bin);
  });
  afterEach(() => {
    restorePath();
    if (pidsBefore === undefined) delete process.env.PIDS;
    else process.env.PIDS = pidsBefore;
  });
  after(removeTempDirs);

  for (const name of Object.keys(HELPERS)) {
    it(`ends ${name} within the timeout, and everything it started`, async () => {
      const file = writeDockerConfig({ credsStore: name });
      const started = Date.now();
      let caught: unknown;
      try {
        await dockerConfigCredentials("registry.example.com", file, true, 1500);
      } catch (error) {
        caught = error;
      }
      const took = Date.now() - started;
      expect(caught).to.be.instanceOf(CredentialError);
      expect((caught as Error).message).to.equal(
        `docker-credential-${name} (credsStore in ${file}) gave no answer within 1.5 s, and was stopped`,
      );
      expect(took).to.be.within(1000, 1500 + 400);
      const stopped = fs.readFileSync(pids, "utf8").trim().split("\n").map(Number);
      expect(stopped).to.have.length(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stopped.filter(running), "still running").to.deep.equal([]);
    });
  }

  describe("through the whole client, against a registry that asks for a login", () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({ auth: "basic" });
    });
    after(() => registry.stop());

    it("fails the lookup within its timeout, naming the helper", async () => {
      const image = `${registry.host}/team/app:v1`;
      const dockerConfig = writeDockerConfig({ credsStore: "stubborn" });
      const started = Date.now();
      await expectRegistryError(resolveDigest(image, { dockerConfig, timeoutMs: 1500 }), {
        kind: "auth",
        image,
        registry: registry.host,
        says:
          `docker-credential-stubborn (credsStore in ${dockerConfig}) gave no answer within ` +
          "1.5 s, and was stopped. Fix the Docker config file or the credential helper.",
      });
      expect(Date.now() - started).to.be.below(1500 * 2 + 500);
      const stopped = fs.readFileSync(pids, "utf8").trim().split("\n").map(Number);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stopped.filter(running)).to.deep.equal([]);
    });

    it("render --resolve-images ends too, one error, exit code 1", async () => {
      const image = `${registry.host}/team/app:v1`;
      const dir = refreshProject(["enabled: true", "timeoutSeconds: 1"], {
        hello: crWithImage("hello", image),
      });
      const dockerConfig = writeDockerConfig({ credsStore: "stubborn" });
      let stdout = "";
      let stderr = "";
      const io: CliIo = {
        projectDir: dir,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      };
      const started = Date.now();
      const code = await renderMain(
        ["--stack", "dev", "--resolve-images", "--docker-config", dockerConfig],
        io,
      );
      expect(Date.now() - started).to.be.below(10_000);
      expect({ code, stdout }).to.deep.equal({ code: 1, stdout: "" });
      expect(stderr).to.include("docker-credential-stubborn");
      expect(stderr).to.include("gave no answer within 1 s, and was stopped");
      expect(stderr).not.to.match(/\n\s+at /);
      const stopped = fs.readFileSync(pids, "utf8").trim().split("\n").map(Number);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stopped.filter(running)).to.deep.equal([]);
      removeProjects();
    });
  });
});
