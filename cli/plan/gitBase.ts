/**
 * A stack's objects as its inputs were at a git revision: the stack file, its CR files, its
 * controller config and its config files (`configFiles`) are read with `git ls-tree` and `git cat-file` into a temporary folder (the
 * working tree and the index are never touched), then loaded and built as render does. A file
 * over the input size limit is never read from git: its size alone has it refused.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildStackObjects, listObjects, type KubeObject } from "../../components/builders";
import { InputError, Problems, type Problem } from "../../components/model/problems";
import { loadStackFromSettings } from "../../components/model/loadStack";
import { MAX_YAML_BYTES } from "../../components/model/input/yamlLimits";
import { configFileReferences } from "../../components/model/settings/configFiles";
import { loadStackSettings, readProject } from "../../components/model/settings/stack";

/** The repository that holds the project, and the commit to read. */
interface Revision {
  /** What the user named (`origin/main`), for messages. */
  ref: string;
  commit: string;
  /** The repository's top folder. */
  top: string;
  /** The project folder inside the repository, `""` or ending in `/`. */
  prefix: string;
}

/**
 * The objects the stack `stack` of the project in `projectDir` had at git revision `ref`.
 * A stack file, project file or CR path missing at `ref` means nothing was there then: no
 * objects from it. Throws `InputError` for a revision git does not know, a path outside the
 * repository, or invalid inputs at `ref` (their files named `REF:path`).
 */
