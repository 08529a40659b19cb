/**
 * Image resolution of 200 distinct tags against a local registry (the registry tests' harness:
 * Debian's `docker-registry` on loopback): the registry client, the bare-HEAD floor in the same
 * process, and `skopeo inspect --raw` once per image, as a user's script would run it.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { pushImage, startRegistry, type TestRegistry } from "../../test/provider/registry/harness";
import { median, runChild, runChildAsync } from "../measure";
import { FLOOR_CONCURRENCY } from "../peers/bareHead";
import type { PushedImage } from "../scenarios/images";
import { formatMs, formatNumber, type Row } from "../report";
import type { BenchContext, SectionResult } from "./context";

/** Target: ours within this factor of the bare-HEAD floor. */
export const FLOOR_TARGET = 1.5;
/** Target: ours at least this many times faster than one skopeo call per image. */
export const SKOPEO_TARGET = 5;

const REPOSITORIES = 20;
const TAGS_PER_REPOSITORY = 10;

const MEASURE = `image resolution, ${REPOSITORIES * TAGS_PER_REPOSITORY} tags`;

/** Installs skopeo with apt-get when it is missing; returns why it is unavailable, if it is. */
function ensureSkopeo(ctx: BenchContext): string | undefined {
  const has = (): boolean => spawnSync("sh", ["-c", "command -v skopeo"]).status === 0;
  if (has()) return undefined;
  if (process.getuid?.() !== 0)
    return "skopeo is missing; install it with `apt-get install -y skopeo`";
  ctx.log("  installing skopeo with apt-get");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "skopeo"]]) {
    const result = spawnSync("apt-get", args, { env, encoding: "utf8", timeout: 600_000 });
    if (result.status !== 0)
      return `apt-get ${args.join(" ")} failed: ${result.stderr.trim().split("\n").at(-1)}`;
  }
  return has() ? undefined : "apt-get installed skopeo but it is not on the PATH";
}

/** Pushes the images, 8 at a time: `host/repository:tag` and its digest per image. */
async function pushImages(registry: TestRegistry): Promise<PushedImage[]> {
  const pushes: (() => Promise<PushedImage>)[] = [];
  for (let r = 0; r < REPOSITORIES; r++) {
    for (let t = 0; t < TAGS_PER_REPOSITORY; t++) {
      const repository = `bench/app-${String(r).padStart(2, "0")}`;
      const tag = `1.${t}.0`;
      pushes.push(async () => ({
        image: `${registry.host}/${repository}:${tag}`,
        digest: (await pushImage(registry, repository, tag, "docker", `${r}-${t}`)).digest,
      }));
    }
  }
  const images: PushedImage[] = [];
  for (let k = 0; k < pushes.length; k += 8) {
    images.push(...(await Promise.all(pushes.slice(k, k + 8).map((push) => push()))));
  }
  return images;
}

/** Starts a registry with `auth`, pushes the images and writes their list; returns the list's path. */
async function withImages<T>(
  ctx: BenchContext,
  auth: "none" | "token",
  measure: (registry: TestRegistry, list: string, images: PushedImage[]) => Promise<T> | T,
): Promise<T> {
  const registry = await startRegistry({ auth });
  try {
    const images = await pushImages(registry);
    const list = path.join(ctx.work, `images-${auth}.json`);
    fs.writeFileSync(list, JSON.stringify(images));
    return await measure(registry, list, images);
  } finally {
    await registry.stop();
  }
}

/** Runs `skopeo inspect --raw` once per image, in sequence, checking each digest; each call's ms. */
function skopeoTimes(images: readonly PushedImage[]): number[] {
  return images.map(({ image, digest }) => {
    const started = performance.now();
    const result = spawnSync("skopeo", [
      "inspect",
      "--raw",
      "--tls-verify=false",
      `docker://${image}`,
    ]);
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`skopeo inspect ${image}: ${String(result.stderr)}`);
    if (`sha256:${createHash("sha256").update(result.stdout).digest("hex")}` !== digest) {
      throw new Error(`skopeo and the registry disagree on ${image}`);
    }
    return ms;
  });
}

/** Measures the image section. */
export async function measureImages(ctx: BenchContext): Promise<SectionResult> {
  const noSkopeo = ensureSkopeo(ctx);
  const dockerConfig = path.join(ctx.work, "docker-config.json");
  fs.writeFileSync(dockerConfig, "{}\n");
  const rounds = String(Math.max(ctx.rounds, 3) * 2 + 1);
  const rows: Row[] = [];
  const series: Record<string, unknown> = {};

  await withImages(ctx, "none", (_registry, list, images) => {
    const report = runChild("images", { images: list, dockerConfig, rounds });
    series.oursAndFloor = report;
    const oursMs = Number(report.detail?.oursMs);
    const floorMs = Number(report.detail?.floorMs);
    ctx.log(`  ours ${oursMs.toFixed(0)} ms, floor ${floorMs.toFixed(0)} ms`);
    rows.push({
      section: "images",
      measure: `${MEASURE}: ours (at most ${FLOOR_CONCURRENCY} at once per registry)`,
      figure: `${formatMs(oursMs)} (bare-HEAD floor ${formatMs(floorMs)})`,
    });
    const ratio = oursMs / floorMs;
    rows.push({
      section: "images",
      measure: `${MEASURE}: ours / bare-HEAD floor`,
      figure: `${formatNumber(ratio, 2)}×`,
      target: `≤ ${FLOOR_TARGET}×`,
      met: ratio <= FLOOR_TARGET,
    });
    if (noSkopeo !== undefined) {
      rows.push({
        section: "images",
        measure: `${MEASURE}: skopeo per image / ours`,
        figure: `not measured: ${noSkopeo}`,
        target: `≥ ${SKOPEO_TARGET}×`,
      });
      return;
    }
    const times = skopeoTimes(images);
    const total = times.reduce((a, b) => a + b, 0);
    series.skopeo = { totalMs: total, medianCallMs: median(times), callsMs: times };
    ctx.log(`  skopeo ${total.toFixed(0)} ms`);
    const speedup = total / oursMs;
    rows.push({
      section: "images",
      measure: `${MEASURE}: skopeo per image / ours`,
      figure: `${formatNumber(speedup, 1)}× (skopeo ${formatMs(total)}, ${formatMs(median(times))} per call)`,
      target: `≥ ${SKOPEO_TARGET}×`,
      met: speedup >= SKOPEO_TARGET,
    });
  });

  await withImages(ctx, "token", async (registry, list) => {
    const report = await runChildAsync("images", {
      images: list,
      dockerConfig,
      rounds: String(ctx.rounds),
      username: registry.username,
      password: registry.password,
    });
    series.token = report;
    const oursMs = Number(report.detail?.oursMs);
    ctx.log(`  ours with tokens ${oursMs.toFixed(0)} ms`);
    rows.push({
      section: "images",
      measure: `${MEASURE}, token auth: ours`,
      figure:
        `${formatMs(oursMs)}, ${formatNumber(Number(report.detail?.tokenRequests))} token requests ` +
        `for ${REPOSITORIES} repositories`,
    });
  });
  return { rows, series };
}
