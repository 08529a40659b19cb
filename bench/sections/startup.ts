/**
 * Start-up: render as a user runs it, whole processes side by side, wall time from spawn to exit.
 * The fastest documented way (`node bin/wso2-mi.js render`, the compiled JavaScript) against a
 * bare `node -e 0` for the dev stack, and against a js-yaml floor (read the same 1,000 CRs, dump
 * the same YAML, nothing else) for 1,000 integrations; `npm run render`, the TypeScript through
 * tsx and cdk8s-plus stand beside them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadAll } from "js-yaml";
import { countDocuments } from "../count";
import { BENCH_STACK } from "../generate";
import { median } from "../measure";
import { formatMs, formatNumber, type Row } from "../report";
import type { BenchContext, SectionResult } from "./context";

/** Target: render of the dev stack by the compiled bin within this many times `node -e 0`. */
export const DEV_STARTUP_TARGET = 3;
/** Target: render of 1,000 integrations by the compiled bin within this many times the floor. */
export const FLOOR_TARGET = 2.5;

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "wso2-mi.js");

/**
 * The floor, run by `node -e` with the js-yaml module, the CR folder and a JSON file of the
 * objects render prints: reads every CR with js-yaml, then dumps those objects as render does
 * (keys sorted, no folding, no anchors) to stdout. Whatever a renderer does, it reads the CRs
 * and writes this YAML.
 */
const FLOOR_SCRIPT = `
const fs = require("node:fs");
const path = require("node:path");
const [yamlModule, crDir, objectsFile] = process.argv.slice(1);
const yaml = require(yamlModule);
for (const name of fs.readdirSync(crDir).sort()) {
  yaml.loadAll(fs.readFileSync(path.join(crDir, name), "utf8"));
}
const objects = JSON.parse(fs.readFileSync(objectsFile, "utf8"));
const dump = (o) => yaml.dump(o, { sortKeys: true, lineWidth: -1, noRefs: true });
process.stdout.write(objects.map(dump).join("---\\n"));
`;

/** One process to time. */
interface ProcessJob {
  key: string;
  command: string;
  args: string[];
  cwd: string;
}

