/**
 * Removing an inbound port, autoscaling or an integration, end to end from files: the project is
 * rendered by render's main before and after the change, and plan's main compares the two. The
 * plan must hold exactly the removed objects and Ingress paths, and nothing else.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { listFiles } from "../run";
import {
  AUTOSCALE_ROUTES,
  autoscaleProject,
  cleanUp,
  planDirs,
  project,
  removalCr,
  removalProject,
  removalStackFiles,
  renderChange,
  switchAutoscale,
  writeFile,
} from "./support";

const FLAGS = ["--stack", "test"];
const RULE = "spec.rules[wso2ei.ingress.wso2.com].http.paths";
const PORTS = "spec.template.spec.containers[micro-integrator].ports";

/** An Ingress path as the builders make it, as plan's JSON holds it. */
function ingressPath(prefix: string, service: string, port: number): object {
  return {
    backend: { service: { name: `${service}-service`, port: { number: port } } },
    path: `${prefix}(/|$)(.*)`,
    pathType: "ImplementationSpecific",
  };
}

/** The same path as plan's text shows it. */
function ingressPathText(prefix: string, service: string, port: number): string {
  return (
    `{backend: {service: {name: ${service}-service, port: {number: ${port}}}}, ` +
    `path: ${prefix}(/|$)(.*), pathType: ImplementationSpecific}`
  );
}

const API_VERSIONS: Record<string, string> = {
  Deployment: "apps/v1",
  Service: "v1",
  HorizontalPodAutoscaler: "autoscaling/v2",
  Ingress: "networking.k8s.io/v1",
  Namespace: "v1",
  PodDisruptionBudget: "policy/v1",
};

/** `{apiVersion, kind, namespace, name}` of a JSON plan entry; a Namespace's namespace is null. */
function id(kind: string, name: string, namespace = "ns"): object {
  const apiVersion = API_VERSIONS[kind];
  return { apiVersion, kind, namespace: kind === "Namespace" ? null : namespace, name };
}

/** The JSON plan between two render folders, without its `problems` (none from folders). */
function jsonPlan(before: string, after: string): unknown {
  const json = JSON.parse(planDirs(before, after, "json")) as Record<string, unknown>;
  expect(json.problems).to.deep.equal([]);
  delete json.problems;
  return json;
}

/** The plan in text and JSON between the project's renders before and after `change`. */
function planAround(dir: string, change: () => void): { text: string; json: unknown } {
  const { before, after } = renderChange(dir, FLAGS, change);
  return { text: planDirs(before, after), json: jsonPlan(before, after) };
}

/** The items of the Ingress's paths list in a render folder, each as its YAML text. */
function ingressPathBlocks(dir: string, namespace = "ns"): string[] {
  const text = fs.readFileSync(
    path.join(dir, namespace, "ingress-ei-operator-ingress.yaml"),
    "utf8",
  );
  return text.split(/\n(?= {10}- backend:)/).slice(1);
}

