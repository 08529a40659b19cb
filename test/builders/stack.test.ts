import { expect } from "chai";
import { dump } from "js-yaml";
import { buildStackObjects, listObjects, type KubeObject } from "../../components/builders";
import type { ResolvedIntegration } from "../../components/model/types";
import { schemaProblems } from "../support/schema";
import { CPU_70, ingress, integration, stack } from "./fixtures";

/** An integration using every feature, so that every optional field is built at least once. */
function everything(overrides: Partial<ResolvedIntegration> = {}): ResolvedIntegration {
  return integration({
    name: "orders",
    imagePullSecret: "regcred",
    pullPolicy: "IfNotPresent",
    minReplicas: 2,
    autoscaling: { maxReplicas: 6, metrics: CPU_70 },
    resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: "kubernetes.io/hostname",
              labelSelector: { matchLabels: { integration_cr: "orders" } },
            },
          },
        ],
      },
    },
    inboundPorts: [8000, 9000],
    env: [
      { name: "MODE", value: "prod" },
      { name: "DB", valueFrom: { secretKeyRef: { name: "db", key: "url" } } },
    ],
    envFrom: [{ configMapRef: { name: "orders-env" } }],
    configMaps: [
      { name: "orders-conf", mountPath: "/home/wso2carbon/conf", fileName: "deployment.toml" },
    ],
    podAnnotations: { "wso2.com/image-digest": "sha256:0123" },
    ...overrides,
  });
}

const name = (o: KubeObject) =>
  `${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

describe("buildStackObjects and listObjects", () => {
  const resolved = stack(
    [
      integration({ name: "zeta", namespace: "team-b" }),
      everything({ namespace: "team-b" }),
      integration({ name: "hello", namespace: "team-a" }),
    ],
    ingress({ host: "mi.example.com", tlsSecretName: "mi-tls", scheme: "https" }),
  );

  it("lists objects per namespace: Deployment, Service, HPA per integration by name, then the Ingress", () => {
    expect(listObjects(buildStackObjects(resolved)).map(name)).to.deep.equal([
      "Deployment team-a/hello-deployment",
      "Service team-a/hello-service",
      "Ingress team-a/ei-operator-ingress",
      "Deployment team-b/orders-deployment",
      "Service team-b/orders-service",
      "HorizontalPodAutoscaler team-b/orders-hpa",
      "Deployment team-b/zeta-deployment",
      "Service team-b/zeta-service",
      "Ingress team-b/ei-operator-ingress",
    ]);
  });

  it("keeps each integration with its objects, sorted by namespace then name", () => {
    const objects = buildStackObjects(resolved);
    expect(
      objects.integrations.map((i) => [
        i.integration.namespace,
        i.integration.name,
        i.objects.deployment.metadata?.name,
      ]),
    ).to.deep.equal([
      ["team-a", "hello", "hello-deployment"],
      ["team-b", "orders", "orders-deployment"],
      ["team-b", "zeta", "zeta-deployment"],
    ]);
    expect(objects.ingresses.map((i) => i.metadata?.namespace)).to.deep.equal(["team-a", "team-b"]);
  });

  it("lists no Ingress when it is off", () => {
    const objects = buildStackObjects(stack([integration()], null));
    expect(objects.ingresses).to.deep.equal([]);
    expect(listObjects(objects).map(name)).to.deep.equal([
      "Deployment apps/hello-deployment",
      "Service apps/hello-service",
    ]);
  });

  it("builds only objects the API server accepts", () => {
    const objects = listObjects(buildStackObjects(resolved));
    expect(objects.map((o) => [name(o), schemaProblems(o)])).to.deep.equal(
      objects.map((o) => [name(o), []]),
    );
  });

  it("is deterministic: the same input gives the same output, byte for byte", () => {
    const first = listObjects(buildStackObjects(resolved));
    const second = listObjects(buildStackObjects(structuredClone(resolved)));
    expect(second).to.deep.equal(first);
    expect(JSON.stringify(second)).to.equal(JSON.stringify(first));
  });

  it("does not depend on the order integrations are given in", () => {
    const reversed = { ...resolved, integrations: [...resolved.integrations].reverse() };
    expect(JSON.stringify(listObjects(buildStackObjects(reversed)))).to.equal(
      JSON.stringify(listObjects(buildStackObjects(resolved))),
    );
  });

  it("shares no object between outputs or with the model (no YAML anchors, no aliasing)", () => {
    const objects = listObjects(buildStackObjects(resolved));
    const seen = new Set<object>();
    const shared: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== "object") return;
      if (seen.has(node)) shared.push(path);
      seen.add(node);
      for (const [key, value] of Object.entries(node)) walk(value, `${path}.${key}`);
    };
    walk(resolved, "model");
    objects.forEach((o) => walk(o, name(o)));
    expect(shared).to.deep.equal([]);
    expect(dump(objects)).to.not.include("&ref");
  });

  it("does not modify its input", () => {
    const before = structuredClone(resolved);
    buildStackObjects(resolved);
    expect(resolved).to.deep.equal(before);
  });
});
