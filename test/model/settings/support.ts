/** Helpers for the config tests: problems as printed lines, and throw-away project folders. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { formatProblem, type Problems } from "../../../components/model/problems";

/** Every problem as the user sees it. */
export function lines(problems: Problems): string[] {
  return problems.list.map(formatProblem);
}

/** Folders made by {@link tempProject}, removed once every test has run. */
const made: string[] = [];

after(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new folder holding `files` (path -> content), for tests that read a project from disk;
 * removed after the run.
 */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "wso2-mi-config-"));
  made.push(dir);
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}

/** Text without the common leading indentation, so YAML can be written indented in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce(
    (acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ""),
    "",
  );
  const body = text.replace(/^\n/, "").replace(/\n[ \t]*$/, "\n");
  const indents = body
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const indent = Math.min(...indents);
  return body
    .split("\n")
    .map((l) => l.slice(indent))
    .join("\n");
}
