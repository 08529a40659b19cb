/**
 * `npm run images -- --stack NAME [--update [--only NS/NAME...]] [--check] [--docker-config
 * FILE]`: every image the stack refreshes, with the digest its image lock holds and the one its
 * registry serves now; `--update` rewrites the lock (`stacks/<stack>.images.lock.yaml`, nothing
 * else). Exit codes: 0 done, 1 invalid input, a registry failure or (`--check`) a locked digest
 * missing from its registry, 2 usage, 7 (`--check`) an image moved or unlocked, 70 a bug.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { imagesUpdateCommand } from "../../components/model/imageLock/apply";
import { formatImageLock } from "../../components/model/imageLock/format";
import { imageLockFile } from "../../components/model/imageLock/read";
import { InputError, Problems } from "../../components/model/problems";
import { readImageReference } from "../../components/model/rules/imageReference";
import { compareStrings } from "../../components/model/rules/order";
import { describeTagPolicy, tagFits } from "../../components/model/rules/tagPolicy";
import { refreshingIntegrations } from "../../components/model/settings/imageRefresh";
import type { LockedImage, ResolvedIntegration, TagPolicy } from "../../components/model/types";
import { mapLimited } from "../../provider/registry/concurrency";
import { RegistryClient, RegistryError, type ResolveOptions } from "../../provider/registry/client";
import { commandArgs } from "../common/args";
import { cliPath, EXIT, printProblems, processIo, runCommand, type CliIo } from "../common/io";
import { loadStackInput, type StackInput } from "../common/stackInput";
import { IMAGES_USAGE, parseImagesArgs, type ImagesArgs } from "./args";

/** Exit codes of `images`: render's, and `changes` for `--check` finding a moved or unlocked image. */
export const IMAGES_EXIT = { ...EXIT, changes: 7 } as const;

/** What an image's lock says against its registry now. */
export type ImageStatus = "current" | "moved" | "missing" | "unlocked";

/** Options of {@link imagesMain}, for tests. */
export interface ImagesOptions {
  /** The time `changed` records for a digest that moves. Default: now. */
  now?: () => Date;
  /** Lookups under way at once. Default: 8. */
  concurrency?: number;
  /** How often progress goes to stderr, in ms, once a run takes that long. Default: 2000. */
  progressMs?: number;
}

/** One image of the stack: the reference the CRs write, who runs it, and how its tag is chosen. */
interface Image {
  reference: string;
  registry: string;
  written: string;
  policy: TagPolicy;
  integrations: ResolvedIntegration[];
  /** The lock's entry, when the lock holds the image. */
  locked?: LockedImage;
}

/** What the registry said of one image. */
type Finding =
  | { image: Image; status: ImageStatus; now: { tag: string; digest: string } }
  | { image: Image; failure: string };

/** A run whose flags and stack are valid: what is left is to ask the registries. */
interface Prepared {
  args: ImagesArgs;
  input: StackInput;
  images: Image[];
}

/** Flags and the stack; an exit code when `images` stops there. Throws `InputError`. */
function prepare(argv: readonly string[], io: CliIo): Prepared | number {
  const args = commandArgs(
    { name: "images", parse: parseImagesArgs, usage: IMAGES_USAGE },
    argv,
    io,
  );
  if (typeof args === "number") return args;
  const dockerConfig = args.dockerConfig === undefined ? undefined : cliPath(io, args.dockerConfig);
  if (dockerConfig !== undefined && !fs.existsSync(dockerConfig.absolute)) {
    io.stderr(`error: --docker-config: no such file: ${dockerConfig.shown}\n`);
    return EXIT.invalidInput;
  }
  const input = loadStackInput(io.projectDir, { stack: args.stack });
  printProblems(io, input.advice);
  return { args, input, images: stackImages(input, args) };
}

/** Runs `images` with `argv` and returns the exit code. */
export async function imagesMain(
  argv: readonly string[],
  io: CliIo,
  options: ImagesOptions = {},
): Promise<number> {
  try {
    const prepared = prepare(argv, io);
    if (typeof prepared === "number") return prepared;
    return await run(prepared, io, options);
  } catch (error) {
    return runCommand("images", io, () => {
      throw error;
    });
  }
}