describe("plan: removals show exactly the removed objects and Ingress paths", () => {
  after(cleanUp);

  describe("an inbound port of an integration exposed on the shared Ingress", () => {
    for (const [removed, kept] of [
      [8000, 9000],
      [9000, 8000],
    ]) {
      it(`removing ${removed} of [8000, 9000]: its Service port, container port and Ingress path`, () => {
        const dir = removalProject({ autoScale: true });
        const plan = planAround(dir, () =>
          writeFile(
            dir,
            "crs/alpha.yaml",
            removalCr("alpha", { inboundPorts: [kept], autoScale: true }),
          ),
        );
        const prefix = `/alpha-inbound/${removed}`;
        const servicePort = {
          name: `alpha${removed}`,
          port: removed,
          protocol: "TCP",
          targetPort: removed,
        };
        expect(plan.text).to.equal(
          [
            "~  Deployment ns/alpha-deployment",
            `      - ${PORTS}[containerPort=${removed}]: {containerPort: ${removed}, protocol: TCP}`,
            "~  Service ns/alpha-service",
            `      - spec.ports[alpha${removed}]: {name: alpha${removed}, port: ${removed}, protocol: TCP, targetPort: ${removed}}`,
            "~  Ingress ns/ei-operator-ingress",
            `      - ${RULE}[${prefix}(/|$)(.*)]: ${ingressPathText(prefix, "alpha", removed)}`,
            "",
            "Plan: 0 to create, 3 to update, 0 to replace, 0 to delete, 6 unchanged.",
            "",
          ].join("\n"),
        );
        expect(plan.json).to.deep.equal({
          create: [],
          update: [
            {
              ...id("Deployment", "alpha-deployment"),
              changes: [
                {
                  path: `${PORTS}[containerPort=${removed}]`,
                  before: { containerPort: removed, protocol: "TCP" },
                },
              ],
            },
            {
              ...id("Service", "alpha-service"),
              changes: [{ path: `spec.ports[alpha${removed}]`, before: servicePort }],
            },
            {
              ...id("Ingress", "ei-operator-ingress"),
              changes: [
                {
                  path: `${RULE}[${prefix}(/|$)(.*)]`,
                  before: ingressPath(prefix, "alpha", removed),
                },
              ],
            },
          ],
          replace: [],
          delete: [],
          unchanged: [
            id("HorizontalPodAutoscaler", "alpha-hpa"),
            id("PodDisruptionBudget", "alpha-pdb"),
            id("Deployment", "beta-deployment"),
            id("HorizontalPodAutoscaler", "beta-hpa"),
            id("PodDisruptionBudget", "beta-pdb"),
            id("Service", "beta-service"),
          ],
        });
      });
    }
  });

  describe("autoscaling turned off: the HPA goes, the Deployment gets minReplicas", () => {
    for (const route of AUTOSCALE_ROUTES) {
      it(`through ${route.route}; alpha, which sets autoScale itself, keeps its HPA`, () => {
        const dir = autoscaleProject(route, true);
        const plan = planAround(dir, () => switchAutoscale(dir, route, false));
        expect(plan.text).to.equal(
          [
            "~  Deployment ns/beta-deployment",
            "      + spec.replicas: 3",
            "-  HorizontalPodAutoscaler ns/beta-hpa",
            "",
            "Plan: 0 to create, 1 to update, 0 to replace, 1 to delete, 7 unchanged.",
            "",
          ].join("\n"),
        );
        expect(plan.json).to.deep.equal({
          create: [],
          update: [
            {
              ...id("Deployment", "beta-deployment"),
              changes: [{ path: "spec.replicas", after: 3 }],
            },
          ],
          replace: [],
          delete: [id("HorizontalPodAutoscaler", "beta-hpa")],
          unchanged: [
            id("Deployment", "alpha-deployment"),
            id("HorizontalPodAutoscaler", "alpha-hpa"),
            id("PodDisruptionBudget", "alpha-pdb"),
            id("Service", "alpha-service"),
            id("PodDisruptionBudget", "beta-pdb"),
            id("Service", "beta-service"),
            id("Ingress", "ei-operator-ingress"),
          ],
        });
      });
    }
  });

  describe("an integration", () => {
    it("sharing the Ingress: its objects and paths go, the Ingress is updated, the other's paths are byte-identical", () => {
      const dir = removalProject({ autoScale: true });
      const { before, after } = renderChange(dir, FLAGS, () =>
        fs.rmSync(path.join(dir, "crs/alpha.yaml")),
      );
      const paths = [8000, 9000]
        .map((port): [string, number] => [`/alpha-inbound/${port}`, port])
        .concat([["/alpha-service", 8290]]);
      expect(planDirs(before, after)).to.equal(
        [
          "-  Deployment ns/alpha-deployment",
          "-  HorizontalPodAutoscaler ns/alpha-hpa",
          "-  PodDisruptionBudget ns/alpha-pdb",
          "-  Service ns/alpha-service",
          "~  Ingress ns/ei-operator-ingress",
          ...paths.map(
            ([prefix, port]) =>
              `      - ${RULE}[${prefix}(/|$)(.*)]: ${ingressPathText(prefix, "alpha", port)}`,
          ),
          "",
          "Plan: 0 to create, 1 to update, 0 to replace, 4 to delete, 4 unchanged.",
          "",
        ].join("\n"),
      );
      expect(jsonPlan(before, after)).to.deep.equal({
        create: [],
        update: [
          {
            ...id("Ingress", "ei-operator-ingress"),
            changes: paths.map(([prefix, port]) => ({
              path: `${RULE}[${prefix}(/|$)(.*)]`,
              before: ingressPath(prefix, "alpha", port),
            })),
          },
        ],
        replace: [],
        delete: [
          id("Deployment", "alpha-deployment"),
          id("HorizontalPodAutoscaler", "alpha-hpa"),
          id("PodDisruptionBudget", "alpha-pdb"),
          id("Service", "alpha-service"),
        ],
        unchanged: [
          id("Deployment", "beta-deployment"),
          id("HorizontalPodAutoscaler", "beta-hpa"),
          id("PodDisruptionBudget", "beta-pdb"),
          id("Service", "beta-service"),
        ],
      });
      const betaBlocks = (dir: string) =>
        ingressPathBlocks(dir).filter((block) => block.includes("name: beta-service\n"));
      expect(betaBlocks(before)).to.have.length(2);
      expect(betaBlocks(after)).to.deep.equal(betaBlocks(before));
      expect(ingressPathBlocks(after)).to.deep.equal(betaBlocks(before));
    });

    it("the last of its namespace: that namespace's Ingress is deleted with it, not left without paths", () => {
      const gamma = removalCr("gamma", { namespace: "other", inboundPorts: [8000] });
      const dir = removalProject({}, {}, { "crs/gamma.yaml": gamma });
      const plan = planAround(dir, () => fs.rmSync(path.join(dir, "crs/gamma.yaml")));
      expect(plan.text).to.equal(
        [
          "-  Ingress other/ei-operator-ingress",
          "-  Deployment other/gamma-deployment",
          "-  Service other/gamma-service",
          "",
          "Plan: 0 to create, 0 to update, 0 to replace, 3 to delete, 8 unchanged.",
          "",
        ].join("\n"),
      );
      expect(plan.json).to.deep.equal({
        create: [],
        update: [],
        replace: [],
        delete: [
          id("Ingress", "ei-operator-ingress", "other"),
          id("Deployment", "gamma-deployment", "other"),
          id("Service", "gamma-service", "other"),
        ],
        unchanged: [
          id("Deployment", "alpha-deployment"),
          id("HorizontalPodAutoscaler", "alpha-hpa"),
          id("PodDisruptionBudget", "alpha-pdb"),
          id("Service", "alpha-service"),
          id("Deployment", "beta-deployment"),
          id("PodDisruptionBudget", "beta-pdb"),
          id("Service", "beta-service"),
          id("Ingress", "ei-operator-ingress"),
        ],
      });
    });

    describe("with createNamespace: the Namespace is a delete the cluster keeps", () => {
      const RETAIN =
        "Pulumi stops managing it and leaves it in the cluster with everything in it " +
        "(retainOnDelete: deleting a namespace would delete its Secrets too)";

      function namespaceProject(): string {
        return project({
          ...removalStackFiles({ createNamespace: true }),
          "crs/alpha.yaml": removalCr("alpha"),
          "crs/gamma.yaml": removalCr("gamma", { namespace: "other" }),
        });
      }

      it("the last integration of a namespace removed: delete[retain] in every format", () => {
        const dir = namespaceProject();
        const { before, after } = renderChange(dir, FLAGS, () =>
          fs.rmSync(path.join(dir, "crs/gamma.yaml")),
        );
        expect(planDirs(before, after)).to.equal(
          [
            "-  Namespace other",
            `      retain: ${RETAIN}`,
            "-  Ingress other/ei-operator-ingress",
            "-  Deployment other/gamma-deployment",
            "-  Service other/gamma-service",
            "",
            "Plan: 0 to create, 0 to update, 0 to replace, 4 to delete, 4 unchanged.",
            "",
          ].join("\n"),
        );
        const json = JSON.parse(planDirs(before, after, "json")) as { delete: object[] };
        expect(json.delete).to.deep.equal([
          { ...id("Namespace", "other"), retain: RETAIN },
          id("Ingress", "ei-operator-ingress", "other"),
          id("Deployment", "gamma-deployment", "other"),
          id("Service", "gamma-service", "other"),
        ]);
        const markdown = planDirs(before, after, "markdown");
        expect(markdown).to.contain(
          `| \`-\` delete | Namespace | \`other\` | retained: ${RETAIN} |\n`,
        );
        expect(markdown).to.contain(
          "<summary><code>-</code> delete Namespace <code>other</code></summary>\n\n" +
            `Retained: ${RETAIN}.\n`,
        );
      });

      it("an integration moved to another namespace: the old Namespace is kept, not shown renamed", () => {
        const dir = namespaceProject();
        const plan = planAround(dir, () =>
          writeFile(dir, "crs/gamma.yaml", removalCr("gamma", { namespace: "third" })),
        );
        expect(plan.text).to.equal(
          [
            "-  Namespace other",
            `      retain: ${RETAIN}`,
            "+  Namespace third",
            "-  Ingress other/ei-operator-ingress",
            "-  Deployment other/gamma-deployment",
            "-  Service other/gamma-service",
            "+  Ingress third/ei-operator-ingress",
            "+  Deployment third/gamma-deployment",
            "+  Service third/gamma-service",
            "",
            "Plan: 4 to create, 0 to update, 0 to replace, 4 to delete, 4 unchanged.",
            "",
          ].join("\n"),
        );
        expect((plan.json as { replace: object[] }).replace).to.deep.equal([]);
      });
    });

    it("the last of the stack (its file emptied): every object goes, the Ingress too", () => {
      const dir = project({
        ...removalStackFiles(),
        "crs/alpha.yaml": removalCr("alpha", { inboundPorts: [8000] }),
      });
      const { before, after } = renderChange(dir, FLAGS, () =>
        writeFile(dir, "crs/alpha.yaml", ""),
      );
      expect(listFiles(after)).to.deep.equal([".render-out"]);
      expect(planDirs(before, after)).to.equal(
        [
          "-  Deployment ns/alpha-deployment",
          "-  Service ns/alpha-service",
          "-  Ingress ns/ei-operator-ingress",
          "",
          "Plan: 0 to create, 0 to update, 0 to replace, 3 to delete, 0 unchanged.",
          "",
        ].join("\n"),
      );
    });
  });
});
