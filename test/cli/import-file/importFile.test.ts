/**
 * `npm run import-file`: the `pulumi import --file` document is checked against what the program
 * registers under Pulumi's mocks (type, logical name, parent, URN, id), for every example stack
 * and for a stack that creates its namespaces and uses its own provider.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { main } from "../../../cli/import-file/main";
import {
  buildImportFile,
  type ImportFile,
  type ImportResource,
} from "../../../cli/import-file/build";
import { loadStackInput } from "../../../cli/common/stackInput";
import { ROOT, run, tempProject } from "../run";
import { runProgram, stackConfig, type Registration } from "../../components/harness";

const PROJECT = "wso2-mi";
const KUBERNETES_VERSION = (
  JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as {
    version: string;
  }
).version;

/** Registrations `pulumi import` cannot or need not adopt: the stack itself, providers, digests. */
function adoptable(registration: Registration): boolean {
  return (
    registration.type !== "pulumi:pulumi:Stack" &&
    !registration.type.startsWith("pulumi:providers:") &&
    !registration.type.startsWith("pulumi-nodejs:dynamic/")
  );
}

/** The URN `pulumi import` gives each entry: the parent's type chain, then type and name. */
function importUrns(file: ImportFile, stack: string): Map<string, string> {
  const byName = new Map(file.resources.map((r) => [r.name, r]));
  const qualifiedType = (entry: ImportResource): string => {
    const parent = entry.parent === undefined ? undefined : byName.get(entry.parent);
    if (entry.parent !== undefined && parent === undefined) {
      throw new Error(`${entry.name}: no entry named ${entry.parent}`);
    }
    return parent === undefined ? entry.type : `${qualifiedType(parent)}$${entry.type}`;
  };
  return new Map(
    file.resources.map((entry) => [
      entry.name,
      `urn:pulumi:${stack}::${PROJECT}::${qualifiedType(entry)}::${entry.logicalName}`,
    ]),
  );
}

/**
 * The URN the Pulumi engine gives each registration (keyed `type::name`): the types of its
 * ancestors below the stack, then its own, and its name. (The mock runtime's URNs keep only the
 * parent's last type, so they are rebuilt here from the parent links.)
 */
function engineUrns(registrations: Registration[], stack: string): Map<string, string> {
  const byKey = new Map(registrations.map((r) => [`${r.type}::${r.name}`, r]));
  const qualifiedType = (r: Registration): string => {
    const parent = r.parent === undefined ? undefined : byKey.get(r.parent);
    return parent === undefined || parent.type === "pulumi:pulumi:Stack"
      ? r.type
      : `${qualifiedType(parent)}$${r.type}`;
  };
  return new Map(
    registrations.map((r) => [
      `${r.type}::${r.name}`,
      `urn:pulumi:${stack}::${PROJECT}::${qualifiedType(r)}::${r.name}`,
    ]),
  );
}

function configOf(dir: string, stack: string): Record<string, string> {
  return stackConfig(dir, PROJECT, stack);
}

/** The document `npm run import-file -- --stack <stack>` prints in `dir`. */
function printed(dir: string, stack: string): ImportFile {
  const { code, stdout, stderr } = run(main, ["--stack", stack], dir);
  expect(code, stderr).to.equal(0);
  return JSON.parse(stdout) as ImportFile;
}

/** Checks `file` against the program's registrations for `stack` in `dir`. */
async function checkAgainstProgram(dir: string, stack: string, file: ImportFile): Promise<void> {
  const result = await runProgram(dir, PROJECT, stack, configOf(dir, stack));
  const engine = engineUrns(result.registrations, stack);
  const urnOf = (r: Registration): string | undefined => engine.get(`${r.type}::${r.name}`);
  const registered = result.registrations.filter(adoptable);
  const urns = importUrns(file, stack);

  // The same resources, by URN: every one the program registers, no other.
  expect([...urns.values()].sort()).to.deep.equal(registered.map(urnOf).sort());

  const names = file.resources.map((r) => r.name);
  expect(new Set(names).size, "entry names are unique").to.equal(names.length);
  file.resources.forEach((entry, index) => {
    if (entry.parent !== undefined) {
      expect(names.indexOf(entry.parent), `${entry.name}'s parent comes first`).to.be.lessThan(
        index,
      );
    }
    const registration = registered.find((r) => urnOf(r) === urns.get(entry.name));
    expect(registration, entry.name).to.not.equal(undefined);
    expect(entry.type).to.equal(registration?.type);
    expect(entry.logicalName).to.equal(registration?.name);
    if (entry.type.startsWith("wso2:")) {
      expect(entry.component, entry.name).to.equal(true);
      expect(entry.id, entry.name).to.equal(undefined);
      return;
    }
    // The id `pulumi import` reads the object by: namespace/name, or the name of a Namespace.
    const metadata = registration?.inputs.metadata as { name: string; namespace?: string };
    const id =
      metadata.namespace === undefined ? metadata.name : `${metadata.namespace}/${metadata.name}`;
    expect(entry.id, entry.name).to.equal(id);
    expect(entry.component, entry.name).to.equal(undefined);
  });
}

