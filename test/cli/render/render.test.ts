import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { OUT_MARKER } from "../../../cli/common/manifests";
import { main } from "../../../cli/render/main";
import { crYaml, listFiles, ROOT, run, tempProject } from "../run";

interface Named {
  kind: string;
  metadata: { name: string; namespace: string };
}

function documents(stdout: string): Named[] {
  return loadAll(stdout) as Named[];
}

function ids(stdout: string): string[] {
  return documents(stdout).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
}

const DEV_IDS = [
  "Deployment integrations-dev/content-based-routing-deployment",
  "Service integrations-dev/content-based-routing-service",
  "Deployment integrations-dev/hello-world-deployment",
  "Service integrations-dev/hello-world-service",
  "Deployment integrations-dev/inbound-samples-deployment",
  "Service integrations-dev/inbound-samples-service",
  "Deployment integrations-dev/jms-example-deployment",
  "Service integrations-dev/jms-example-service",
  "Deployment integrations-dev/private-hello-world-deployment",
  "Service integrations-dev/private-hello-world-service",
  "Deployment integrations-dev/sample-integration-deployment",
  "Service integrations-dev/sample-integration-service",
  "HorizontalPodAutoscaler integrations-dev/sample-integration-hpa",
  "PodDisruptionBudget integrations-dev/sample-integration-pdb",
  "Ingress integrations-dev/ei-operator-ingress",
];

const DEV_FILES = [
  OUT_MARKER,
  "integrations-dev/deployment-content-based-routing-deployment.yaml",
  "integrations-dev/deployment-hello-world-deployment.yaml",
  "integrations-dev/deployment-inbound-samples-deployment.yaml",
  "integrations-dev/deployment-jms-example-deployment.yaml",
  "integrations-dev/deployment-private-hello-world-deployment.yaml",
  "integrations-dev/deployment-sample-integration-deployment.yaml",
  "integrations-dev/horizontalpodautoscaler-sample-integration-hpa.yaml",
  "integrations-dev/ingress-ei-operator-ingress.yaml",
  "integrations-dev/poddisruptionbudget-sample-integration-pdb.yaml",
  "integrations-dev/service-content-based-routing-service.yaml",
  "integrations-dev/service-hello-world-service.yaml",
  "integrations-dev/service-inbound-samples-service.yaml",
  "integrations-dev/service-jms-example-service.yaml",
  "integrations-dev/service-private-hello-world-service.yaml",
  "integrations-dev/service-sample-integration-service.yaml",
].sort();