/** The environment of a user's shell: no npm variables of the `npm run bench` running this. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD"),
  );
}

/** Runs `job` once; its stdout when `capture`, else discarded. Throws when it fails. */
function runOnce(job: ProcessJob, capture: boolean): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(job.command, job.args, {
    cwd: job.cwd,
    env: userEnv(),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"],
    timeout: 300_000,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${job.key} exited ${result.status ?? result.signal}:\n${result.stderr}`);
  }
  return { ms, stdout: result.stdout ?? "" };
}

/** Every job `rounds` times, interleaved in a rotated order; the wall times per job. */
function interleaveProcesses(
  jobs: readonly ProcessJob[],
  rounds: number,
  log: (message: string) => void,
): Record<string, number[]> {
  const times: Record<string, number[]> = Object.fromEntries(jobs.map((job) => [job.key, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[(round + k) % jobs.length];
      times[job.key].push(runOnce(job, false).ms);
    }
    log(
      `  round ${round + 1}/${rounds}: ` +
        jobs.map((job) => `${job.key} ${formatMs(times[job.key][round])}`).join(", "),
    );
  }
  return times;
}

/** Builds dist/ when the bin would run the TypeScript sources instead (missing or older). */
function ensureBuilt(log: (message: string) => void): void {
  const probe = spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
  if (!probe.stderr.includes("running them through tsx")) return;
  log("  dist/ is missing or older than the sources: npm run build");
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

/** Measures the start-up section. */
export function measureStartup(ctx: BenchContext): SectionResult {
  ensureBuilt(ctx.log);
  const node = process.execPath;
  const project = ctx.project(1000);
  const yamlModule = require.resolve("js-yaml");
  const objectsFile = path.join(ctx.work, "startup-objects.json");

  const devJobs: ProcessJob[] = [
    { key: "node", command: node, args: ["-e", "0"], cwd: ROOT },
    { key: "bin-dev", command: node, args: [BIN, "render", "--stack", "dev"], cwd: ROOT },
    { key: "npm-dev", command: "npm", args: ["run", "render", "--", "--stack", "dev"], cwd: ROOT },
    {
      key: "tsx-dev",
      command: node,
      args: ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), "render", "--stack", "dev"],
      cwd: ROOT,
    },
  ];
  const bigJobs: ProcessJob[] = [
    {
      key: "bin-1000",
      command: node,
      args: [BIN, "render", "--stack", BENCH_STACK],
      cwd: project.dir,
    },
    {
      key: "floor-1000",
      command: node,
      args: ["-e", FLOOR_SCRIPT, yamlModule, project.crDir, objectsFile],
      cwd: project.dir,
    },
    {
      key: "cdk8s-1000",
      command: node,
      args: [
        "--import",
        "tsx",
        path.join(ROOT, "bench", "child.ts"),
        "render-cdk8s",
        JSON.stringify({ dir: project.dir }),
      ],
      cwd: ROOT,
    },
  ];

  // Every side does the work it is timed for, checked once before the clock runs.
  const dev = runOnce(devJobs[1], true).stdout;
  const viaNpm = runOnce(devJobs[2], true).stdout;
  if (countDocuments(dev) !== 14 || viaNpm !== dev) {
    throw new Error("render of the dev stack through the bin and through npm printed other YAML");
  }
  const rendered = runOnce(bigJobs[0], true).stdout;
  fs.writeFileSync(objectsFile, JSON.stringify(loadAll(rendered)));
  if (runOnce(bigJobs[1], true).stdout !== rendered) {
    throw new Error("the js-yaml floor wrote other YAML than render: it is not the same work");
  }

  const quick = interleaveProcesses(devJobs, ctx.rounds * 3, ctx.log);
  const big = interleaveProcesses(bigJobs, ctx.rounds, ctx.log);
  const ms = (times: number[]) => median(times);
  const [bare, binDev] = [ms(quick.node), ms(quick["bin-dev"])];
  const [bin1000, floor, cdk8s] = [
    ms(big["bin-1000"]),
    ms(big["floor-1000"]),
    ms(big["cdk8s-1000"]),
  ];
  const objects = countDocuments(rendered);
  const devRatio = binDev / bare;
  const floorRatio = bin1000 / floor;

  const rows: Row[] = [
    { section: "start-up", measure: "bare Node start (node -e 0)", figure: formatMs(bare) },
    {
      section: "start-up",
      measure: "render dev: node bin/wso2-mi.js, compiled",
      figure: formatMs(binDev),
    },
    {
      section: "start-up",
      measure: "render dev: npm run render (npm, then the same bin)",
      figure: formatMs(ms(quick["npm-dev"])),
    },
    {
      section: "start-up",
      measure: "render dev: the TypeScript sources through tsx",
      figure: formatMs(ms(quick["tsx-dev"])),
    },
    {
      section: "start-up",
      measure: "render dev: bin / bare Node",
      figure: `${formatNumber(devRatio, 2)}× (${formatMs(binDev)} / ${formatMs(bare)})`,
      target: `≤ ${formatNumber(DEV_STARTUP_TARGET, 1)}×`,
      met: devRatio <= DEV_STARTUP_TARGET,
    },
    {
      section: "start-up",
      measure: `render 1,000 (${formatNumber(objects)} objects): node bin/wso2-mi.js`,
      figure: formatMs(bin1000),
    },
    {
      section: "start-up",
      measure: "floor: js-yaml reads the 1,000 CRs and dumps the same YAML",
      figure: formatMs(floor),
    },
    {
      section: "start-up",
      measure: "cdk8s-plus, the same 1,000 (its TypeScript through tsx)",
      figure: formatMs(cdk8s),
    },
    {
      section: "start-up",
      measure: "render 1,000: bin / js-yaml floor",
      figure: `${formatNumber(floorRatio, 2)}× (${formatMs(bin1000)} / ${formatMs(floor)})`,
      target: `≤ ${formatNumber(FLOOR_TARGET, 1)}×`,
      met: floorRatio <= FLOOR_TARGET,
    },
  ];
  return { rows, series: { ...quick, ...big } };
}
