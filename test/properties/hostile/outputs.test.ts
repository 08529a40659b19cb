/**
 * Outputs (issue 15). Nothing of the user's is destroyed: `render --out` removes only the files
 * its marker lists, keeps what a person added beside them, and refuses to write over a file it
 * did not write (`--force`: replaces it) or over one of its inputs (even with `--force`); `plan`
 * reads only the files the marker lists; `import-file --out` never writes over the stack's files
 * and replaces only its own earlier document unless `--force`. Write failures are user errors:
 * every `--out` (and stdout) that is unwritable, on a full disk, a link to nothing, a device or a
 * folder is one line on stderr and exit code 1, never a stack trace.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { main as importFile } from "../../../cli/import-file/main";
import { main as plan } from "../../../cli/plan/main";
import { main as render } from "../../../cli/render/main";
import { OUT_MARKER } from "../../../cli/common/manifests";
import { crYaml, listFiles, ROOT, run, type Result } from "../../cli/run";
import { cleanUp, project, scratch } from "../../cli/plan/support";

const PROJECT = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";

/** A project of two integrations in `apps`, its CRs in `crs/`, a controller config. */
function twoIntegrations(): string {
  return project({
    "Pulumi.yaml": PROJECT,
    "stacks/Pulumi.dev.yaml": [
      "config:",
      "  wso2-mi:namespace: apps",
      "  wso2-mi:crs: [crs]",
      "  wso2-mi:controllerConfig: controller.yaml",
      "",
    ].join("\n"),
    "controller.yaml":
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: integration-config\ndata: {}\n",
    "crs/a.yaml": crYaml("a"),
    "crs/b.yaml": crYaml("b"),
  });
}

/** Every file under `dir` with its content. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
  );
}

/** A one-line user error: exit code 1, nothing on stdout, `line` alone on stderr, no stack. */
function expectOneLine(result: Result, line: string | RegExp): void {
  expect(result.code, result.stderr).to.equal(1);
  expect(result.stdout).to.equal("");
  const lines = result.stderr.split("\n").filter((l) => l !== "");
  expect(lines, result.stderr).to.have.length(1);
  if (typeof line === "string") expect(lines[0]).to.equal(line);
  else expect(lines[0]).to.match(line);
  expect(result.stderr).not.to.match(/\n\s+at /);
}

