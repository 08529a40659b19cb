/** What every section of the bench gets: rounds, a work folder, the generated projects, a log. */
import * as path from "node:path";
import { generateProject, type BenchProject } from "../generate";
import type { Row } from "../report";

/** Shared state of one bench run. */
export class BenchContext {
  private readonly projects = new Map<string, BenchProject>();

  constructor(
    /** Interleaved rounds per measurement (fewer for the slow program section). */
    readonly rounds: number,
    /** A temporary folder the bench owns and removes at the end. */
    readonly work: string,
    /** Progress lines, on stderr. */
    readonly log: (message: string) => void,
  ) {}

  /** The generated project with `count` integrations (variant 1: every tenth changed). */
  project(count: number, variant: 0 | 1 = 0): BenchProject {
    const key = `${count}-${variant}`;
    let project = this.projects.get(key);
    if (project === undefined) {
      const started = performance.now();
      project = generateProject(count, { variant, dir: path.join(this.work, `project-${key}`) });
      this.log(
        `  generated ${count} integrations (variant ${variant}) in ${(performance.now() - started).toFixed(0)} ms`,
      );
      this.projects.set(key, project);
    }
    return project;
  }
}

/** What a section hands back: its rows for the table and its raw series for results.json. */
export interface SectionResult {
  rows: Row[];
  series: Record<string, unknown>;
}
