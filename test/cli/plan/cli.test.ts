import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { PLAN_USAGE } from "../../../cli/plan/args";
import { loadStackInput } from "../../../cli/common/stackInput";
import { crYaml, ROOT } from "../run";
import {
  cleanUp,
  deployment,
  outDir,
  project,
  renderOut,
  runPlan,
  scratch,
  service,
} from "./support";

describe("plan: command line", () => {
  after(cleanUp);

  describe("renders of the same and of changed inputs", () => {
    it("two renders of the same stack plan to no changes", () => {
      const count = loadStackInput(ROOT, { stack: "dev" }).list.length;
      const before = renderOut(ROOT, ["--stack", "dev"]);
      const after_ = renderOut(ROOT, ["--stack", "dev"]);
      const result = runPlan(["--before", before, "--after", after_, "--expect-no-changes"]);
      expect(result).to.deep.equal({
        code: 0,
        stdout: `no changes\n\nPlan: 0 to create, 0 to update, 0 to replace, 0 to delete, ${count} unchanged.\n`,
        stderr: "",
      });
    });

    it("adding, changing and removing integrations shows exactly those objects and Ingress paths", () => {
      const dir = project({
        "crs/alpha.yaml": crYaml("alpha"),
        "crs/beta.yaml": crYaml("beta", ["expose:", "  inboundPorts: [8000]"]),
      });
      const flags = ["--crs", "crs", "--namespace", "ns"];
      const before = renderOut(dir, flags);
      fs.rmSync(path.join(dir, "crs/beta.yaml"));
      fs.writeFileSync(
        path.join(dir, "crs/alpha.yaml"),
        crYaml("alpha").replace(":1.0.0", ":1.1.0"),
      );
      fs.writeFileSync(path.join(dir, "crs/gamma.yaml"), crYaml("gamma"));
      const after_ = renderOut(dir, flags);
      const rule = "spec.rules[wso2ei.ingress.wso2.com].http.paths";
      const backend = (name: string, port: number) =>
        `{backend: {service: {name: ${name}-service, port: {number: ${port}}}}`;
      expect(runPlan(["--before", before, "--after", after_]).stdout).to.equal(
        [
          "~  Deployment ns/alpha-deployment",
          "      ~ spec.template.spec.containers[micro-integrator].image: docker.io/wso2/alpha:1.0.0 => docker.io/wso2/alpha:1.1.0",
          "-  Deployment ns/beta-deployment",
          "-  Service ns/beta-service",
          "~  Ingress ns/ei-operator-ingress",
          `      + ${rule}[/gamma-service(/|$)(.*)]: ${backend("gamma", 8290)}, path: /gamma-service(/|$)(.*), pathType: ImplementationSpecific}`,
          `      - ${rule}[/beta-inbound/8000(/|$)(.*)]: ${backend("beta", 8000)}, path: /beta-inbound/8000(/|$)(.*), pathType: ImplementationSpecific}`,
          `      - ${rule}[/beta-service(/|$)(.*)]: ${backend("beta", 8290)}, path: /beta-service(/|$)(.*), pathType: ImplementationSpecific}`,
          "+  Deployment ns/gamma-deployment",
          "+  Service ns/gamma-service",
          "",
          "Plan: 2 to create, 2 to update, 0 to replace, 2 to delete, 1 unchanged.",
          "",
        ].join("\n"),
      );
    });
  });

  describe("exit codes", () => {
    const a = () => outDir([deployment("a"), service("a")]);
    const b = () => outDir([deployment("a", { image: "ex/a:2" }), service("a")]);

    it("0 with changes when no changes were not expected", () => {
      expect(runPlan(["--before", a(), "--after", b()]).code).to.equal(0);
    });

    it("7 with any change under --expect-no-changes; the plan is still printed", () => {
      const result = runPlan(["--before", a(), "--after", b(), "--expect-no-changes"]);
      expect(result.code).to.equal(7);
      expect(result.stdout).to.contain("Plan: 0 to create, 1 to update,");
      expect(result.stderr).to.equal(
        "error: the plan has changes, and --expect-no-changes was given\n",
      );
    });

    it("0 under --expect-no-changes when nothing changes", () => {
      const result = runPlan([
        "--before",
        a(),
        "--after",
        a(),
        "--expect-no-changes",
        "--format",
        "json",
      ]);
      expect(result.code).to.equal(0);
      expect(result.stderr).to.equal("");
    });

    for (const [argv, message] of [
      [
        [],
        "give either --before DIR --after DIR, --stack NAME --base GIT_REF, or --live FILE... " +
          "with --stack NAME",
      ],
      [["--before", "x"], "--before and --after go together"],
      [["--stack", "dev"], "--stack and --base go together"],
      [
        ["--before", "x", "--after", "y", "--stack", "dev"],
        "give either --before and --after, or --stack and --base",
      ],
      [
        ["--before", "x", "--after", "y", "--format", "html"],
        '--format "html" is not one of text, markdown, json',
      ],
      [["--before", "", "--after", "y"], "--before needs a non-empty value"],
      [["--before", "x", "--after", "y", "z"], 'unexpected argument "z"'],
      [["--crs", "crs"], "--crs, --controller-config and --namespace go with --live"],
      [
        ["--live", "a.yaml", "--before", "x"],
        "--live compares with the stack now: leave out --before and --base",
      ],
      [
        ["--live", "a.yaml", "b.yaml"],
        "--live needs the stack to compare with: --stack NAME, --crs PATH... or --after DIR",
      ],
      [
        ["--live", "a.yaml", "--after", "out", "--stack", "dev"],
        "with --live, give either --after DIR or the stack (--stack, --crs, ...), not both",
      ],
      [["--live", "a.yaml", "--stack", "dev", "x.yaml"], 'unexpected argument "x.yaml"'],
      [["--live", "", "--stack", "dev"], "--live and --crs need non-empty paths"],
      [["--befor", "x"], "Unknown option '--befor'; did you mean --before?"],
      [
        ["--before", "x", "--before", "y"],
        "--before is given more than once; give it once (it takes one value)",
      ],
      [
        ["--live", "a.yaml", "--stack", "a", "--stack", "b"],
        "--stack is given more than once; give it once (it takes one value)",
      ],
      [["--liev", "a.yaml"], "Unknown option '--liev'; did you mean --live?"],
    ] as [string[], string][]) {
      it(`2 for bad flags: ${argv.join(" ") || "(none)"}`, () => {
        expect(runPlan(argv)).to.deep.equal({
          code: 2,
          stdout: "",
          stderr: `plan: ${message}\n\n${PLAN_USAGE}`,
        });
      });
    }

    it("0 for --help, the usage on stdout", () => {
      expect(runPlan(["--help"])).to.deep.equal({ code: 0, stdout: PLAN_USAGE, stderr: "" });
    });
  });

  describe("1 for folders that are not render outputs, every problem at once", () => {
    function plan(before: string, after: string, cwd: string) {
      const result = runPlan(["--before", before, "--after", after], cwd);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.equal("");
      return result.stderr;
    }

    it("no such folder, a file, a folder without the marker", () => {
      const cwd = scratch();
      fs.writeFileSync(path.join(cwd, "file"), "");
      fs.mkdirSync(path.join(cwd, "plain"));
      expect(plan("missing", "file", cwd)).to.equal(
        "error: file: not a folder; name the folder render --out wrote\n" +
          "error: missing: no such folder; make one with: npm run render -- --stack NAME --out missing\n",
      );
      expect(plan("plain", "plain", cwd)).to.equal(
        "error: plain: not a render output (it holds no .render-out marker); make one with: npm run render -- --stack NAME --out plain\n".repeat(
          2,
        ),
      );
    });

    it("bad YAML, several documents, a document that is no object, the same object twice", () => {
      const before = outDir([deployment("a")]);
      const after_ = outDir([deployment("a")]);
      // Files its marker lists (as if render had written them): plan reads those only.
      const listed: Record<string, string> = {
        "deployment-broken.yaml": "kind: [\n",
        "deployment-two.yaml": "a: 1\n---\nb: 2\n",
        "deployment-nokind.yaml": "apiVersion: v1\nmetadata:\n  name: x\n",
        "deployment-zz-copy.yaml": fs.readFileSync(
          path.join(after_, "ns", "deployment-a-deployment.yaml"),
          "utf8",
        ),
      };
      for (const [file, text] of Object.entries(listed)) {
        fs.writeFileSync(path.join(after_, "ns", file), text);
        fs.appendFileSync(path.join(after_, ".render-out"), `ns/${file}\n`);
      }
      // A person's file beside them, not listed: never read.
      fs.writeFileSync(path.join(after_, "ns", "notes.yaml"), "kind: [\n");
      const cwd = path.dirname(after_);
      const at = (file: string) => path.join("out", "ns", file);
      expect(plan(path.relative(cwd, before), "out", cwd)).to.equal(
        [
          `error: ${at("deployment-broken.yaml")}:2: YAML syntax: unexpected end of the stream within a flow collection`,
          `error: ${at("deployment-nokind.yaml")}:1: kind: expected a non-empty string`,
          `error: ${at("deployment-two.yaml")}: holds 2 YAML documents; a render output file holds one Kubernetes object`,
          `error: ${at("deployment-zz-copy.yaml")}:1: the same object as ${at("deployment-a-deployment.yaml")}; remove one of the two`,
          "",
        ].join("\n"),
      );
    });
  });
});
