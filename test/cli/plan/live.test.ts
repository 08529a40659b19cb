import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { load, dump } from "js-yaml";
import { ROOT } from "../run";
import { cleanUp, renderOut, runPlan, scratch } from "./support";

/** The operator's objects for three CRs in two namespaces (see the fixture files' comments). */
const FIXTURE = path.join(ROOT, "test/fixtures/live/operator");
const LIVE = ["team-a.yaml", "team-b.yaml"];
/** The adoption stack of the fixture project: the CRs, the controller config, hardening off. */
const STACK = ["--stack", "migrate"];

interface JsonChange {
  path: string;
  before?: unknown;
  after?: unknown;
  kept?: boolean;
  note?: string;
}
interface JsonEntry {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  rollsPods?: boolean;
  liveApiVersion?: string;
  note?: string;
  changes?: JsonChange[];
}
interface JsonPlan {
  create: JsonEntry[];
  update: JsonEntry[];
  replace: JsonEntry[];
  delete: JsonEntry[];
  unchanged: JsonEntry[];
  unmanaged: { kind: string; namespace: string; name: string; note?: string }[];
}

function livePlan(argv: string[], cwd = FIXTURE): { code: number; stdout: string; stderr: string } {
  return runPlan(argv, cwd);
}

function jsonPlan(argv: string[], cwd = FIXTURE): JsonPlan {
  const result = livePlan([...argv, "--format", "json"], cwd);
  expect(result.code, result.stderr).to.equal(0);
  return JSON.parse(result.stdout) as JsonPlan;
}

const id = (e: { kind: string; namespace: string | null; name: string }): string =>
  `${e.kind} ${e.namespace}/${e.name}`;

/** A copy of the fixture project, with `change` applied to its files, as a new folder. */
function fixtureCopy(change: (dir: string) => void = () => {}): string {
  const dir = path.join(scratch("wso2-mi-live-"), "project");
  fs.cpSync(FIXTURE, dir, { recursive: true });
  change(dir);
  return dir;
}

/** The items of a fixture export (a List or multi-document YAML). */
function items(file: string): Obj[] {
  const text = fs.readFileSync(file, "utf8");
  const docs = text.split(/^---$/m).map((d) => load(d) as Obj & { items?: Obj[] });
  return docs.flatMap((d) => d.items ?? [d]);
}

function writeItems(file: string, list: unknown[]): void {
  fs.writeFileSync(file, dump({ apiVersion: "v1", kind: "List", items: list }));
}

/** The fields of the fixture's objects that the tests edit (each kind has its own). */
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    progressDeadlineSeconds?: number;
    strategy: { type?: string; rollingUpdate?: Record<string, number | string> };
    selector: Record<string, string>;
    template: {
      spec: { nodeSelector?: Record<string, string>; containers: { env?: unknown[] }[] };
    };
    rules: { http: { paths: { backend: Backend; path?: string; pathType?: string }[] } }[];
  };
}

interface Backend {
  service?: { name: string; port: { number: number } };
  serviceName?: string;
  servicePort?: number;
}