describe("hostile outputs: nothing destroyed, no crash", () => {
  after(cleanUp);

  describe("render --out keeps what it did not write", () => {
    it("removes only its own stale files, keeps a person's, and plan reads its own only", () => {
      const dir = twoIntegrations();
      const out = path.join(scratch(), "out");
      expect(run(render, ["--stack", "dev", "--out", out], dir).code).to.equal(0);
      const before = path.join(scratch(), "before");
      fs.cpSync(out, before, { recursive: true });
      const mine = {
        "kustomization.yaml": "resources: [apps/deployment-a-deployment.yaml]\n",
        "NOTES.md": "ours\n",
        // Named like render's files, but not render's: its marker does not list it.
        "apps/deployment-mine.yaml": "kind: [\n",
      };
      for (const [file, text] of Object.entries(mine)) fs.writeFileSync(path.join(out, file), text);
      fs.rmSync(path.join(dir, "crs/b.yaml"));
      const again = run(render, ["--stack", "dev", "--out", out], dir);
      expect(again.code, again.stderr).to.equal(0);
      expect(contents(out)).to.include(mine);
      expect(listFiles(out)).to.deep.equal([
        OUT_MARKER,
        "NOTES.md",
        "apps/deployment-a-deployment.yaml",
        "apps/deployment-mine.yaml",
        "apps/ingress-ei-operator-ingress.yaml",
        "apps/service-a-service.yaml",
        "kustomization.yaml",
      ]);
      // The person's YAML files beside render's are no objects of the plan.
      const planned = run(plan, ["--before", before, "--after", out], dir);
      expect(planned.code, planned.stderr).to.equal(0);
      expect(planned.stdout).to.match(/^- {2}Deployment apps\/b-deployment$/m);
      expect(planned.stdout).to.match(
        /Plan: 0 to create, 1 to update, 0 to replace, 2 to delete, 2 unchanged\./,
      );
    });

    it("keeps a person's files in a folder an earlier version marked without a list", () => {
      const dir = twoIntegrations();
      const out = path.join(scratch(), "out");
      expect(run(render, ["--stack", "dev", "--out", out], dir).code).to.equal(0);
      fs.writeFileSync(
        path.join(out, OUT_MARKER),
        "This folder is the output of `npm run render -- --out`; the next render replaces everything in it.\n",
      );
      fs.writeFileSync(path.join(out, "apps", "deployment-mine.yaml"), "mine: 1\n");
      fs.rmSync(path.join(dir, "crs/b.yaml"));
      expect(run(render, ["--stack", "dev", "--out", out], dir).code).to.equal(0);
      expect(listFiles(out)).to.include("apps/deployment-mine.yaml");
      expect(listFiles(out)).not.to.include("apps/deployment-b-deployment.yaml");
    });

    it("refuses a file in its way it did not write, and replaces it with --force", () => {
      const dir = twoIntegrations();
      const out = path.join(scratch(), "out");
      expect(
        run(render, ["--stack", "dev", "--out", out, "--crs", "crs/a.yaml"], dir).code,
      ).to.equal(0);
      fs.writeFileSync(path.join(out, "apps", "deployment-b-deployment.yaml"), "mine\n");
      const before = contents(out);
      expectOneLine(
        run(render, ["--stack", "dev", "--out", out], dir),
        `error: ${out}: "apps/deployment-b-deployment.yaml" in it was not written by render (its ` +
          `${OUT_MARKER} does not list it); move it away, or give --force to replace it`,
      );
      expect(contents(out)).to.deep.equal(before);
      expect(run(render, ["--stack", "dev", "--out", out, "--force"], dir).code).to.equal(0);
      expect(
        fs.readFileSync(path.join(out, "apps", "deployment-b-deployment.yaml"), "utf8"),
      ).to.include("kind: Deployment");
    });

    it("never writes over one of its inputs, even with --force", () => {
      const dir = twoIntegrations();
      // The CR folder is where render would write the namespace `apps`'s files.
      fs.mkdirSync(path.join(dir, "out/apps"), { recursive: true });
      fs.renameSync(
        path.join(dir, "crs/a.yaml"),
        path.join(dir, "out/apps/deployment-a-deployment.yaml"),
      );
      fs.writeFileSync(
        path.join(dir, "stacks/Pulumi.dev.yaml"),
        fs
          .readFileSync(path.join(dir, "stacks/Pulumi.dev.yaml"), "utf8")
          .replace("[crs]", "[crs, out/apps]"),
      );
      const before = contents(dir);
      expectOneLine(
        run(render, ["--stack", "dev", "--out", "out", "--force"], dir),
        'error: out: "apps/deployment-a-deployment.yaml" in it is one of render\'s inputs (a CR, ' +
          "the controller config or the stack file); render never writes over its input: choose " +
          "another folder for --out",
      );
      expect(contents(dir)).to.deep.equal(before);
    });
  });

  describe("import-file --out writes over nothing it did not write", () => {
    const inputs = ["stacks/Pulumi.dev.yaml", "crs/a.yaml", "controller.yaml", "Pulumi.yaml"];
    for (const input of inputs) {
      it(`refuses its input ${input}, even with --force`, () => {
        const dir = twoIntegrations();
        const before = contents(dir);
        for (const force of [[], ["--force"]]) {
          expectOneLine(
            run(importFile, ["--stack", "dev", "--out", input, ...force], dir),
            `error: ${input}: is one of this command's inputs (the stack file, a CR, the ` +
              "controller config); it is never written over: name another file",
          );
        }
        expect(contents(dir)).to.deep.equal(before);
      });
    }

    it("replaces its own earlier document, and another file only with --force", () => {
      const dir = twoIntegrations();
      expect(run(importFile, ["--stack", "dev", "--out", "import.json"], dir).code).to.equal(0);
      expect(run(importFile, ["--stack", "dev", "--out", "import.json"], dir).code).to.equal(0);
      fs.writeFileSync(path.join(dir, "notes.json"), '{"mine": true}\n');
      expectOneLine(
        run(importFile, ["--stack", "dev", "--out", "notes.json"], dir),
        "error: notes.json: exists and is not this command's earlier output; name another " +
          "file, or give --force to replace it",
      );
      expect(fs.readFileSync(path.join(dir, "notes.json"), "utf8")).to.equal('{"mine": true}\n');
      expect(
        run(importFile, ["--stack", "dev", "--out", "notes.json", "--force"], dir).code,
      ).to.equal(0);
      expect(fs.readFileSync(path.join(dir, "notes.json"), "utf8")).to.include('"resources"');
    });
  });

  describe("write failures are one line and exit code 1", () => {
    /** A folder this process cannot write into, whoever runs the tests. */
    function unwritable(): string {
      if (process.getuid?.() === 0) return "/sys/kernel";
      const dir = scratch();
      fs.chmodSync(dir, 0o500);
      return dir;
    }

    const denied = /^(permission denied|the operation is not permitted) \(E(ACCES|PERM)\); /;
    const cases: { what: string; make: () => string; render: RegExp; importFile: RegExp }[] = [
      {
        what: "a folder that cannot be written",
        make: () => path.join(unwritable(), "out"),
        render: new RegExp(
          `^--out could not be written: ${denied.source.slice(1)}the folder is left as it was$`,
        ),
        importFile: new RegExp(
          `^--out could not be written: ${denied.source.slice(1)}nothing was written$`,
        ),
      },
      {
        what: "a link to nothing",
        make: () => {
          const link = path.join(scratch(), "dangling");
          fs.symlinkSync("nowhere", link);
          return link;
        },
        render:
          /^is a symbolic link to "nowhere", which does not exist; choose a folder for --out$/,
        importFile: /^is a symbolic link to "nowhere", which does not exist; name a file$/,
      },
      {
        what: "a device (a full disk when written)",
        make: () => "/dev/full",
        render: /^exists and is not a folder; choose a folder for --out$/,
        importFile: /^is a device, a pipe or a socket, not a file; name a file to write$/,
      },
      {
        what: "a folder",
        make: () => {
          const folder = scratch();
          fs.writeFileSync(path.join(folder, "x"), "");
          return folder;
        },
        render: /^the folder is not empty and holds no \.render-out marker/,
        importFile: /^is a folder; name the file to write$/,
      },
    ];
    for (const { what, make, render: renderLine, importFile: importLine } of cases) {
      it(`--out ${what}, for render and import-file`, () => {
        const dir = twoIntegrations();
        const out = make();
        for (const [main, expected] of [
          [render, renderLine],
          [importFile, importLine],
        ] as const) {
          const result = run(main, ["--stack", "dev", "--out", out], dir);
          expectOneLine(result, /^error: /);
          const prefix = `error: ${out}: `;
          expect(result.stderr.startsWith(prefix), result.stderr).to.equal(true);
          expect(result.stderr.trimEnd().slice(prefix.length)).to.match(expected);
        }
      });
    }

    /** Runs a command in a child process with a file size limit of `kib` KiB (a disk that fills). */
    function limited(
      command: string,
      args: string[],
      cwd: string,
      stdout = "inherit",
      kib = 8,
    ): Result {
      const script = `ulimit -f ${kib}; exec "${process.execPath}" --require "${require.resolve("tsx/cjs")}" "${path.join(ROOT, "cli", command, "main.ts")}" "$@"${stdout === "full" ? " > /dev/full" : ""}`;
      const child = spawnSync("bash", ["-c", script, "bash", ...args], {
        cwd,
        encoding: "utf8",
        timeout: 60_000,
      });
      return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
    }

    it("a disk that fills while --out is written, for render and import-file", function () {
      this.timeout(120_000);
      const dir = project({
        "Pulumi.yaml": PROJECT,
        "stacks/Pulumi.dev.yaml": "config:\n  wso2-mi:namespace: apps\n  wso2-mi:crs: [crs]\n",
        // A large object: its file is over the 8 KiB limit.
        "crs/a.yaml": crYaml("a", [
          "env:",
          ...Array.from({ length: 400 }, (_, i) => `  - {name: V${i}, value: "${"x".repeat(40)}"}`),
        ]),
      });
      expect(
        run(
          render,
          ["--stack", "dev", "--out", "out", "--crs", "crs/a.yaml", "--namespace", "apps"],
          dir,
        ).code,
      ).to.equal(0);
      const earlier = contents(path.join(dir, "out"));
      fs.writeFileSync(
        path.join(dir, "crs/a.yaml"),
        fs.readFileSync(path.join(dir, "crs/a.yaml"), "utf8").replace("V0", "W0"),
      );
      expectOneLine(
        limited("render", ["--stack", "dev", "--out", "out"], dir),
        "error: out: --out could not be written: the file would be larger than the system allows (EFBIG); the folder is left as it was",
      );
      expect(contents(path.join(dir, "out"))).to.deep.equal(earlier);
      const big = "x".repeat(20_000);
      fs.writeFileSync(path.join(dir, "import.json"), `{"resources": [], "pad": "${big}"}\n`);
      expectOneLine(
        limited("import-file", ["--stack", "dev", "--out", "import.json"], dir, "inherit", 1),
        "error: import.json: --out could not be written: the file would be larger than the system allows (EFBIG); nothing was written",
      );
      expect(fs.readFileSync(path.join(dir, "import.json"), "utf8")).to.include(big);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
    });

    it("stdout on a full disk, for every command", function () {
      this.timeout(120_000);
      const dir = twoIntegrations();
      for (const [command, args] of [
        ["render", ["--stack", "dev"]],
        ["start", ["--stack", "dev"]],
        ["import-file", ["--stack", "dev"]],
        ["plan", ["--help"]],
      ] as const) {
        const result = limited(command, [...args], dir, "full");
        expectOneLine(result, "error: stdout could not be written: the disk is full (ENOSPC)");
      }
    });
  });
});