/** Looks the images up, prints the table, and updates or checks the lock. */
async function run(prepared: Prepared, io: CliIo, options: ImagesOptions): Promise<number> {
  const { args, input, images } = prepared;
  if (input.settings.imageRefresh?.enabled !== true) {
    io.stderr(
      `note: stack ${args.stack} does not refresh images (${input.project.name}:imageRefresh.enabled ` +
        "is not true): there is nothing to lock\n",
    );
    return EXIT.ok;
  }
  const findings = await lookUp(images, input, args, io, options);
  io.stdout(formatTable(findings));
  const failures = findings.filter((f) => "failure" in f);
  for (const f of failures) io.stderr(`error: ${f.failure}\n`);
  if (failures.length > 0) {
    if (args.update) io.stderr("error: the image lock was not changed\n");
    return EXIT.invalidInput;
  }
  if (args.update) return update(findings, input, args, io, options);
  if (!args.check) return EXIT.ok;
  const statuses = findings.map((f) => ("status" in f ? f.status : "current"));
  const command = imagesUpdateCommand(args.stack);
  if (statuses.includes("missing")) {
    io.stderr(`error: a locked digest is missing from its registry; \`${command}\` moves it\n`);
    return EXIT.invalidInput;
  }
  if (statuses.some((s) => s === "moved" || s === "unlocked")) {
    io.stderr(`error: images moved or are not locked; \`${command}\` locks what is served now\n`);
    return IMAGES_EXIT.changes;
  }
  return EXIT.ok;
}

/**
 * The images of the stack's refreshing integrations, one per reference. Integrations that run one
 * image with different tag policies are an error: the lock holds one tag per image. `--only`
 * names must be refreshing integrations of the stack.
 */
function stackImages(input: StackInput, args: ImagesArgs): Image[] {
  const problems = new Problems();
  const byReference = new Map<string, Image>();
  const refreshing = refreshingIntegrations(input.resolved);
  for (const integration of refreshing) {
    const policy: TagPolicy = integration.imageRefresh?.policy ?? { kind: "digest" };
    const found = byReference.get(integration.image);
    if (found !== undefined) {
      if (JSON.stringify(found.policy) !== JSON.stringify(policy)) {
        const first = found.integrations[0];
        problems.error(
          integration.source,
          "spec.image",
          `runs ${integration.image} as ${first.namespace}/${first.name} does, with another tag ` +
            `policy (${describeTagPolicy(policy)}, not ${describeTagPolicy(found.policy)}); the ` +
            "image lock holds one tag per image: give both the same policy",
        );
      }
      found.integrations.push(integration);
      continue;
    }
    const ref = readImageReference(integration.image).reference;
    if (ref === undefined) continue;
    const image: Image = {
      reference: integration.image,
      registry: ref.registry,
      written: ref.tag ?? "latest",
      policy,
      integrations: [integration],
    };
    const locked = input.resolved.imageLock?.images[integration.image];
    if (locked !== undefined) image.locked = locked;
    byReference.set(integration.image, image);
  }
  const names = refreshing.map((i) => `${i.namespace}/${i.name}`);
  for (const name of args.only ?? []) {
    if (names.includes(name)) continue;
    const all = input.resolved.integrations.map((i) => `${i.namespace}/${i.name}`);
    problems.error(
      { file: "command line" },
      "--only",
      all.includes(name)
        ? `${name} does not refresh its image (pinned by digest, or annotated image-refresh: "false"), so the lock holds nothing for it`
        : `the stack has no integration ${name}; its integrations that refresh images are ${names.join(", ")}`,
    );
  }
  problems.throwIfErrors();
  return [...byReference.values()].sort((a, b) => compareStrings(a.reference, b.reference));
}

/**
 * Asks the registries about every image, at most `concurrency` at once, with one client (its
 * tokens, connections and per-host limit shared): the tag the policy deploys now and its digest,
 * and for a lock that differs, whether the locked digest is still there.
 */
async function lookUp(
  images: Image[],
  input: StackInput,
  args: ImagesArgs,
  io: CliIo,
  options: ImagesOptions,
): Promise<Finding[]> {
  const refresh = input.settings.imageRefresh;
  // --docker-config is relative to where the command started, the stack's to the project.
  const dockerConfig =
    args.dockerConfig !== undefined
      ? cliPath(io, args.dockerConfig).absolute
      : refresh?.dockerConfig === undefined
        ? undefined
        : path.resolve(io.projectDir, refresh.dockerConfig);
  const clientOptions: ResolveOptions = {};
  if (dockerConfig !== undefined) clientOptions.dockerConfig = dockerConfig;
  if (refresh !== undefined && refresh.insecureRegistries.length > 0) {
    clientOptions.insecureRegistries = [...refresh.insecureRegistries];
  }
  if (refresh?.timeoutSeconds !== undefined)
    clientOptions.timeoutMs = refresh.timeoutSeconds * 1000;
  const client = new RegistryClient(clientOptions);
  const started = Date.now();
  const every = options.progressMs ?? 2000;
  let lastProgress = started;
  let done = 0;
  const progress = (): void => {
    done++;
    const now = Date.now();
    if (now - lastProgress < every || done === images.length) return;
    lastProgress = now;
    io.stderr(`images: ${done} of ${images.length} looked up\n`);
  };
  const one = async (image: Image): Promise<Finding> => {
    try {
      const chosen =
        image.policy.kind === "digest"
          ? await client.resolve(image.reference)
          : await client.resolveByPolicy(image.reference, image.policy);
      const now = { tag: chosen.tag ?? image.written, digest: chosen.digest };
      const { locked } = image;
      if (locked === undefined || !tagFits(image.policy, locked.tag, image.written)) {
        return { image, status: "unlocked", now };
      }
      if (locked.digest === now.digest && locked.tag === now.tag) {
        return { image, status: "current", now };
      }
      const present = await client.hasManifest(image.reference, locked.digest);
      return { image, status: present ? "moved" : "missing", now };
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      return { image, failure: error.message };
    } finally {
      progress();
    }
  };
  try {
    return await mapLimited(images, options.concurrency ?? 8, one);
  } finally {
    client.close();
  }
}

