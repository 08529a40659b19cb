/** The measurements a child process can run, each loaded only when asked for. */

/** What one run of a scenario produced. */
export interface ScenarioResult {
  /** Kubernetes objects (or other units) produced; the parent checks peers agree. */
  objects: number;
  detail?: Record<string, number | string>;
  /** Manifests produced; the child names their objects after the clock stops. */
  yaml?: string;
}

/** A measurement: arguments are strings (paths, counts), passed as JSON by the parent. */
export interface Scenario {
  run(args: Record<string, string>): Promise<ScenarioResult>;
}

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
