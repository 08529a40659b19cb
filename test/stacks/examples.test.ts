/**
 * The example stacks are what the README says: `dev` with the operator docs' samples, and `prod`
 * differing the way real environments do. (Their golden manifests are in test/golden/stacks/.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { loadStackInput, type StackInput } from "../../cli/common/stackInput";
import { integrationEndpoints } from "../../components/builders";
import type { ResolvedIntegration } from "../../components/model/types";

const ROOT = path.resolve(__dirname, "../..");

function byName(input: StackInput, name: string): ResolvedIntegration {
  const found = input.resolved.integrations.find((i) => i.name === name);
  if (found === undefined) throw new Error(`no integration ${name}`);
  return found;
}

describe("example stacks", () => {
  const dev = loadStackInput(ROOT, { stack: "dev" });
  const prod = loadStackInput(ROOT, { stack: "prod" });

  it("are dev and prod, each with its own CR folder", () => {
    const stacks = fs
      .readdirSync(path.join(ROOT, "stacks"))
      .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
      .sort();
    expect(stacks).to.deep.equal(["Pulumi.dev.yaml", "Pulumi.prod.yaml"]);
    expect(dev.settings.crs).to.deep.equal(["stacks/dev"]);
    expect(prod.settings.crs).to.deep.equal(["stacks/prod"]);
  });

  it("load without a warning or a note", () => {
    expect(dev.advice).to.deep.equal([]);
    expect(prod.advice).to.deep.equal([]);
  });

  describe("dev", () => {
    it("holds every sample of the operator's documentation", () => {
      expect(dev.resolved.integrations.map((i) => i.name)).to.deep.equal([
        "content-based-routing",
        "hello-world",
        "inbound-samples",
        "jms-example",
        "private-hello-world",
        "sample-integration",
      ]);
    });

    it("gives the JMS sample its environment, the broker credentials from a Secret", () => {
      expect(byName(dev, "jms-example").env).to.deep.equal([
        { name: "jmsurl", value: "tcp://activemq:61616" },
        { name: "jmsconfac", value: "QueueConnectionFactory" },
        { name: "destination", value: "queue" },
        { name: "contenttype", value: "application/xml" },
        {
          name: "jmsuname",
          valueFrom: { secretKeyRef: { name: "activemq-credentials", key: "username" } },
        },
        {
          name: "jmspass",
          valueFrom: { secretKeyRef: { name: "activemq-credentials", key: "password" } },
        },
      ]);
    });

    it("creates no namespace, uses the default provider and refreshes no image", () => {
      expect(dev.objects.namespaces).to.deep.equal([]);
      expect(dev.resolved.kubernetes).to.equal(undefined);
      expect(dev.resolved.integrations.every((i) => i.imageRefresh === undefined)).to.equal(true);
    });
  });

  describe("prod", () => {
    it("deploys to its own namespace, host and TLS secret", () => {
      expect(new Set(prod.resolved.integrations.map((i) => i.namespace))).to.deep.equal(
        new Set(["integrations-prod"]),
      );
      expect(prod.resolved.ingress).to.deep.equal({
        name: "ei-operator-ingress",
        host: "integrations.example.com",
        className: "nginx",
        tlsSecretName: "integrations-example-com-tls",
        annotations: {
          "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
          "nginx.ingress.kubernetes.io/ssl-redirect": "true",
        },
        scheme: "https",
      });
      expect(
        integrationEndpoints(byName(prod, "hello-world"), prod.resolved.ingress).ingressUrl,
      ).to.equal("https://integrations.example.com/hello-world-service");
    });

    it("autoscales every integration from 3 replicas, with bigger pods than dev", () => {
      expect(prod.resolved.integrations).to.have.length(5);
      for (const integration of prod.resolved.integrations) {
        expect(integration.minReplicas, integration.name).to.equal(3);
        expect(integration.autoscaling?.maxReplicas, integration.name).to.equal(
          integration.name === "orders-api" ? 20 : 10,
        );
      }
      expect(byName(prod, "hello-world").resources).to.deep.equal({
        requests: { cpu: "1000m", memory: "1Gi" },
        limits: { cpu: "2000m", memory: "2Gi" },
      });
      expect(byName(dev, "hello-world").resources).to.deep.equal({
        requests: { cpu: "250m", memory: "512Mi" },
        limits: { cpu: "1000m", memory: "1024Mi" },
      });
      expect(prod.objects.integrations).to.have.length(5);
      for (const { objects } of prod.objects.integrations) {
        expect(objects.deployment.spec?.replicas, "the HPA owns replicas").to.equal(undefined);
      }
    });

    it("pins every image to the digest of its image lock, the CR's tag", () => {
      expect(prod.resolved.integrations).to.have.length(5);
      expect(prod.resolved.imageLock?.file).to.equal("stacks/prod.images.lock.yaml");
      for (const integration of prod.resolved.integrations) {
        const locked = prod.resolved.imageLock?.images[integration.image];
        expect(locked?.tag, integration.name).to.equal(integration.image.split(":").at(-1));
        expect(integration.imageRefresh, integration.name).to.deep.equal({
          mode: "digest",
          onUnreachable: "fail",
          insecureRegistries: [],
          locked: {
            tag: locked?.tag,
            digest: locked?.digest,
            pinned: `${integration.image}@${locked?.digest}`,
          },
        });
      }
    });

    it("pulls one integration from a private registry with a pull secret", () => {
      const orders = byName(prod, "orders-api");
      expect(orders.image).to.equal("registry.example.com/integrations/orders-api:2.4.1");
      expect(orders.imagePullSecret).to.equal("registry-credentials");
      const deployment = prod.objects.integrations.find((i) => i.integration.name === "orders-api")
        ?.objects.deployment;
      expect(deployment?.spec?.template.spec?.imagePullSecrets).to.deep.equal([
        { name: "registry-credentials" },
      ]);
    });

    it("waits up to 15 minutes for readiness, with Pulumi's default provider", () => {
      expect(prod.resolved.kubernetes).to.deep.equal({ readinessTimeoutSeconds: 900 });
      expect(prod.objects.namespaces).to.deep.equal([]);
    });
  });
});
