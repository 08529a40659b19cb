/** What every scenario is and returns; its own module, so that scenarios and the index import no circle. */
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