describe("render", () => {
  const cleanup: string[] = [];
  const scratch = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-out-"));
    cleanup.push(dir);
    return dir;
  };
  const project = (files: Record<string, string>): string => {
    const dir = tempProject(files);
    cleanup.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("--stack dev", () => {
    it("prints every object as YAML documents, byte-identical across runs", () => {
      const first = run(main, ["--stack", "dev"]);
      const second = run(main, ["--stack", "dev"]);
      expect(first.code).to.equal(0);
      expect(second.stdout).to.equal(first.stdout);
      expect(ids(first.stdout)).to.deep.equal(DEV_IDS);
      expect(
        first.stdout.startsWith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"),
      ).to.equal(true);
      expect(first.stdout.split(/^---$/m)).to.have.length(DEV_IDS.length);
    });

    it("sorts keys and never folds lines", () => {
      const { stdout } = run(main, ["--stack", "dev"]);
      const ingress = stdout.split("---\n").at(-1) ?? "";
      expect(ingress).to.include(
        "  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /$2\n" +
          "    nginx.ingress.kubernetes.io/ssl-redirect: 'false'\n  name: ei-operator-ingress\n",
      );
      expect(stdout).to.include(
        "                  - ${WSO2_SERVER_HOME}/bin/micro-integrator.sh stop\n",
      );
    });

    it("prints nothing on stderr for the example stack, whose controller config is clean", () => {
      const { code, stderr } = run(main, ["--stack", "dev"]);
      expect(code).to.equal(0);
      expect(stderr).to.equal("");
    });

    it("prints a controller config's notes on stderr", () => {
      const { code, stderr } = run(main, [
        "--stack",
        "dev",
        "--controller-config",
        "components/model/controllerConfig/operator-defaults/integration_controller_conf.yaml",
      ]);
      expect(code).to.equal(0);
      const lines = stderr.trimEnd().split("\n");
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(
        /^note: components\/model\/controllerConfig\/operator-defaults\/integration_controller_conf\.yaml:\d+ \(document 1\): integration-config\.data\.reconcileInterval: read only by `npm run reconciler`/,
      );
      expect(lines[1]).to.match(
        /^note: components\/model\/controllerConfig\/operator-defaults\/integration_controller_conf\.yaml:\d+ \(document 2\): integration-ingress-config\.data\["ingress\.properties"\]: .*kubernetes\.io\/ingress\.class is deprecated/,
      );
      expect(lines[2]).to.match(
        /^note: .*\(document 2\): integration-ingress-config\.data\.ingressResourceName: accepted and not applied: the operator never used ingressResourceName for integrations/,
      );
    });

    it("--namespace overrides the stack's namespace", () => {
      const { code, stdout } = run(main, ["--stack", "dev", "--namespace", "qa"]);
      expect(code).to.equal(0);
      expect(ids(stdout)).to.deep.equal(
        DEV_IDS.map((id) => id.replace("integrations-dev/", "qa/")),
      );
    });

    it("--crs overrides the stack's CR folders, and takes several paths", () => {
      const { code, stdout } = run(main, [
        "--stack",
        "dev",
        "--crs",
        "stacks/dev/hello-world.yaml",
        "stacks/dev/private-registry.yaml",
      ]);
      expect(code).to.equal(0);
      expect(ids(stdout)).to.deep.equal([
        "Deployment integrations-dev/hello-world-deployment",
        "Service integrations-dev/hello-world-service",
        "Deployment integrations-dev/private-hello-world-deployment",
        "Service integrations-dev/private-hello-world-service",
        "Ingress integrations-dev/ei-operator-ingress",
      ]);
    });

    it("names a missing stack file and the stacks that exist", () => {
      const { code, stdout, stderr } = run(main, ["--stack", "dve"]);
      expect(code).to.equal(1);
      expect(stdout).to.equal("");
      expect(stderr).to.match(
        /^error: stacks\/Pulumi\.dve\.yaml: no such stack file; did you mean "dev"\? the stacks are .*\bdev\b.*\n$/,
      );
    });
  });

  describe("--out", () => {
    it("writes one file per object, each the document render prints, and the marker", () => {
      const out = path.join(scratch(), "dev");
      const { code, stdout, stderr } = run(main, ["--stack", "dev", "--out", out]);
      expect(code, stderr).to.equal(0);
      expect(stdout).to.equal("");
      expect(stderr).to.equal(`wrote 15 files and ${OUT_MARKER} to ${out}\n`);
      expect(listFiles(out)).to.deep.equal(DEV_FILES);
      const printed = run(main, ["--stack", "dev"]).stdout.split("---\n");
      expect(fs.readFileSync(path.join(out, DEV_FILES[1]), "utf8")).to.equal(printed[0]);
      expect(
        fs.readFileSync(
          path.join(out, "integrations-dev/ingress-ei-operator-ingress.yaml"),
          "utf8",
        ),
      ).to.equal(printed[14]);
    });

    it("replaces an earlier render's output, so removed objects disappear, and keeps a person's files", () => {
      const out = scratch();
      expect(run(main, ["--stack", "dev", "--out", out]).code).to.equal(0);
      // Not render's (its marker does not list it), though named like its files: kept.
      fs.writeFileSync(path.join(out, "integrations-dev", "deployment-gone.yaml"), "mine\n");
      const again = run(main, [
        "--stack",
        "dev",
        "--crs",
        "stacks/dev/hello-world.yaml",
        "--out",
        out,
      ]);
      expect(again.code, again.stderr).to.equal(0);
      expect(listFiles(out)).to.deep.equal([
        OUT_MARKER,
        "integrations-dev/deployment-gone.yaml",
        "integrations-dev/deployment-hello-world-deployment.yaml",
        "integrations-dev/ingress-ei-operator-ingress.yaml",
        "integrations-dev/service-hello-world-service.yaml",
      ]);
      expect(
        fs.readFileSync(path.join(out, "integrations-dev", "deployment-gone.yaml"), "utf8"),
      ).to.equal("mine\n");
    });

    it("refuses a non-empty folder it did not write, and touches nothing", () => {
      const out = scratch();
      fs.writeFileSync(path.join(out, "notes.txt"), "mine\n");
      const { code, stdout, stderr } = run(main, ["--stack", "dev", "--out", out]);
      expect(code).to.equal(1);
      expect(stdout).to.equal("");
      expect(stderr).to.equal(
        `error: ${out}: the folder is not empty and holds no ${OUT_MARKER} marker of an earlier ` +
          "render; choose an empty or new folder for --out, or give --force to write into it " +
          "(render then replaces only the files it writes, and removes nothing)\n",
      );
      expect(listFiles(out)).to.deep.equal(["notes.txt"]);
    });

    it("refuses a file", () => {
      const file = path.join(scratch(), "file.yaml");
      fs.writeFileSync(file, "x: 1\n");
      const { code, stderr } = run(main, ["--stack", "dev", "--out", file]);
      expect(code).to.equal(1);
      expect(stderr).to.equal(
        `error: ${file}: exists and is not a folder; choose a folder for --out\n`,
      );
      expect(fs.readFileSync(file, "utf8")).to.equal("x: 1\n");
    });
  });

  describe("without --stack", () => {
    it("renders the CRs named by --crs in the namespace default, with built-in defaults", () => {
      const dir = project({
        "crs/hello.yaml": crYaml("hello"),
        "crs/more/inbound.yaml": crYaml("inbound", ["expose:", "  inboundPorts: [8000]"]),
      });
      const { code, stdout, stderr } = run(main, ["--crs", "crs/hello.yaml", "crs/more"], dir);
      expect(code, stderr).to.equal(0);
      expect(stderr).to.equal("");
      expect(ids(stdout)).to.deep.equal([
        "Deployment default/hello-deployment",
        "Service default/hello-service",
        "Deployment default/inbound-deployment",
        "Service default/inbound-service",
        "Ingress default/ei-operator-ingress",
      ]);
    });

    it("--controller-config and --namespace apply", () => {
      const dir = project({
        "crs/hello.yaml": crYaml("hello"),
        "conf.yaml": [
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: integration-config",
          "data:",
          '  autoIngressCreation: "false"',
          '  minReplicas: "2"',
          "",
        ].join("\n"),
      });
      const { code, stdout, stderr } = run(
        main,
        ["--crs", "crs", "--controller-config", "conf.yaml", "--namespace", "team-a"],
        dir,
      );
      expect(code, stderr).to.equal(0);
      expect(ids(stdout)).to.deep.equal([
        "Deployment team-a/hello-deployment",
        "Service team-a/hello-service",
        "PodDisruptionBudget team-a/hello-pdb",
      ]);
      expect(stdout).to.include("\nspec:\n  replicas: 2\n");
    });

    it("exits 2 when --crs is missing", () => {
      const { code, stdout, stderr } = run(main, ["--namespace", "x"]);
      expect(code).to.equal(2);
      expect(stdout).to.equal("");
      expect(stderr).to.match(
        /^render: --crs is required without --stack\n\nusage: npm run render -- /,
      );
    });
  });

  describe("invalid input", () => {
    const files = {
      "crs/bad.yaml": crYaml("bad", ["deploySpec:", "  minReplica: 2"]),
      "crs/good.yaml": crYaml("good"),
      "crs/ports.yaml": crYaml("ports", ["expose:", "  passthroPort: 70000"]),
    };

    it("exits 1 with every problem on stderr, sorted, and nothing on stdout", () => {
      const dir = project(files);
      const { code, stdout, stderr } = run(main, ["--crs", "crs", "--namespace", "Bad_NS"], dir);
      expect(code).to.equal(1);
      expect(stdout).to.equal("");
      const lines = stderr.trimEnd().split("\n");
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(
        /^error: command line: wso2-mi:namespace: expected a namespace name: /,
      );
      expect(lines[1]).to.equal(
        'error: crs/bad.yaml:8: spec.deploySpec.minReplica: unknown field; did you mean "minReplicas"?',
      );
      expect(lines[2]).to.match(/^error: crs\/ports\.yaml:8: spec\.expose\.passthroPort: /);
      expect(lines[2]).to.include("70000");
    });

    it("names the line of each field in the stack file, unless a flag replaced its value", () => {
      const dir = project({
        ...files,
        "Pulumi.dev.yaml": [
          "config:",
          "  wso2-mi:namespace: dev",
          "  wso2-mi:crs: crs/good.yaml",
          "  wso2-mi:controllerConfig: missing.yaml",
          "  wso2-mi:defaults:",
          "    minReplica: 2",
          "",
        ].join("\n"),
      });
      const { code, stderr } = run(main, ["--stack", "dev"], dir);
      expect(code).to.equal(1);
      expect(stderr.trimEnd().split("\n")).to.deep.equal([
        'error: Pulumi.dev.yaml:4: wso2-mi:controllerConfig: no such file: "missing.yaml" (paths ' +
          "are relative to the project directory)",
        'error: Pulumi.dev.yaml:6: wso2-mi:defaults.minReplica: unknown key; did you mean "minReplicas"?',
      ]);
      const flagged = run(main, ["--stack", "dev", "--controller-config", "other.yaml"], dir);
      expect(flagged.stderr.trimEnd().split("\n")).to.deep.equal([
        'error: command line: wso2-mi:controllerConfig: no such file: "other.yaml" (paths are ' +
          "relative to the project directory)",
        'error: Pulumi.dev.yaml:6: wso2-mi:defaults.minReplica: unknown key; did you mean "minReplicas"?',
      ]);
    });

    it("writes nothing with --out", () => {
      const dir = project(files);
      const out = path.join(scratch(), "never");
      const { code, stdout } = run(main, ["--crs", "crs", "--out", out], dir);
      expect(code).to.equal(1);
      expect(stdout).to.equal("");
      expect(fs.existsSync(out)).to.equal(false);
    });

    it("exits 1 outside a Pulumi project", () => {
      const dir = scratch();
      const { code, stdout, stderr } = run(main, ["--crs", "crs"], dir);
      expect(code).to.equal(1);
      expect(stdout).to.equal("");
      expect(stderr).to.equal(
        `error: Pulumi.yaml: no Pulumi project in ${dir}; run from the project's directory (the one with Pulumi.yaml)\n`,
      );
    });
  });

  describe("usage", () => {
    it("exits 2 for an unknown flag, with the usage text on stderr", () => {
      const { code, stdout, stderr } = run(main, ["--stack", "dev", "--bogus"]);
      expect(code).to.equal(2);
      expect(stdout).to.equal("");
      expect(stderr).to.match(
        /^render: Unknown option '--bogus'\n\nusage: npm run render -- \[--stack NAME\]/,
      );
    });

    it("exits 2 for a flag without its value", () => {
      const { code, stderr } = run(main, ["--stack"]);
      expect(code).to.equal(2);
      expect(stderr).to.match(/^render: Option '--stack <value>' argument missing\n\nusage: /);
    });

    it("exits 2 for a stray argument", () => {
      const { code, stderr } = run(main, ["dev"]);
      expect(code).to.equal(2);
      expect(stderr).to.match(/^render: unexpected argument "dev"\n\nusage: /);
    });

    it("prints the usage on stdout for --help", () => {
      const { code, stdout, stderr } = run(main, ["--help"]);
      expect(code).to.equal(0);
      expect(stderr).to.equal("");
      expect(stdout).to.match(/^usage: npm run render -- /);
    });
  });

  it("exits 70 with the stack trace when something unexpected fails", () => {
    let stderr = "";
    const code = main(["--stack", "dev"], {
      projectDir: ROOT,
      stdout: () => {
        throw new Error("disk full");
      },
      stderr: (text) => (stderr += text),
    });
    expect(code).to.equal(70);
    expect(stderr).to.match(/render: internal error, please report it:\nError: disk full\n {4}at /);
  });
});
