/**
 * The configuration files a stack mounts (`configFiles`, at the stack level and per
 * integration): read once each, within the input size limit, checked to be text, and searched
 * for secret-looking values written in plain text.
 */
import * as path from "path";
import { readInputFile, unreadProblem } from "../input/inputFile";
import type { Problems } from "../problems";
import { childPath, itemPath } from "../rules";
import { findConfigSecrets } from "../rules/configSecrets";
import type { ConfigFileSetting, StackSettings } from "../types";

/** Every config file a stack names, with the first stack key that names it (for messages). */
export function configFileReferences(settings: StackSettings): { file: string; key: string }[] {
  const project = settings.project ?? "wso2-mi";
  const out = new Map<string, string>();
  const add = (list: readonly ConfigFileSetting[] | undefined, key: string): void => {
    list?.forEach((entry, i) => {
      if (!out.has(entry.file)) out.set(entry.file, childPath(itemPath(key, i), "file"));
    });
  };
  add(settings.platform?.configFiles, `${project}:configFiles`);
  for (const [id, override] of Object.entries(settings.integrations ?? {})) {
    add(override.configFiles, childPath(childPath(`${project}:integrations`, id), "configFiles"));
  }
  return [...out].map(([file, key]) => ({ file, key }));
}

/**
 * The text of every config file the stack names (paths relative to `baseDir`), by path as
 * written. A file that is missing, not a file, too large or not text is an error at the stack key
 * that names it; each secret-looking value written in plain text is a warning at its own line.
 */
export function readConfigFiles(
  baseDir: string,
  settings: StackSettings,
  problems: Problems,
): Map<string, string> {
  const contents = new Map<string, string>();
  for (const { file, key } of configFileReferences(settings)) {
    const read = readInputFile(path.resolve(baseDir, file));
    const quoted = JSON.stringify(file);
    if (!("text" in read)) {
      const problem =
        read.reason === "missing"
          ? `no such file: ${quoted} (paths are relative to the project directory)`
          : unreadProblem(read, quoted);
      problems.error(settings.source, key, problem);
      continue;
    }
    if (read.text.includes("\u0000")) {
      problems.error(
        settings.source,
        key,
        `${quoted} is not a text file; mount binary files (keystores) from a Secret with secretFiles`,
      );
      continue;
    }
    contents.set(file, read.text);
    for (const secret of findConfigSecrets(read.text)) {
      const name = secret.key.split(".").at(-1) ?? secret.key;
      problems.warning(
        { file, line: secret.line },
        secret.key,
        "the name looks secret but the value is written in the file, so git and the ConfigMap " +
          `hold it in plain text: write ${name} = "$secret{<alias>}" (Micro Integrator's secure ` +
          `vault) or ${name} = "$env{<VARIABLE>}" with the variable set from a Secret ` +
          "(valueFrom.secretKeyRef); render and plan show it as [secret]",
      );
    }
  }
  return contents;
}