export function loadStackAtRevision(projectDir: string, stack: string, ref: string): KubeObject[] {
  const revision = openRevision(projectDir, ref);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-plan-"));
  const baseDir = path.join(temp, revision.prefix);
  const problems = new Problems();
  try {
    const checkout = (given: string): boolean => writeTree(revision, temp, given, problems);
    if (!checkout("Pulumi.yaml")) return [];
    const project = readProject(baseDir, problems);
    const stackFile = path.posix.join(
      project?.stackConfigDir ?? ".",
      `Pulumi.${stack.split("/").at(-1) ?? stack}.yaml`,
    );
    if (project === undefined || !checkout(stackFile)) {
      problems.throwIfErrors();
      return [];
    }
    const settings = loadStackSettings(baseDir, stack, problems, project);
    problems.throwIfErrors();
    const relative = (given: string) =>
      path.isAbsolute(given) ? path.relative(projectDir, given) : given;
    const crs = settings.crs.map(relative).filter(checkout);
    const controllerConfig =
      settings.controllerConfig === undefined ? undefined : relative(settings.controllerConfig);
    if (controllerConfig !== undefined) checkout(controllerConfig);
    // The config files the stack mounts, as they were then; one missing then is reported by
    // the loader, at the stack key that names it.
    for (const { file } of configFileReferences(settings)) {
      if (!path.isAbsolute(file)) checkout(file);
    }
    problems.throwIfErrors();
    const resolved = loadStackFromSettings({
      baseDir,
      settings: { ...settings, crs, controllerConfig },
      problems,
    });
    return listObjects(buildStackObjects(resolved));
  } catch (error) {
    if (error instanceof InputError) throw new InputError(atRevision(error.problems, ref, baseDir));
    throw error;
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Problems found at the revision name their files `REF:path`, as `git show` does. */
function atRevision(problems: readonly Problem[], ref: string, baseDir: string): Problem[] {
  return problems.map((problem) => ({
    ...problem,
    file: [`--base ${ref}`, `${ref}:`].some((named) => problem.file.startsWith(named))
      ? problem.file
      : `${ref}:${problem.file}`,
    message: problem.message.split(baseDir).join(`${ref}:`),
  }));
}

function gitProblem(ref: string, message: string): InputError {
  return new InputError([{ file: `--base ${ref}`, severity: "error", message }]);
}

/** Runs git in `cwd`; its output, or the reason it failed. */
function git(args: string[], cwd: string, input?: Buffer): { out: Buffer } | { failed: string } {
  try {
    const out = execFileSync("git", args, {
      cwd,
      input,
      maxBuffer: 1 << 30,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
    });
    return { out };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === "ENOENT") return { failed: "git is not installed" };
    const stderr = failure.stderr?.toString().trim().split("\n")[0] ?? "";
    return { failed: stderr === "" ? failure.message.split("\n")[0] : stderr };
  }
}

function gitText(args: string[], cwd: string, ref: string, problem: string): string {
  const result = git(args, cwd);
  if ("failed" in result) throw gitProblem(ref, `${problem} (git: ${result.failed})`);
  return result.out.toString().trim();
}

/** The repository around `projectDir` and the commit `ref` names in it. */
function openRevision(projectDir: string, ref: string): Revision {
  const inside = "the project folder is not in a git repository; --base reads the stack from git";
  const top = gitText(["rev-parse", "--show-toplevel"], projectDir, ref, inside);
  const prefix = gitText(["rev-parse", "--show-prefix"], projectDir, ref, inside);
  const commit = gitText(
    ["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`],
    projectDir,
    ref,
    "no such commit; name a branch, tag or commit the repository has " +
      "(in CI, check out with history: fetch-depth: 0)",
  );
  return { ref, commit, top, prefix };
}

/**
 * Writes the files at `given` (a project-relative file or folder) as they were at the revision
 * into `temp` (the repository's top there); whether any file was there.
 */
function writeTree(revision: Revision, temp: string, given: string, problems: Problems): boolean {
  const { ref, commit, top } = revision;
  const inRepo = path.posix.normalize(
    path.posix.join(revision.prefix, given.split(path.sep).join("/")),
  );
  if (inRepo === ".." || inRepo.startsWith("../")) {
    problems.error(
      { file: `--base ${ref}` },
      undefined,
      `${JSON.stringify(given)} is outside the git repository; --base reads only files in it`,
    );
    return false;
  }
  const listing = git(
    ["--literal-pathspecs", "ls-tree", "-r", "-l", "-z", commit, "--", inRepo],
    top,
  );
  if ("failed" in listing) throw gitProblem(ref, `cannot list ${given}: ${listing.failed}`);
  const blobs: { object: string; file: string }[] = [];
  let found = false;
  for (const line of listing.out.toString().split("\0")) {
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(\d+)\t(.*)$/s.exec(line);
    if (match === null) continue;
    const [, mode, type, object, size, file] = match;
    if (type !== "blob") continue;
    if (mode === "120000") {
      problems.error(
        { file: `${ref}:${file}` },
        undefined,
        "is a symbolic link; --base reads regular files only",
      );
      continue;
    }
    found = true;
    const target = path.join(temp, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (Number(size) > MAX_YAML_BYTES) {
      // Never read: a file of its size with no content (a hole), which the loader refuses by
      // its size, with its usual message, if it reads the file at all (a CR folder's other
      // files it does not).
      fs.writeFileSync(target, "");
      fs.truncateSync(target, Number(size));
    } else blobs.push({ object, file });
  }
  const contents = readBlobs(
    revision,
    blobs.map((b) => b.object),
  );
  for (const { object, file } of blobs) {
    fs.writeFileSync(path.join(temp, file), contents.get(object) ?? Buffer.alloc(0));
  }
  return found;
}

/** The contents of blobs (none over {@link MAX_YAML_BYTES}), read with one `git cat-file --batch`. */
function readBlobs(revision: Revision, objects: string[]): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  if (objects.length === 0) return contents;
  const result = git(["cat-file", "--batch"], revision.top, Buffer.from(`${objects.join("\n")}\n`));
  if ("failed" in result) throw gitProblem(revision.ref, `cannot read files: ${result.failed}`);
  const out = result.out;
  let offset = 0;
  for (const object of objects) {
    const newline = out.indexOf(10, offset);
    const [, type, size] = out.subarray(offset, newline).toString().split(" ");
    if (type !== "blob") throw gitProblem(revision.ref, `cannot read git object ${object}`);
    const start = newline + 1;
    contents.set(object, out.subarray(start, start + Number(size)));
    offset = start + Number(size) + 1;
  }
  return contents;
}
