/**
 * The programs the real-registry tests need: the CNCF distribution registry (Debian's
 * `docker-registry`), `htpasswd` (`apache2-utils`) and `openssl`. Installed with apt-get when
 * missing; when that is impossible the tests fail with the reason, never skip.
 */
import { spawnSync } from "node:child_process";

/** Debian package per program. */
const PACKAGES: Record<string, string> = {
  "docker-registry": "docker-registry",
  htpasswd: "apache2-utils",
  openssl: "openssl",
};

let checked = false;

/** The programs of {@link PACKAGES} that are not on the PATH. */
function missingPrograms(): string[] {
  return Object.keys(PACKAGES).filter(
    (program) => spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status !== 0,
  );
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeout: 600_000,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`
      .trim()
      .split("\n")
      .slice(-15)
      .join("\n");
    throw new Error(
      `The registry tests need ${Object.values(PACKAGES).join(", ")} and \`${command} ${args.join(" ")}\` failed ` +
        `(${result.error?.message ?? `exit ${result.status}`}):\n${output}`,
    );
  }
}

/**
 * Makes sure `docker-registry`, `htpasswd` and `openssl` are installed, running `apt-get update`
 * and `apt-get install -y` once when one is missing.
 * @throws Error saying what is missing and why it could not be installed.
 */
export function ensureRegistryTools(): void {
  if (checked) return;
  const missing = missingPrograms();
  if (missing.length > 0) {
    const packages = missing.map((program) => PACKAGES[program]);
    if (process.getuid?.() !== 0 || spawnSync("sh", ["-c", "command -v apt-get"]).status !== 0) {
      throw new Error(
        `The registry tests need ${missing.join(", ")}; install them with \`apt-get install -y ${packages.join(" ")}\` (as root).`,
      );
    }
    run("apt-get", ["update"]);
    run("apt-get", ["install", "-y", "--no-install-recommends", ...packages]);
    const still = missingPrograms();
    if (still.length > 0) {
      throw new Error(
        `apt-get installed ${packages.join(" ")} but ${still.join(", ")} is still not on the PATH.`,
      );
    }
  }
  checked = true;
}
