/**
 * Image resolution in one process: the registry client resolving every image, and the bare-HEAD
 * floor doing the same, alternately for `args.rounds` rounds, each with a fresh client (so that
 * connections and tokens are set up every time). Every answer is checked against the digest
 * pushed. Reports the medians in `detail`. With `args.username`, the registry wants a token and
 * only the client runs (the floor sends no credentials).
 */
import * as fs from "node:fs";
import { RegistryClient } from "../../provider/registry/client";
import { median } from "../measure";
import { bareHeadDigests, FLOOR_CONCURRENCY } from "../peers/bareHead";
import type { ScenarioResult } from "./scenario";

/** One pushed image: `host/repository:tag` and the digest its tag points at. */
export interface PushedImage {
  image: string;
  digest: string;
}

async function timed(
  work: () => Promise<string[]>,
  expected: readonly PushedImage[],
): Promise<number> {
  const started = performance.now();
  const digests = await work();
  const ms = performance.now() - started;
  digests.forEach((digest, k) => {
    if (digest !== expected[k].digest) throw new Error(`${expected[k].image}: resolved ${digest}`);
  });
  return ms;
}

/**
 * `args.images`: a JSON file of {@link PushedImage}; `args.dockerConfig`: an empty Docker config;
 * `args.rounds`; `args.username` and `args.password`: the registry's login, when it wants one.
 */
export async function run(args: Record<string, string>): Promise<ScenarioResult> {
  const pushed = JSON.parse(fs.readFileSync(args.images, "utf8")) as PushedImage[];
  const images = pushed.map((p) => p.image);
  const host = images[0].slice(0, images[0].indexOf("/"));
  const credentials =
    args.username === undefined
      ? undefined
      : { [host]: { username: args.username, password: args.password } };
  const rounds = Number(args.rounds);
  const ours: number[] = [];
  const floor: number[] = [];
  let tokenRequests = 0;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ["floor", "ours"] : ["ours", "floor"];
    for (const side of order) {
      if (side === "floor") {
        if (credentials !== undefined) continue;
        floor.push(await timed(() => bareHeadDigests(images, FLOOR_CONCURRENCY), pushed));
      } else {
        const client = new RegistryClient({
          dockerConfig: args.dockerConfig,
          ...(credentials === undefined ? {} : { credentials }),
        });
        const resolve = async (): Promise<string[]> =>
          (await Promise.all(images.map((image) => client.resolve(image)))).map((r) => r.digest);
        ours.push(await timed(resolve, pushed));
        client.close();
        tokenRequests = client.tokenRequests;
      }
    }
  }
  return {
    objects: images.length,
    detail: {
      oursMs: median(ours),
      ...(floor.length > 0 ? { floorMs: median(floor) } : {}),
      tokenRequests,
      oursRuns: ours.map((ms) => ms.toFixed(1)).join(" "),
      floorRuns: floor.map((ms) => ms.toFixed(1)).join(" "),
    },
  };
}
