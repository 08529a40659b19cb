import { expect } from "chai";
import { buildDeployment, configMapVolumeName } from "../../components/builders";
import type { IAffinity } from "../../components/model/types";
import { schemaProblems } from "../support/schema";
import { CPU_70, integration } from "./fixtures";

describe("buildDeployment", () => {
  it("builds the exact Deployment of a small integration", () => {
    const deployment = buildDeployment(integration());
    expect(deployment).to.deep.equal({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "hello-deployment",
        namespace: "apps",
        labels: { app: "integration", integration_cr: "hello" },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "integration", integration_cr: "hello" } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: { app: "integration", integration_cr: "hello" } },
          spec: {
            containers: [
              {
                name: "micro-integrator",
                image: "registry.example.com/team/hello:1.0.0",
                imagePullPolicy: "Always",
                ports: [{ containerPort: 8290, protocol: "TCP" }],
                livenessProbe: {
                  tcpSocket: { port: 8290 },
                  initialDelaySeconds: 10,
                  periodSeconds: 5,
                },
                readinessProbe: {
                  httpGet: { path: "/healthz", port: 9201 },
                  initialDelaySeconds: 10,
                  periodSeconds: 5,
                },
                lifecycle: {
                  preStop: {
                    exec: {
                      command: ["sh", "-c", "${WSO2_SERVER_HOME}/bin/micro-integrator.sh stop"],
                    },
                  },
                },
              },
            ],
          },
        },
      },
    });
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("keeps keys in a stable order", () => {
    const deployment = buildDeployment(integration());
    expect(Object.keys(deployment)).to.deep.equal(["apiVersion", "kind", "metadata", "spec"]);
    expect(Object.keys(deployment.spec ?? {})).to.deep.equal([
      "replicas",
      "selector",
      "strategy",
      "template",
    ]);
    expect(Object.keys(deployment.spec?.template.spec?.containers[0] ?? {})).to.deep.equal([
      "name",
      "image",
      "imagePullPolicy",
      "ports",
      "livenessProbe",
      "readinessProbe",
      "lifecycle",
    ]);
  });

  it("uses minReplicas as replicas when autoscaling is off", () => {
    expect(buildDeployment(integration({ minReplicas: 3 })).spec?.replicas).to.equal(3);
  });

  it("leaves replicas out when autoscaling is on (the HPA owns it)", () => {
    const deployment = buildDeployment(
      integration({ minReplicas: 2, autoscaling: { maxReplicas: 5, metrics: CPU_70 } }),
    );
    expect(deployment.spec).to.not.have.property("replicas");
    expect(Object.keys(deployment.spec ?? {})).to.deep.equal(["selector", "strategy", "template"]);
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("exposes the passthrough port first, then inbound ports in the CR's order, as the operator does", () => {
    const deployment = buildDeployment(
      integration({ passthroPort: 8291, inboundPorts: [9000, 8000] }),
    );
    expect(deployment.spec?.template.spec?.containers[0].ports).to.deep.equal([
      { containerPort: 8291, protocol: "TCP" },
      { containerPort: 9000, protocol: "TCP" },
      { containerPort: 8000, protocol: "TCP" },
    ]);
  });

  it("never emits a port twice", () => {
    const deployment = buildDeployment(integration({ inboundPorts: [8000, 8290, 8000] }));
    expect(deployment.spec?.template.spec?.containers[0].ports).to.deep.equal([
      { containerPort: 8290, protocol: "TCP" },
      { containerPort: 8000, protocol: "TCP" },
    ]);
  });

  it("sets only the resource keys that are given", () => {
    const container = (resources: Parameters<typeof integration>[0]) =>
      buildDeployment(integration(resources)).spec?.template.spec?.containers[0];
    expect(
      container({ resources: { requests: { cpu: "500m" }, limits: {} } })?.resources,
    ).to.deep.equal({
      requests: { cpu: "500m" },
    });
    expect(
      container({ resources: { requests: {}, limits: { memory: "2048Mi" } } })?.resources,
    ).to.deep.equal({
      limits: { memory: "2048Mi" },
    });
    expect(
      container({
        resources: {
          requests: { cpu: "500m", memory: "512Mi" },
          limits: { cpu: "2000m", memory: "2048Mi" },
        },
      })?.resources,
    ).to.deep.equal({
      requests: { cpu: "500m", memory: "512Mi" },
      limits: { cpu: "2000m", memory: "2048Mi" },
    });
    expect(container({})).to.not.have.property("resources");
  });

  it("leaves probes out when none is set", () => {
    const container = buildDeployment(
      integration({ livenessProbe: undefined, readinessProbe: undefined }),
    ).spec?.template.spec?.containers[0];
    expect(container).to.not.have.property("livenessProbe");
    expect(container).to.not.have.property("readinessProbe");
  });

  it("copies env and envFrom when non-empty", () => {
    const env = [
      { name: "DEV_ENV_USER_EP", value: "https://reqres.in/api" },
      { name: "DB_URL", valueFrom: { configMapKeyRef: { name: "db", key: "url" } } },
    ];
    const envFrom = [{ secretRef: { name: "creds" } }];
    const deployment = buildDeployment(integration({ env, envFrom }));
    const container = deployment.spec?.template.spec?.containers[0];
    expect(container?.env).to.deep.equal(env);
    expect(container?.envFrom).to.deep.equal(envFrom);
    expect(container?.env).to.not.equal(env);
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("names each ConfigMap's volume volume-<name>, as the operator does, with subPath", () => {
    const deployment = buildDeployment(
      integration({
        configMaps: [
          { name: "settings", mountPath: "/home/wso2carbon/conf", fileName: "deployment.toml" },
          { name: "logging", mountPath: "/opt/extra", fileName: "log4j2.properties" },
        ],
      }),
    );
    const pod = deployment.spec?.template.spec;
    expect(pod?.volumes).to.deep.equal([
      { name: "volume-settings", configMap: { name: "settings" } },
      { name: "volume-logging", configMap: { name: "logging" } },
    ]);
    expect(pod?.containers[0].volumeMounts).to.deep.equal([
      {
        name: "volume-settings",
        mountPath: "/home/wso2carbon/conf/deployment.toml",
        subPath: "deployment.toml",
      },
      {
        name: "volume-logging",
        mountPath: "/opt/extra/log4j2.properties",
        subPath: "log4j2.properties",
      },
    ]);
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("gives two entries of one ConfigMap one volume and a mount each", () => {
    // The operator made two volumes both named volume-settings, which the API server refuses.
    const deployment = buildDeployment(
      integration({
        configMaps: [
          { name: "settings", mountPath: "/home/wso2carbon/conf", fileName: "deployment.toml" },
          { name: "other", mountPath: "/opt/other", fileName: "a.xml" },
          { name: "settings", mountPath: "/opt/extra", fileName: "log4j2.properties" },
        ],
      }),
    );
    const pod = deployment.spec?.template.spec;
    expect(pod?.volumes).to.deep.equal([
      { name: "volume-settings", configMap: { name: "settings" } },
      { name: "volume-other", configMap: { name: "other" } },
    ]);
    expect(pod?.containers[0].volumeMounts?.map((m) => [m.name, m.mountPath])).to.deep.equal([
      ["volume-settings", "/home/wso2carbon/conf/deployment.toml"],
      ["volume-other", "/opt/other/a.xml"],
      ["volume-settings", "/opt/extra/log4j2.properties"],
    ]);
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("joins mountPath and fileName exactly as the operator does", () => {
    const deployment = buildDeployment(
      integration({ configMaps: [{ name: "s", mountPath: "/conf/", fileName: "a.toml" }] }),
    );
    expect(deployment.spec?.template.spec?.containers[0].volumeMounts?.[0].mountPath).to.equal(
      "/conf//a.toml",
    );
  });

  it("has no volumes without ConfigMaps", () => {
    const pod = buildDeployment(integration()).spec?.template.spec;
    expect(pod).to.not.have.property("volumes");
    expect(pod?.containers[0]).to.not.have.property("volumeMounts");
  });

  it("sets the image pull secret and pull policy", () => {
    const deployment = buildDeployment(
      integration({ imagePullSecret: "regcred", pullPolicy: "IfNotPresent" }),
    );
    expect(deployment.spec?.template.spec?.imagePullSecrets).to.deep.equal([{ name: "regcred" }]);
    expect(deployment.spec?.template.spec?.containers[0].imagePullPolicy).to.equal("IfNotPresent");
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("copies affinity to the pod spec", () => {
    const affinity: IAffinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "pool", operator: "In", values: ["mi"] }] },
          ],
        },
      },
    };
    const deployment = buildDeployment(integration({ affinity }));
    expect(deployment.spec?.template.spec?.affinity).to.deep.equal(affinity);
    expect(Object.keys(deployment.spec?.template.spec ?? {})).to.deep.equal([
      "affinity",
      "containers",
    ]);
    expect(schemaProblems(deployment)).to.deep.equal([]);
  });

  it("puts podAnnotations on the pod template only, keys sorted, never on the selector", () => {
    const deployment = buildDeployment(
      integration({ podAnnotations: { "wso2.com/z": "1", "wso2.com/image-digest": "sha256:abc" } }),
    );
    expect(deployment.spec?.template.metadata).to.deep.equal({
      labels: { app: "integration", integration_cr: "hello" },
      annotations: { "wso2.com/image-digest": "sha256:abc", "wso2.com/z": "1" },
    });
    expect(Object.keys(deployment.spec?.template.metadata?.annotations ?? {})).to.deep.equal([
      "wso2.com/image-digest",
      "wso2.com/z",
    ]);
    expect(deployment.spec?.selector).to.deep.equal({
      matchLabels: { app: "integration", integration_cr: "hello" },
    });
    expect(deployment.metadata).to.not.have.property("annotations");
  });
});

describe("configMapVolumeName", () => {
  it("is volume-<name> when that is a volume name", () => {
    expect(configMapVolumeName("settings")).to.equal("volume-settings");
    expect(configMapVolumeName("a".repeat(56))).to.equal(`volume-${"a".repeat(56)}`);
  });

  it("is a distinct DNS-1123 label for a ConfigMap name with dots or over 56 characters", () => {
    const names = ["app.config", "app-config-x", "a".repeat(57), `${"a".repeat(57)}b`];
    const volumes = names.map(configMapVolumeName);
    expect(volumes).to.have.length(4);
    expect(volumes[0]).to.match(/^volume-app-config-[0-9a-f]{8}$/);
    expect(volumes[1]).to.equal("volume-app-config-x");
    for (const volume of volumes) {
      expect(volume, volume).to.match(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(volume.length, volume).to.be.at.most(63);
    }
    expect(new Set(volumes).size).to.equal(4);
  });
});
