/**
 * Golden output of `npm run reconciler` for the example stacks, reviewed as files in
 * `test/golden/reconciler/` (`<stack>.yaml` and the notes in `<stack>.yaml.stderr`).
 * `UPDATE_GOLDEN=1 npm test` rewrites them; the diff is then the review.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { ROOT } from "../run";
import { reconcile, required } from "./support";

const GOLDEN = path.join(ROOT, "test", "golden", "reconciler");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const STACKS = fs
  .readdirSync(path.join(ROOT, "stacks"))
  .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
  .filter((stack): stack is string => stack !== undefined)
  .sort();

/** `actual` equals the golden `file` (written first under UPDATE_GOLDEN=1). */
function golden(file: string, actual: string): void {
  const full = path.join(GOLDEN, file);
  if (UPDATE) {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(full, actual);
  }
  expect(fs.existsSync(full), `${full} exists (UPDATE_GOLDEN=1 npm test writes it)`).to.equal(true);
  expect(actual, file).to.equal(fs.readFileSync(full, "utf8"));
}

describe("reconciler: golden output", () => {
  it("covers the example stacks", () => {
    expect(STACKS).to.include.members(["dev", "prod"]);
  });

  for (const stack of STACKS) {
    it(`stack ${stack}`, () => {
      const { code, stdout, stderr } = reconcile(required(stack));
      expect(code, stderr).to.equal(0);
      golden(`${stack}.yaml`, stdout);
      golden(`${stack}.yaml.stderr`, stderr);
    });
  }
});