describe("plan --live: the stack against the operator's live objects", () => {
  after(cleanUp);

  describe("the operator's objects for CRs with volumes, autoscaling, inbound ports, config probes, minReplicas 0, TLS, two namespaces", () => {
    it("no create, replace or delete: only the documented updates, none of which rolls pods", () => {
      const plan = jsonPlan(["--live", ...LIVE, ...STACK]);
      expect([plan.create, plan.replace, plan.delete]).to.deep.equal([[], [], []]);
      expect(plan.update.map(id)).to.deep.equal([
        "Ingress team-a/ei-operator-ingress",
        "Deployment team-a/events-deployment",
        "Service team-a/events-service",
        "Deployment team-a/orders-deployment",
        "HorizontalPodAutoscaler team-a/orders-hpa",
        "Service team-a/orders-service",
        "Deployment team-b/billing-deployment",
        "Service team-b/billing-service",
        "Ingress team-b/ei-operator-ingress",
      ]);
      expect(plan.update.map((e) => e.rollsPods)).to.deep.equal(Array(9).fill(false));
      const paths = new Set(
        plan.update.flatMap((e) => (e.changes ?? []).map((c) => `${e.kind} ${c.path}`)),
      );
      // Every change is one of the deliberate differences the README lists.
      expect([...paths].sort()).to.deep.equal([
        "Deployment metadata.labels",
        "Deployment spec.strategy.rollingUpdate.maxSurge",
        "Deployment spec.strategy.rollingUpdate.maxUnavailable",
        "HorizontalPodAutoscaler metadata.labels",
        'Ingress metadata.annotations["kubernetes.io/ingress.class"]',
        "Ingress spec.ingressClassName",
        "Ingress spec.rules[0].http.paths[/events-inbound/8000(/|$)(.*)]",
        "Ingress spec.rules[0].http.paths[/events-inbound/9090(/|$)(.*)]",
        "Ingress spec.rules[0].http.paths[/events-service(/|$)(.*)]",
        "Ingress spec.rules[1]",
        "Service metadata.labels",
      ]);
      expect(plan.unchanged).to.deep.equal([]);
    });

    it("text: each update with its pods, the kept class annotation and how to clear it, what is left", () => {
      const { code, stdout } = livePlan(["--live", ...LIVE, ...STACK]);
      expect(code).to.equal(0);
      const orders = stdout.slice(stdout.indexOf("~  Deployment team-a/orders-deployment"));
      expect(orders.split("\n").slice(0, 5)).to.deep.equal([
        "~  Deployment team-a/orders-deployment",
        "      rolls pods: no: the pod template stays as it is",
        "      + metadata.labels: {app: integration, integration_cr: orders}",
        "      ~ spec.strategy.rollingUpdate.maxSurge: 2 => 1",
        "      ~ spec.strategy.rollingUpdate.maxUnavailable: 1 => 0",
      ]);
      expect(stdout).to.include(
        [
          "~  Ingress team-b/ei-operator-ingress",
          "      rolls pods: no",
          '      = metadata.annotations["kubernetes.io/ingress.class"]: nginx',
          "          deprecated, and ingress-nginx reads it before spec.ingressClassName; after " +
            "the first pulumi up, clear it: kubectl annotate ingress ei-operator-ingress -n " +
            "team-b kubernetes.io/ingress.class-",
          "      + spec.ingressClassName: nginx",
        ].join("\n"),
      );
      expect(stdout).to.include(
        [
          "Left as they are (not managed by the stack, so never changed or deleted by it):",
          "   ConfigMap team-a/orders-config: mounted by the stack's orders-deployment: it stays, as the pods need it",
          "   ConfigMap team-a/orders-log: mounted by the stack's orders-deployment: it stays, as the pods need it",
          "   Service team-b/billing-db",
        ].join("\n"),
      );
      expect(stdout.trimEnd().split("\n").at(-1)).to.equal(
        "Plan: 0 to create, 9 to update, 0 to replace, 0 to delete, 0 unchanged; " +
          "3 left as they are (not managed by the stack).",
      );
    });

    it("json: rollsPods on every update, kept changes with their note, unmanaged objects", () => {
      const plan = jsonPlan(["--live", ...LIVE, ...STACK]);
      const kept = plan.update.flatMap((e) =>
        (e.changes ?? []).filter((c) => c.kept === true).map((c) => ({ e: id(e), ...c })),
      );
      expect(kept).to.have.length(2);
      expect(kept[0]).to.deep.equal({
        e: "Ingress team-a/ei-operator-ingress",
        path: 'metadata.annotations["kubernetes.io/ingress.class"]',
        before: "nginx",
        kept: true,
        note:
          "deprecated, and ingress-nginx reads it before spec.ingressClassName; after the first " +
          "pulumi up, clear it: kubectl annotate ingress ei-operator-ingress -n team-a " +
          "kubernetes.io/ingress.class-",
      });
      expect(plan.unmanaged).to.deep.equal([
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          namespace: "team-a",
          name: "orders-config",
          note: "mounted by the stack's orders-deployment: it stays, as the pods need it",
        },
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          namespace: "team-a",
          name: "orders-log",
          note: "mounted by the stack's orders-deployment: it stays, as the pods need it",
        },
        { apiVersion: "v1", kind: "Service", namespace: "team-b", name: "billing-db" },
      ]);
    });

    it("stderr: objects still owned by Integration CRs; namespaces not compared", () => {
      const { stderr } = livePlan(["--live", ...LIVE, "wso2-system.yaml", ...STACK]);
      const lines = stderr
        .trimEnd()
        .split("\n")
        .filter((l) => !l.includes("crs/") && !l.includes("integration_controller_conf"));
      expect(lines).to.deep.equal([
        "warning: 5 objects are in namespace team-a still owned by Integration CRs " +
          "(metadata.ownerReferences; e.g. Deployment orders-deployment): deleting the CRs or " +
          "the Integration CRD deletes them; detach them first (README, Migrating from the " +
          "operator, step 4)",
        "warning: 2 objects are in namespace team-b still owned by Integration CRs " +
          "(metadata.ownerReferences; e.g. Deployment billing-deployment): deleting the CRs or " +
          "the Integration CRD deletes them; detach them first (README, Migrating from the " +
          "operator, step 4)",
        "note: 2 live objects of namespace wso2-system not compared: the stack deploys only to " +
          "team-a, team-b",
      ]);
    });

    it("--after DIR (a render output folder) plans exactly as the stack does", () => {
      const out = renderOut(FIXTURE, STACK);
      const fromDir = livePlan(["--live", ...LIVE, "--after", out]);
      const fromStack = livePlan(["--live", ...LIVE, ...STACK]);
      expect(fromDir.code).to.equal(0);
      expect(fromDir.stdout.split("\n").slice(1)).to.deep.equal(
        fromStack.stdout.split("\n").slice(1),
      );
    });

    it("--expect-no-changes: 7 with these updates", () => {
      const result = livePlan(["--live", ...LIVE, ...STACK, "--expect-no-changes"]);
      expect(result.code).to.equal(7);
    });

    it("markdown: the table says whether each update rolls pods; the kept legend; what is left", () => {
      const { stdout } = livePlan(["--live", ...LIVE, ...STACK, "--format", "markdown"]);
      expect(stdout).to.include(
        "| `~` update | Deployment | `team-a/orders-deployment` | 3 fields; no pod restart |",
      );
      expect(stdout).to.include(
        '  metadata.annotations["kubernetes.io/ingress.class"]: nginx   (kept)',
      );
      expect(stdout).to.include(
        "| ConfigMap | `team-a/orders-config` | mounted by the stack's orders-deployment: it stays, as the pods need it |",
      );
    });
  });

  describe("what changes, what is kept, what is ignored", () => {
    it("a new image rolls the pods of that Deployment only", () => {
      const dir = fixtureCopy((d) => {
        const file = path.join(d, "crs/events.yaml");
        fs.writeFileSync(
          file,
          fs.readFileSync(file, "utf8").replace("events:1.4.0", "events:1.5.0"),
        );
      });
      const plan = jsonPlan(["--live", ...LIVE, ...STACK], dir);
      const rolling = plan.update.filter((e) => e.rollsPods === true);
      expect(rolling.map(id)).to.deep.equal(["Deployment team-a/events-deployment"]);
      expect(rolling[0].changes).to.deep.include({
        path: "spec.template.spec.containers[micro-integrator].image",
        before: "registry.example.com/mi/events:1.4.0",
        after: "registry.example.com/mi/events:1.5.0",
      });
      const text = livePlan(["--live", ...LIVE, ...STACK], dir).stdout;
      expect(text).to.include(
        "~  Deployment team-a/events-deployment\n      rolls pods: yes: the pod template " +
          "changes, so each pod is replaced once, as in a rolling update\n",
      );
    });

    it("kept: fields only the live object has, in merged lists and maps; removed inside atomic lists", () => {
      const dir = fixtureCopy((d) => {
        const list = items(path.join(d, "team-b.yaml"));
        const deployment = list[0];
        deployment.spec.template.spec.nodeSelector = { pool: "mi" };
        deployment.spec.template.spec.containers[0].env = [{ name: "EXTRA", value: "1" }];
        deployment.metadata.labels = { team: "billing" };
        const ingress = list.find((o) => o.kind === "Ingress")!;
        ingress.spec.rules[0].http.paths.push({
          backend: { service: { name: "old-service", port: { number: 8290 } } },
          path: "/old-service(/|$)(.*)",
          pathType: "ImplementationSpecific",
        });
        writeItems(path.join(d, "team-b.yaml"), list);
      });
      const plan = jsonPlan(["--live", ...LIVE, ...STACK], dir);
      const billing = plan.update.find((e) => e.name === "billing-deployment");
      expect(billing?.rollsPods).to.equal(false);
      expect(billing?.changes?.filter((c) => c.kept === true)).to.deep.equal([
        { path: "metadata.labels.team", before: "billing", kept: true },
        {
          path: "spec.template.spec.containers[micro-integrator].env[EXTRA]",
          before: { name: "EXTRA", value: "1" },
          kept: true,
        },
        { path: "spec.template.spec.nodeSelector", before: { pool: "mi" }, kept: true },
      ]);
      const ingress = plan.update.find((e) => id(e) === "Ingress team-b/ei-operator-ingress");
      expect(ingress?.changes).to.deep.include({
        path: "spec.rules[mi.example.com].http.paths[/old-service(/|$)(.*)]",
        before: {
          backend: { service: { name: "old-service", port: { number: 8290 } } },
          path: "/old-service(/|$)(.*)",
          pathType: "ImplementationSpecific",
        },
      });
    });

    it("a Service's selector is replaced whole: a label only the live one has goes", () => {
      const dir = fixtureCopy((d) => {
        const list = items(path.join(d, "team-b.yaml"));
        list[1].spec.selector.track = "stable";
        list[1].metadata.annotations = { "team.example.com/owner": "billing" };
        writeItems(path.join(d, "team-b.yaml"), list);
      });
      const plan = jsonPlan(["--live", ...LIVE, ...STACK], dir);
      const service = plan.update.find((e) => e.name === "billing-service");
      expect(service?.changes).to.deep.equal([
        {
          path: "metadata.annotations",
          before: { "team.example.com/owner": "billing" },
          kept: true,
        },
        { path: "metadata.labels", after: { app: "integration", integration_cr: "billing" } },
        { path: "spec.selector.track", before: "stable" },
      ]);
    });

    it("a defaulted field the stack sets otherwise is a change; one it leaves out is not", () => {
      const dir = fixtureCopy((d) => {
        const list = items(path.join(d, "team-b.yaml"));
        // As if created without a strategy: the API server's 25% / 25%.
        list[0].spec.strategy = {
          type: "RollingUpdate",
          rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
        };
        list[0].spec.progressDeadlineSeconds = 900;
        writeItems(path.join(d, "team-b.yaml"), list);
      });
      const plan = jsonPlan(["--live", ...LIVE, ...STACK], dir);
      const billing = plan.update.find((e) => e.name === "billing-deployment");
      expect(billing?.changes).to.deep.equal([
        { path: "metadata.labels", after: { app: "integration", integration_cr: "billing" } },
        { path: "spec.progressDeadlineSeconds", before: 900, kept: true },
        { path: "spec.strategy.rollingUpdate.maxSurge", before: "25%", after: 1 },
        { path: "spec.strategy.rollingUpdate.maxUnavailable", before: "25%", after: 0 },
      ]);
    });

    it("objects whose only differences are kept fields are unchanged, and --expect-no-changes passes", () => {
      const dir = fixtureCopy((d) => {
        const list = items(path.join(d, "team-b.yaml"));
        const deployment = list[0];
        deployment.metadata.labels = { app: "integration", integration_cr: "billing", team: "b" };
        deployment.spec.strategy.rollingUpdate = { maxSurge: 1, maxUnavailable: 0 };
        list[1].metadata.labels = { app: "integration", integration_cr: "billing" };
        writeItems(
          path.join(d, "team-b.yaml"),
          list.filter((o) => o.kind !== "Ingress" && o.metadata.name !== "billing-db"),
        );
        fs.rmSync(path.join(d, "crs/orders.yaml"));
        fs.rmSync(path.join(d, "crs/events.yaml"));
        const conf = path.join(d, "integration_controller_conf.yaml");
        fs.writeFileSync(
          conf,
          fs
            .readFileSync(conf, "utf8")
            .replace('autoIngressCreation: "true"', 'autoIngressCreation: "false"'),
        );
      });
      const argv = ["--live", "team-b.yaml", ...STACK];
      const plan = jsonPlan(argv, dir);
      expect([plan.create, plan.update, plan.replace, plan.delete]).to.deep.equal([[], [], [], []]);
      expect(plan.unchanged.map(id)).to.deep.equal([
        "Deployment team-b/billing-deployment",
        "Service team-b/billing-service",
      ]);
      expect(plan.unchanged[0].changes).to.deep.equal([
        { path: "metadata.labels.team", before: "b", kept: true },
      ]);
      const result = livePlan([...argv, "--expect-no-changes"], dir);
      expect(result.code).to.equal(0);
      expect(result.stdout).to.include(
        "=  Deployment team-b/billing-deployment\n      = metadata.labels.team: b\n",
      );
    });

    it("an integration with no CR in the stack is left running, and says so", () => {
      const dir = fixtureCopy((d) => fs.rmSync(path.join(d, "crs/events.yaml")));
      const plan = jsonPlan(["--live", ...LIVE, ...STACK], dir);
      const note =
        "the operator's, for Integration events, which the stack has no CR for: it keeps " +
        "running unmanaged; add the CR to the stack to adopt it, or delete it by hand";
      expect(plan.unmanaged.filter((u) => u.note === note).map(id)).to.deep.equal([
        "Deployment team-a/events-deployment",
        "Service team-a/events-service",
      ]);
      expect(plan.delete).to.deep.equal([]);
    });

    it("a stack that names its Ingress otherwise creates one the admission webhook refuses, and says so", () => {
      // The fixture's Pulumi.yaml names no stackConfigDir: stack files sit beside it.
      const dir = fixtureCopy((d) =>
        fs.writeFileSync(
          path.join(d, "Pulumi.old.yaml"),
          fs.readFileSync(path.join(d, "Pulumi.migrate.yaml"), "utf8") +
            "  wso2-mi:ingress:\n    name: api-operator-ingress\n",
        ),
      );
      const plan = jsonPlan(["--live", ...LIVE, "--stack", "old"], dir);
      expect(plan.create.map((e) => [id(e), e.note])).to.deep.equal(
        ["team-a", "team-b"].map((ns) => [
          `Ingress ${ns}/api-operator-ingress`,
          `the live Ingress ${ns}/ei-operator-ingress routes the same host and paths, and ` +
            "ingress-nginx's admission webhook refuses a second Ingress with a host and path " +
            "another one has: set the stack's ingress.name to ei-operator-ingress to adopt it " +
            "instead (see the README)",
        ]),
      );
      expect(plan.unmanaged.filter((u) => u.kind === "Ingress")).to.deep.equal(
        ["team-a", "team-b"].map((namespace) => ({
          apiVersion: "networking.k8s.io/v1",
          kind: "Ingress",
          namespace,
          name: "ei-operator-ingress",
          note: "routes the same host and paths as the stack's new Ingress api-operator-ingress",
        })),
      );
    });

    it("a namespace of the stack with no live objects: a warning with the export command", () => {
      const result = livePlan(["--live", "team-a.yaml", ...STACK, "--format", "json"]);
      expect(result.code).to.equal(0);
      expect(result.stderr).to.include(
        "warning: no live object of namespace team-b was given, so every object the stack " +
          "deploys there shows as a create; export them: kubectl get deployments.apps,services," +
          "horizontalpodautoscalers.v2.autoscaling,ingresses.networking.k8s.io,configmaps -n " +
          "team-b -o yaml > team-b.yaml and add --live team-b.yaml\n",
      );
      const plan = JSON.parse(result.stdout) as JsonPlan;
      expect(plan.create.map(id)).to.deep.equal([
        "Deployment team-b/billing-deployment",
        "Service team-b/billing-service",
        "Ingress team-b/ei-operator-ingress",
      ]);
    });
  });

  describe("across API versions", () => {
    it("an HPA exported as autoscaling/v2beta2 and an Ingress as extensions/v1beta1 are the same objects", () => {
      const dir = fixtureCopy((d) => {
        const list = items(path.join(d, "team-a.yaml"));
        const hpa = list.find((o) => o.kind === "HorizontalPodAutoscaler")!;
        hpa.apiVersion = "autoscaling/v2beta2";
        const ingress = list.find((o) => o.kind === "Ingress")!;
        ingress.apiVersion = "extensions/v1beta1";
        for (const rule of ingress.spec.rules) {
          for (const p of rule.http.paths) {
            p.backend = {
              serviceName: p.backend.service?.name,
              servicePort: p.backend.service?.port.number,
            };
          }
        }
        writeItems(path.join(d, "team-a.yaml"), list);
      });
      const plan = jsonPlan(["--live", ...LIVE, ...STACK], dir);
      expect([plan.create, plan.delete, plan.replace]).to.deep.equal([[], [], []]);
      const hpa = plan.update.find((e) => e.kind === "HorizontalPodAutoscaler");
      expect(hpa).to.deep.include({
        apiVersion: "autoscaling/v2",
        liveApiVersion: "autoscaling/v2beta2",
      });
      expect(hpa?.changes?.map((c) => c.path)).to.deep.equal(["metadata.labels"]);
      const ingress = plan.update.find((e) => id(e) === "Ingress team-a/ei-operator-ingress");
      expect(ingress?.liveApiVersion).to.equal("extensions/v1beta1");
      const reference = jsonPlan(["--live", ...LIVE, ...STACK]).update.find(
        (e) => id(e) === "Ingress team-a/ei-operator-ingress",
      );
      expect(ingress?.changes).to.deep.equal(reference?.changes);
    });

    it("an HPA exported as autoscaling/v1 is an error showing the v2 export", () => {
      const dir = fixtureCopy((d) => {
        const list = items(path.join(d, "team-a.yaml"));
        const hpa = list.find((o) => o.kind === "HorizontalPodAutoscaler")!;
        hpa.apiVersion = "autoscaling/v1";
        writeItems(path.join(d, "team-a.yaml"), list);
      });
      const result = livePlan(["--live", ...LIVE, ...STACK], dir);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.equal("");
      expect(result.stderr).to.match(
        /^error: team-a\.yaml:\d+: items\[2\]\.apiVersion: the HPA orders-hpa was exported as autoscaling\/v1, which keeps its metrics only in annotations; export the HPAs as autoscaling\/v2: kubectl get deployments\.apps,services,horizontalpodautoscalers\.v2\.autoscaling,ingresses\.networking\.k8s\.io,configmaps -n team-a -o yaml$/m,
      );
    });
  });

  describe("invalid live files: every problem at once, exit 1, nothing on stdout", () => {
    it("a device is refused unread, by the bounded reader every input goes through", () => {
      const result = livePlan(["--live", "/dev/zero", ...STACK]);
      expect(result).to.deep.include({ code: 1, stdout: "" });
      expect(result.stderr).to.include(
        "error: /dev/zero: the live objects file is not a regular file (a folder, device or pipe?)\n",
      );
    });

    it("a missing file, an item without a name, the same object twice", () => {
      const dir = fixtureCopy((d) => {
        fs.writeFileSync(
          path.join(d, "bad.yaml"),
          dump({
            apiVersion: "v1",
            kind: "List",
            items: [{ apiVersion: "v1", kind: "Service", metadata: { namespace: "team-a" } }],
          }),
        );
      });
      const result = livePlan(
        ["--live", "team-a.yaml", "team-a.yaml", "bad.yaml", "gone.yaml", ...STACK],
        dir,
      );
      expect(result.code).to.equal(1);
      expect(result.stdout).to.equal("");
      const errors = result.stderr.split("\n").filter((l) => l.startsWith("error: "));
      expect(errors).to.have.length(11);
      expect(errors).to.include("error: gone.yaml: the live objects file does not exist");
      expect(
        errors.some((e) =>
          /^error: bad\.yaml:\d+: items\[0\]\.metadata\.name: expected a non-empty string$/.test(e),
        ),
      ).to.equal(true);
      expect(errors.filter((e) => e.includes("is also in team-a.yaml"))).to.have.length(9);
    });
  });
});
