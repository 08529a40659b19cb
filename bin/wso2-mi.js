#!/usr/bin/env node
/**
 * `wso2-mi <command> [flags]`: the offline commands, from the JavaScript that `npm install`
 * compiles into dist/ (`prepare`; again with `npm run build`). When dist/ is missing or older
 * than the TypeScript sources (they were edited since), it runs the sources through tsx instead,
 * and says so: slower to start, never out of date.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const built = path.join(root, "dist", "cli", "main.js");

/** The newest modification time of the TypeScript sources the commands are compiled from. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(file).mtimeMs);
    }
  };
  for (const dir of ["cli", "components", "provider"]) walk(path.join(root, dir));
  return newest;
}

function builtTime() {
  try {
    return fs.statSync(built).mtimeMs;
  } catch {
    return undefined;
  }
}

if (!fs.existsSync(path.join(root, "node_modules", "js-yaml"))) {
  // npm is silent in this project (.npmrc), so a failed install may have said nothing.
  process.stderr.write(
    "error: the dependencies are not installed; run `npm install --loglevel=warn` in " +
      `${root} (with npm's own messages, which this project otherwise keeps quiet)\n`,
  );
  process.exit(1);
}

const time = builtTime();
if (time !== undefined && time >= newestSource()) {
  require(built).runProcess();
} else {
  process.stderr.write(
    `note: ${time === undefined ? "dist/ is not built" : "dist/ is older than the TypeScript sources"}; ` +
      "running them through tsx, which starts slower (`npm run build` compiles them)\n",
  );
  require("tsx/cjs");
  require(path.join(root, "cli", "main.ts")).runProcess();
}
