/** The measurements a child process can run, each loaded only when asked for. */
import type { Scenario } from "./scenario";

export type { Scenario, ScenarioResult } from "./scenario";

/** Every scenario by name, loaded lazily so that a child pays only for its own modules. */
export const SCENARIOS = {
  "render-ours": () => import("./renderOurs"),
  "render-cdk8s": () => import("./renderCdk8s"),
  "program-ours": () => import("./programOurs"),
  "program-naive": () => import("./programNaive"),
  "program-bare": () => import("./programBare"),
  plan: () => import("./plan"),
  images: () => import("./images"),
} satisfies Record<string, () => Promise<Scenario>>;

/** A scenario's name. */
export type ScenarioName = keyof typeof SCENARIOS;