/** `sha256:` and the first 12 hex digits, as `docker images` shows digests. */
function short(digest: string): string {
  const colon = digest.indexOf(":");
  return digest.slice(0, colon + 13);
}

/** The table: one row per image, columns padded, sorted by image. */
export function formatTable(findings: readonly Finding[]): string {
  const rows = [["IMAGE", "POLICY", "LOCKED", "REGISTRY NOW", "STATUS", "USED BY"]];
  for (const finding of findings) {
    const { image } = finding;
    const locked =
      image.locked === undefined ? "-" : `${image.locked.tag}@${short(image.locked.digest)}`;
    const now = "now" in finding ? `${finding.now.tag}@${short(finding.now.digest)}` : "?";
    const status = "status" in finding ? finding.status : "error";
    const users = image.integrations.map((i) => `${i.namespace}/${i.name}`).join(", ");
    rows.push([image.reference, describeTagPolicy(image.policy), locked, now, status, users]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join("  "),
    )
    .join("\n")
    .concat("\n");
}

/**
 * Writes the lock: every image looked up (only `--only`'s with it, the others' entries kept as
 * they were) at the tag and digest served now; `changed` moves only with the digest. Without
 * `--only`, entries no integration refreshes are dropped. An unchanged lock is not rewritten.
 */
function update(
  findings: Finding[],
  input: StackInput,
  args: ImagesArgs,
  io: CliIo,
  options: ImagesOptions,
): number {
  const file = imageLockFile(input.settings);
  if (file === undefined) throw new Error("a stack read from its file has an image lock path");
  const selected = new Set(
    (args.only ?? []).flatMap((name) =>
      findings
        .filter((f) => f.image.integrations.some((i) => `${i.namespace}/${i.name}` === name))
        .map((f) => f.image.reference),
    ),
  );
  const before = input.resolved.imageLock?.images ?? {};
  const images: Record<string, LockedImage> = args.only === undefined ? {} : { ...before };
  const stamp = (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const counts = { moved: 0, added: 0, removed: 0 };
  for (const finding of findings) {
    if (!("now" in finding)) continue;
    const { image, now } = finding;
    if (args.only !== undefined && !selected.has(image.reference)) continue;
    const previous = before[image.reference];
    const changed = previous?.digest === now.digest ? previous.changed : stamp;
    images[image.reference] = {
      tag: now.tag,
      digest: now.digest,
      registry: image.registry,
      changed,
    };
    if (previous === undefined) counts.added++;
    else if (previous.digest !== now.digest || previous.tag !== now.tag) counts.moved++;
    for (const other of image.integrations.map((i) => `${i.namespace}/${i.name}`)) {
      if (
        args.only !== undefined &&
        !args.only.includes(other) &&
        previous?.digest !== now.digest
      ) {
        io.stderr(`note: ${other} runs ${image.reference} too, so it moves with it\n`);
      }
    }
  }
  for (const reference of Object.keys(before)) if (!(reference in images)) counts.removed++;
  const text = formatImageLock(input.settings.stack, images);
  const target = path.resolve(io.projectDir, file);
  const existing = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
  if (existing === undefined && Object.keys(images).length === 0) {
    io.stderr(`note: no integration of stack ${args.stack} refreshes its image: no lock written\n`);
    return EXIT.ok;
  }
  if (existing === text) {
    io.stderr(`${file} is up to date\n`);
    return EXIT.ok;
  }
  writeAtomically(target, text);
  const said = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`);
  io.stderr(`wrote ${file}${said.length === 0 ? "" : `: ${said.join(", ")}`}\n`);
  return EXIT.ok;
}

/** Writes `text` to `file` through a temporary file beside it, so a reader sees all or nothing. */
function writeAtomically(file: string, text: string): void {
  if (/^Pulumi\..*\.yaml$/.test(path.basename(file))) {
    throw new InputError([
      { file, severity: "error", message: "is a stack file; images writes only image locks" },
    ]);
  }
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, text, { flag: "wx" });
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

if (require.main === module) {
  void imagesMain(process.argv.slice(2), processIo("images")).then((code) => {
    process.exitCode = code;
  });
}