describe("import-file", () => {
  const stacks = fs
    .readdirSync(path.join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();

  it("covers the example stacks", () => {
    expect(stacks).to.deep.equal(["dev", "prod"]);
  });

  for (const stack of stacks) {
    it(`adopts exactly what the program registers for stacks/Pulumi.${stack}.yaml`, async () => {
      await checkAgainstProgram(ROOT, stack, printed(ROOT, stack));
    });
  }

  it("prints the document buildImportFile makes, for the default provider at its version", () => {
    const document = printed(ROOT, "dev");
    const input = loadStackInput(ROOT, { stack: "dev" });
    expect(document).to.deep.equal(
      buildImportFile(input.objects, {
        project: PROJECT,
        stack: "dev",
        explicitProvider: false,
        kubernetesVersion: KUBERNETES_VERSION,
      }),
    );
    expect(document.nameTable).to.equal(undefined);
    const kubernetes = document.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kubernetes).to.have.length(15);
    expect(kubernetes.every((r) => r.version === KUBERNETES_VERSION && r.provider === undefined)).to
      .be.true;
    expect(document.resources.slice(0, 4)).to.deep.equal([
      {
        type: "wso2:integrations:IntegrationStack",
        name: "integrations",
        logicalName: "integrations",
        component: true,
      },
      {
        type: "wso2:integrations:Integration",
        name: "integration:integrations-dev/content-based-routing",
        logicalName: "integrations-dev/content-based-routing",
        parent: "integrations",
        component: true,
      },
      {
        type: "kubernetes:apps/v1:Deployment",
        name: "deployment:integrations-dev/content-based-routing-deployment",
        logicalName: "integrations-dev/content-based-routing-deployment",
        id: "integrations-dev/content-based-routing-deployment",
        parent: "integration:integrations-dev/content-based-routing",
        version: KUBERNETES_VERSION,
      },
      {
        type: "kubernetes:core/v1:Service",
        name: "service:integrations-dev/content-based-routing-service",
        logicalName: "integrations-dev/content-based-routing-service",
        id: "integrations-dev/content-based-routing-service",
        parent: "integration:integrations-dev/content-based-routing",
        version: KUBERNETES_VERSION,
      },
    ]);
  });

  it("says on stderr that prod's image digests are not imported, and prints nothing else there", () => {
    const { code, stderr } = run(main, ["--stack", "prod"]);
    expect(code).to.equal(0);
    expect(stderr).to.equal(
      "note: stacks/Pulumi.prod.yaml: wso2-mi:imageRefresh: the 5 image digest resources are " +
        "not imported (they are not cluster objects): the first `pulumi up` after the import " +
        "creates them and pins each image by digest, a rolling update\n",
    );
  });

  describe("a stack that creates its namespaces and uses its own provider", () => {
    let dir: string;
    before(() => {
      dir = tempProject({
        "stacks/Pulumi.staging.yaml": [
          "config:",
          "  wso2-mi:namespace: apps",
          "  wso2-mi:createNamespace: true",
          "  wso2-mi:kubernetes:",
          "    context: staging",
          "",
        ].join("\n"),
        "stacks/staging/hello.yaml":
          "apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: hello\n" +
          "spec:\n  image: docker.io/wso2/hello:1.0.0\n  autoScale:\n    enabled: true\n",
      });
      fs.appendFileSync(path.join(dir, "Pulumi.yaml"), "stackConfigDir: stacks\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("adopts the Namespace too, and every object with the stack's provider", async () => {
      const document = printed(dir, "staging");
      await checkAgainstProgram(dir, "staging", document);
      expect(document.nameTable).to.deep.equal({
        kubernetes: "urn:pulumi:staging::wso2-mi::pulumi:providers:kubernetes::kubernetes",
      });
      const kubernetes = document.resources.filter((r) => r.type.startsWith("kubernetes:"));
      expect(kubernetes.map((r) => [r.type, r.id, r.provider, r.version])).to.deep.equal([
        ["kubernetes:core/v1:Namespace", "apps", "kubernetes", undefined],
        ["kubernetes:apps/v1:Deployment", "apps/hello-deployment", "kubernetes", undefined],
        ["kubernetes:core/v1:Service", "apps/hello-service", "kubernetes", undefined],
        [
          "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
          "apps/hello-hpa",
          "kubernetes",
          undefined,
        ],
        ["kubernetes:policy/v1:PodDisruptionBudget", "apps/hello-pdb", "kubernetes", undefined],
        [
          "kubernetes:networking.k8s.io/v1:Ingress",
          "apps/ei-operator-ingress",
          "kubernetes",
          undefined,
        ],
      ]);
    });

    it("names the provider's URN as the program registers it", async () => {
      const result = await runProgram(dir, PROJECT, "staging", configOf(dir, "staging"));
      const urns = engineUrns(result.registrations, "staging");
      expect(urns.get("pulumi:providers:kubernetes::kubernetes")).to.equal(
        "urn:pulumi:staging::wso2-mi::pulumi:providers:kubernetes::kubernetes",
      );
      expect(printed(dir, "staging").nameTable?.kubernetes).to.equal(
        urns.get("pulumi:providers:kubernetes::kubernetes"),
      );
    });

    it("says the provider must be in the state first, and how", () => {
      const { stderr } = run(main, ["--stack", "staging"], dir);
      expect(stderr).to.equal(
        "note: stacks/Pulumi.staging.yaml: wso2-mi:kubernetes: the objects are imported with the " +
          "stack's own provider, which must be in the state first: pulumi up --stack staging " +
          "--target 'urn:pulumi:staging::wso2-mi::pulumi:providers:kubernetes::kubernetes'\n",
      );
    });
  });

  describe("--out and errors", () => {
    let scratch: string;
    beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wso2-mi-import-"))));
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("writes the document to --out and says so", () => {
      const file = path.join(scratch, "import.json");
      const { code, stdout, stderr } = run(main, ["--stack", "dev", "--out", file]);
      expect(code, stderr).to.equal(0);
      expect(stdout).to.equal("");
      expect(stderr).to.equal(`wrote 23 resources to ${file}\n`);
      expect(fs.readFileSync(file, "utf8")).to.equal(run(main, ["--stack", "dev"]).stdout);
    });

    it("exits 2 with the usage without --stack, or with an unknown flag", () => {
      for (const argv of [[], ["--stack", "dev", "--crs", "x"], ["--stack="]]) {
        const { code, stdout, stderr } = run(main, argv);
        expect(code, argv.join(" ")).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.match(/^import-file: .+\n\nusage: npm run import-file -- --stack NAME/);
      }
      expect(run(main, []).stderr).to.match(/^import-file: --stack is required\n/);
    });

    it("exits 1 naming the stack file for an unknown stack, and writes nothing", () => {
      const file = path.join(scratch, "import.json");
      const { code, stdout, stderr } = run(main, ["--stack", "staging", "--out", file]);
      expect(code).to.equal(1);
      expect(stdout).to.equal("");
      expect(stderr).to.match(/^error: stacks\/Pulumi\.staging\.yaml: no such stack file; /);
      expect(fs.existsSync(file)).to.equal(false);
    });

    it("exits 1 when --out is a folder or in a folder that does not exist", () => {
      expect(run(main, ["--stack", "dev", "--out", scratch])).to.deep.equal({
        code: 1,
        stdout: "",
        stderr: `error: ${scratch}: is a folder; name the file to write\n`,
      });
      const missing = path.join(scratch, "nope", "import.json");
      expect(run(main, ["--stack", "dev", "--out", missing])).to.deep.equal({
        code: 1,
        stdout: "",
        stderr: `error: ${missing}: no such folder: ${JSON.stringify(path.dirname(missing))}\n`,
      });
    });

    it("prints the usage for --help", () => {
      const { code, stdout } = run(main, ["--help"]);
      expect(code).to.equal(0);
      expect(stdout).to.match(
        /^usage: npm run import-file -- --stack NAME \[--out FILE \[--force\]\]\n/,
      );
    });
  });
});
