import { expect } from "chai";
import { validateIntegration } from "../../../components/model/integration/validate";
import { Problems } from "../../../components/model/problems";
import type { IntegrationCR } from "../../../components/model/types";
import { reported } from "../support";

const FILE = "crs/hello.yaml";

/** A valid CR with `spec` fields (and top-level fields) replaced. */
function cr(
  spec: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: "wso2.com/v1alpha2",
    kind: "Integration",
    metadata: { name: "hello" },
    spec: { image: "hello:1", ...spec },
    ...top,
  };
}

function check(value: unknown): { result: IntegrationCR | undefined; problems: string[] } {
  const problems = new Problems();
  const result = validateIntegration(value, { file: FILE }, problems);
  return { result, problems: reported(problems) };
}

/** The problems of a CR, which must then be rejected. */
function errors(value: unknown): string[] {
  const { result, problems } = check(value);
  expect(result, "a CR with errors is rejected").to.equal(undefined);
  return problems;
}

const E = `error: ${FILE}:`;

describe("integration: the resource", () => {
  it("normalizes a minimal CR: absent objects {}, absent lists []", () => {
    expect(check(cr())).to.deep.equal({
      result: {
        source: { file: FILE },
        apiVersion: "wso2.com/v1alpha2",
        metadata: { name: "hello" },
        spec: { image: "hello:1", deploySpec: {}, autoScale: {}, expose: {}, env: [], envFrom: [] },
      },
      problems: [],
    });
  });

  it("accepts both documented API versions", () => {
    expect(
      check(cr({}, { apiVersion: "integration.wso2.com/v1alpha2" })).result?.apiVersion,
    ).to.equal("integration.wso2.com/v1alpha2");
  });

  it("rejects other API versions and a missing one", () => {
    expect(errors(cr({}, { apiVersion: "wso2.com/v1alpha1" }))).to.deep.equal([
      `${E} apiVersion: expected "wso2.com/v1alpha2" or "integration.wso2.com/v1alpha2", got "wso2.com/v1alpha1"`,
    ]);
    expect(errors(cr({}, { apiVersion: undefined }))).to.deep.equal([
      `${E} apiVersion: required field is missing; write apiVersion: wso2.com/v1alpha2`,
    ]);
  });

  it("gives a document of another kind one error and checks nothing more", () => {
    expect(
      errors({ apiVersion: "apps/v1", kind: "Deployment", metadata: {}, spec: { replicas: "x" } }),
    ).to.deep.equal([`${E} kind: expected "Integration", got "Deployment"`]);
  });

  it("checks a document whose kind is missing or misspelt as an Integration", () => {
    expect(errors(cr({ imagePullSecret: "A" }, { kind: "integration" }))).to.deep.equal([
      `${E} kind: expected "Integration", got "integration"; did you mean "Integration"?`,
      `${E} spec.imagePullSecret: not a Secret name: "A" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "a"`,
    ]);
    expect(errors(cr({}, { kind: undefined }))).to.deep.equal([
      `${E} kind: required field is missing; write kind: Integration`,
    ]);
  });

  it("gives a document that is not a mapping one error", () => {
    expect(errors(["a", "b"])).to.deep.equal([
      `${E} expected a mapping (an Integration resource), got a list`,
    ]);
    expect(errors("Integration")).to.deep.equal([
      `${E} expected a mapping (an Integration resource), got "Integration"`,
    ]);
  });

  it("rejects unknown top-level fields, accepts and ignores status", () => {
    expect(errors(cr({}, { specs: {} }))).to.deep.equal([
      `${E} specs: unknown field; did you mean "spec"?`,
    ]);
    const { result, problems } = check(cr({}, { status: { readiness: "Running", anything: 1 } }));
    expect(problems).to.deep.equal([]);
    expect(result).to.not.have.property("status");
  });

  it("requires metadata and spec", () => {
    expect(errors({ apiVersion: "wso2.com/v1alpha2", kind: "Integration" })).to.deep.equal([
      `${E} metadata: required field is missing; give at least metadata.name`,
      `${E} spec: required field is missing; give at least spec.image`,
    ]);
  });

  it("reports all problems of one document at once", () => {
    const problems = errors({
      apiVersion: "wso2.com/v1alpha2",
      kind: "Integration",
      metadata: { name: "Hello" },
      spec: {
        image: "hello:1",
        deploySpec: { minReplica: 2, requestCPU: "lots" },
        autoScale: { enabled: "yes" },
        expose: { passthroPort: -1 },
      },
    });
    expect(problems).to.deep.equal([
      `${E} metadata.name: "Hello" is not a valid name: use only lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. "hello"`,
      `${E} spec.deploySpec.minReplica: unknown field; did you mean "minReplicas"?`,
      `${E} spec.deploySpec.requestCPU: "lots" is not a Kubernetes quantity; write a number with an optional suffix: m (1/1000), k M G T P E, or Ki Mi Gi Ti Pi Ei, e.g. "500m", "2", "512Mi"`,
      `${E} spec.autoScale.enabled: expected a boolean, got "yes"; write true or false (also accepted: 1 t T TRUE true True 0 f F FALSE false False)`,
      `${E} spec.expose.passthroPort: expected a port number between 1 and 65535, got -1`,
    ]);
  });

  it("names the document and its line when the source has them", () => {
    const problems = new Problems();
    validateIntegration(
      cr({ deploySpec: { minReplica: 2 } }),
      { file: FILE, document: 2, line: 18 },
      problems,
    );
    expect(reported(problems)).to.deep.equal([
      `error: ${FILE}:18 (document 2): spec.deploySpec.minReplica: unknown field; did you mean "minReplicas"?`,
    ]);
  });
});

describe("integration: metadata", () => {
  const withMeta = (metadata: unknown): Record<string, unknown> => cr({}, { metadata });

  it("requires a name", () => {
    expect(errors(withMeta({ namespace: "a" }))).to.deep.equal([
      `${E} metadata.name: required field is missing`,
    ]);
  });

  it("allows at most 55 characters, saying why", () => {
    const name = "a".repeat(56);
    expect(check(withMeta({ name: "a".repeat(55) })).problems).to.deep.equal([]);
    expect(errors(withMeta({ name }))).to.deep.equal([
      `${E} metadata.name: "${name}" is 56 characters long; at most 55 are allowed, so that "<name>-service" fits Kubernetes' 63-character limit`,
    ]);
  });

  it("needs a DNS-1123 label that starts with a letter", () => {
    expect(errors(withMeta({ name: "hello.world" }))).to.deep.equal([
      `${E} metadata.name: "hello.world" is not a valid name: use only lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. "hello-world"`,
    ]);
    expect(errors(withMeta({ name: "1hello" }))).to.deep.equal([
      `${E} metadata.name: "1hello" must start with a letter: the Service "1hello-service" must be a DNS-1035 label`,
    ]);
    expect(errors(withMeta({ name: 42 }))).to.deep.equal([
      `${E} metadata.name: expected a string, got 42; quote it: "42"`,
    ]);
  });

  it("checks the namespace, labels and annotations", () => {
    expect(
      errors(
        withMeta({
          name: "hello",
          namespace: "Team_A",
          labels: { tier: 3, "bad key": "x", ok: "-bad-" },
          annotations: { note: true },
        }),
      ),
    ).to.deep.equal([
      `${E} metadata.namespace: "Team_A" is not a valid name: use only lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. "team-a"`,
      `${E} metadata.labels.tier: expected a string, got 3; quote it: "3"`,
      `${E} metadata.labels["bad key"]: invalid key: "bad key" must be 1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
      `${E} metadata.labels.ok: a label value must be at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
      `${E} metadata.annotations.note: expected a string, got true; quote it: "true"`,
    ]);
  });

  it("ignores server-set fields and rejects unknown ones", () => {
    const { result, problems } = check(
      withMeta({
        name: "hello",
        uid: "u",
        resourceVersion: "1",
        generation: 2,
        creationTimestamp: "t",
        managedFields: [],
      }),
    );
    expect(problems).to.deep.equal([]);
    expect(result?.metadata).to.deep.equal({ name: "hello" });
    expect(errors(withMeta({ name: "hello", lables: {} }))).to.deep.equal([
      `${E} metadata.lables: unknown field; did you mean "labels"?`,
    ]);
  });
});

describe("integration: image and pull secret", () => {
  it("requires an image", () => {
    expect(errors({ ...cr(), spec: {} })).to.deep.equal([
      `${E} spec.image: required field is missing; give the integration's image, e.g. registry.example.com/team/hello:1.0.0`,
    ]);
    expect(errors(cr({ image: "" }))).to.deep.equal([
      `${E} spec.image: "" is not a valid image reference: must not be empty`,
    ]);
  });

  it("says what is wrong with an image reference", () => {
    expect(errors(cr({ image: "Registry.example.com/Team/app:1" }))).to.deep.equal([
      `${E} spec.image: "Registry.example.com/Team/app:1" is not a valid image reference: the repository name must be lower case: "Team" should be "team"`,
    ]);
  });

  it("checks imagePullSecret as a DNS-1123 subdomain", () => {
    expect(check(cr({ imagePullSecret: "regcred.v2" })).result?.spec.imagePullSecret).to.equal(
      "regcred.v2",
    );
    expect(errors(cr({ imagePullSecret: "Reg_Cred" }))).to.deep.equal([
      `${E} spec.imagePullSecret: not a Secret name: "Reg_Cred" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "reg-cred"`,
    ]);
  });

  it("rejects unknown spec fields", () => {
    expect(errors(cr({ imagePullSecrets: "a" }))).to.deep.equal([
      `${E} spec.imagePullSecrets: unknown field; did you mean "imagePullSecret"?`,
    ]);
  });
});

describe("integration: deploySpec", () => {
  const deploy = (deploySpec: unknown): Record<string, unknown> => cr({ deploySpec });

  it("keeps replicas, quantities (numbers as strings), probes and pull policy", () => {
    const { result, problems } = check(
      deploy({
        minReplicas: 2,
        requestCPU: 0.5,
        reqMemory: "512Mi",
        cpuLimit: 2,
        memoryLimit: "1e9",
        pullPolicy: "Never",
        livenessProbe: { tcpSocket: { port: 8290 } },
      }),
    );
    expect(problems).to.deep.equal([]);
    expect(result?.spec.deploySpec).to.deep.equal({
      minReplicas: 2,
      requestCPU: "0.5",
      reqMemory: "512Mi",
      cpuLimit: "2",
      memoryLimit: "1e9",
      pullPolicy: "Never",
      livenessProbe: { tcpSocket: { port: 8290 } },
    });
  });

  it("treats empty (null) fields as absent", () => {
    const { result, problems } = check(
      cr({ deploySpec: { minReplicas: null }, autoScale: null, env: null }),
    );
    expect(problems).to.deep.equal([]);
    expect(result?.spec).to.deep.equal({
      image: "hello:1",
      deploySpec: {},
      autoScale: {},
      expose: {},
      env: [],
      envFrom: [],
    });
  });

  it("needs YAML integers for minReplicas, not quoted or fractional", () => {
    expect(errors(deploy({ minReplicas: "3" }))).to.deep.equal([
      `${E} spec.deploySpec.minReplicas: expected an integer, got the string "3"; write 3 without quotes`,
    ]);
    expect(errors(deploy({ minReplicas: 2.5 }))).to.deep.equal([
      `${E} spec.deploySpec.minReplicas: expected a whole number, got 2.5`,
    ]);
    expect(errors(deploy({ minReplicas: -1 }))).to.deep.equal([
      `${E} spec.deploySpec.minReplicas: must be at least 1, got -1`,
    ]);
  });

  it("reads 0 in minReplicas, maxReplicas and passthroPort as unset, as the operator does", () => {
    const { result, problems } = check(
      cr({
        deploySpec: { minReplicas: 0 },
        autoScale: { enabled: true, maxReplicas: 0 },
        expose: { passthroPort: 0, inboundPorts: [8290] },
      }),
    );
    const note = (field: string, instead: string): string =>
      `note: ${FILE}: ${field}: 0 means unset, as the operator reads it ` +
      `(PopulateConfigurations), so ${instead} applies, as it did under the operator; remove ` +
      "the field or set the value you want";
    const config = (key: string): string =>
      `the ${key} of the stack's defaults or the controller config`;
    expect(problems).to.deep.equal([
      note("spec.deploySpec.minReplicas", config("minReplicas")),
      note("spec.autoScale.maxReplicas", config("maxReplicas")),
      note("spec.expose.passthroPort", "the default port 8290"),
      // The default pass-through port is 8290, so an inbound 8290 still collides with it.
      `${E} spec.expose.inboundPorts[0]: 8290 is the pass-through port (the default ` +
        "spec.expose.passthroPort); an inbound port must differ from it",
    ]);
    expect(result).to.equal(undefined);
    const clean = check(
      cr({
        deploySpec: { minReplicas: 0 },
        autoScale: { maxReplicas: 0 },
        expose: { passthroPort: 0 },
      }),
    );
    expect(clean.result?.spec.deploySpec).to.deep.equal({});
    expect(clean.result?.spec.autoScale).to.deep.equal({});
    expect(clean.result?.spec.expose).to.deep.equal({});
  });

  it("checks pullPolicy, with a did-you-mean for case slips", () => {
    expect(errors(deploy({ pullPolicy: "always" }))).to.deep.equal([
      `${E} spec.deploySpec.pullPolicy: expected "Always", "IfNotPresent" or "Never", got "always"; did you mean "Always"?`,
    ]);
    expect(errors(deploy({ pullPolicy: "Sometimes" }))).to.deep.equal([
      `${E} spec.deploySpec.pullPolicy: expected "Always", "IfNotPresent" or "Never", got "Sometimes"`,
    ]);
  });

  it("checks probes with the shared rule", () => {
    expect(
      errors(
        deploy({
          readinessProbe: { httpGet: { path: "healthz", port: 9201 }, tcpSocket: { port: 1 } },
        }),
      ),
    ).to.deep.equal([
      `${E} spec.deploySpec.readinessProbe: has httpGet and tcpSocket; a probe takes exactly one of exec, httpGet, tcpSocket`,
      `${E} spec.deploySpec.readinessProbe.httpGet.path: must start with "/": write "/healthz"`,
    ]);
    expect(
      errors(deploy({ livenessProbe: { tcpSocket: { port: 8290 }, successThreshold: 3 } })),
    ).to.deep.equal([
      `${E} spec.deploySpec.livenessProbe.successThreshold: must be 1 for a liveness probe, got 3`,
    ]);
  });

  it("checks affinity against the CRD's schema", () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpression: [{ key: "a", operator: "In" }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: "10", preference: {} }],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 1 } } },
        ],
      },
      podAntiAfinity: {},
    };
    expect(errors(deploy({ affinity }))).to.deep.equal([
      `${E} spec.deploySpec.affinity.podAntiAfinity: unknown field; did you mean "podAntiAffinity"?`,
      `${E} spec.deploySpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpression: unknown field; did you mean "matchExpressions"?`,
      `${E} spec.deploySpec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: expected an integer, got the string "10"; write 10 without quotes`,
      `${E} spec.deploySpec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: required field is missing`,
      `${E} spec.deploySpec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels.app: expected a string, got 1; quote it: "1"`,
    ]);
  });

  it("checks configmapDetails entries", () => {
    const details = [
      { name: "My_Config", mountPath: "conf", fileName: "a/b.toml" },
      { name: "cfg", mountPath: "/conf" },
      { name: "cfg", mountPath: "/conf", fileName: "x.toml", mode: 1 },
    ];
    expect(errors(deploy({ configmapDetails: details }))).to.deep.equal([
      `${E} spec.deploySpec.configmapDetails[0].name: not a ConfigMap name: "My_Config" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "my-config"`,
      `${E} spec.deploySpec.configmapDetails[0].mountPath: must be an absolute path (starting with "/"), got "conf"`,
      `${E} spec.deploySpec.configmapDetails[0].fileName: expected a file name (a ConfigMap key: letters, digits, '-', '_' and '.', no '/'), got "a/b.toml"`,
      `${E} spec.deploySpec.configmapDetails[1].fileName: required field is missing`,
      `${E} spec.deploySpec.configmapDetails[2].mode: unknown field; the known fields are fileName, mountPath, name`,
    ]);
  });

  it("rejects two entries that mount the same file", () => {
    const details = [
      { name: "a", mountPath: "/home/wso2carbon/conf/", fileName: "deployment.toml" },
      { name: "b", mountPath: "/home/wso2carbon/conf", fileName: "deployment.toml" },
      { name: "b", mountPath: "/home/wso2carbon/conf", fileName: "log4j2.properties" },
    ];
    expect(errors(deploy({ configmapDetails: details }))).to.deep.equal([
      `${E} spec.deploySpec.configmapDetails[1]: mounts /home/wso2carbon/conf/deployment.toml, as spec.deploySpec.configmapDetails[0] does; each file can be mounted once`,
    ]);
  });
});

describe("integration: autoScale and expose", () => {
  it("parses autoScale.enabled in Go's spellings", () => {
    for (const [given, parsed] of [
      ["true", true],
      ["T", true],
      ["0", false],
      [false, false],
    ] as const) {
      expect(check(cr({ autoScale: { enabled: given } })).result?.spec.autoScale).to.deep.equal({
        enabled: parsed,
      });
    }
    expect(errors(cr({ autoScale: { enabled: "enabled", maxReplicas: -1 } }))).to.deep.equal([
      `${E} spec.autoScale.enabled: expected a boolean, got "enabled"; write true or false (also accepted: 1 t T TRUE true True 0 f F FALSE false False)`,
      `${E} spec.autoScale.maxReplicas: must be at least 1, got -1`,
    ]);
  });

  it("checks ports", () => {
    expect(
      errors(cr({ expose: { passthroPort: "8290", inboundPorts: [70000, true] } })),
    ).to.deep.equal([
      `${E} spec.expose.passthroPort: expected an integer, got the string "8290"; write 8290 without quotes`,
      `${E} spec.expose.inboundPorts[0]: expected a port number between 1 and 65535, got 70000`,
      `${E} spec.expose.inboundPorts[1]: expected an integer, got true`,
    ]);
    expect(errors(cr({ expose: { inboundPorts: 8000 } }))).to.deep.equal([
      `${E} spec.expose.inboundPorts: expected a list of port numbers, got 8000`,
    ]);
  });

  it("rejects duplicate inbound ports and the pass-through port among them", () => {
    expect(
      errors(cr({ expose: { passthroPort: 8280, inboundPorts: [8000, 8280, 8000] } })),
    ).to.deep.equal([
      `${E} spec.expose.inboundPorts[1]: 8280 is the pass-through port (spec.expose.passthroPort); an inbound port must differ from it`,
      `${E} spec.expose.inboundPorts[2]: 8000 is listed twice (also spec.expose.inboundPorts[0]); list each port once`,
    ]);
  });

  it("counts the default pass-through port 8290 when passthroPort is absent", () => {
    expect(errors(cr({ expose: { inboundPorts: [8290] } }))).to.deep.equal([
      `${E} spec.expose.inboundPorts[0]: 8290 is the pass-through port (the default spec.expose.passthroPort); an inbound port must differ from it`,
    ]);
    expect(
      check(cr({ expose: { passthroPort: 8280, inboundPorts: [8290] } })).result?.spec.expose,
    ).to.deep.equal({
      passthroPort: 8280,
      inboundPorts: [8290],
    });
  });
});

describe("integration: env and envFrom", () => {
  it("requires a non-empty name and a string value", () => {
    expect(
      errors(
        cr({
          env: [
            { value: "x" },
            { name: "" },
            { name: "PORT", value: 8080 },
            { name: "ON", value: true },
          ],
        }),
      ),
    ).to.deep.equal([
      `${E} spec.env[0].name: required field is missing`,
      `${E} spec.env[1].name: must not be empty`,
      `${E} spec.env[2].value: expected a string, got 8080; quote it: value: "8080"`,
      `${E} spec.env[3].value: expected a string, got true; quote it: value: "true"`,
    ]);
  });

  it("rejects value together with valueFrom, and unknown fields", () => {
    expect(
      errors(
        cr({
          env: [
            { name: "A", value: "x", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "B", valu: "x" },
          ],
        }),
      ),
    ).to.deep.equal([
      `${E} spec.env[0]: has both value and valueFrom; keep one of them`,
      `${E} spec.env[1].valu: unknown field; did you mean "value"?`,
    ]);
  });

  it("needs exactly one valueFrom source, each with its required keys", () => {
    const env = [
      { name: "A", valueFrom: {} },
      {
        name: "B",
        valueFrom: { secretKeyRef: { name: "s", key: "k" }, fieldRef: { fieldPath: "x" } },
      },
      { name: "C", valueFrom: { secretKeyRef: { key: "k" } } },
      { name: "D", valueFrom: { configMapKeyRef: { name: "m" } } },
      { name: "E", valueFrom: { fieldRef: { apiVersion: "v1" } } },
      { name: "F", valueFrom: { resourceFieldRef: { divisor: "1 Mi" } } },
      { name: "G", valueFrom: { secretKeyRef: { name: "s", key: "k", optional: "true" } } },
    ];
    expect(errors(cr({ env }))).to.deep.equal([
      `${E} spec.env[0].valueFrom: needs one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef`,
      `${E} spec.env[1].valueFrom: has secretKeyRef and fieldRef; use exactly one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef`,
      `${E} spec.env[2].valueFrom.secretKeyRef.name: required field is missing: the Secret's name`,
      `${E} spec.env[3].valueFrom.configMapKeyRef.key: required field is missing`,
      `${E} spec.env[4].valueFrom.fieldRef.fieldPath: required field is missing`,
      `${E} spec.env[5].valueFrom.resourceFieldRef.resource: required field is missing`,
      `${E} spec.env[5].valueFrom.resourceFieldRef.divisor: "1 Mi" is not a Kubernetes quantity; remove the spaces: "1Mi"`,
      `${E} spec.env[6].valueFrom.secretKeyRef.optional: expected true or false, got the string "true"; write true without quotes`,
    ]);
  });

  it("converts the docs' valueFrom.configMapRef to configMapKeyRef, with a warning", () => {
    const { result, problems } = check(
      cr({ env: [{ name: "U", valueFrom: { configMapRef: { name: "m", key: "user" } } }] }),
    );
    expect(problems).to.deep.equal([
      `warning: ${FILE}: spec.env[0].valueFrom.configMapRef: the operator's docs spell this "configMapRef"; Kubernetes calls it "configMapKeyRef", which is what is deployed: rename it`,
    ]);
    expect(result?.spec.env).to.deep.equal([
      { name: "U", valueFrom: { configMapKeyRef: { name: "m", key: "user" } } },
    ]);
  });

  it("checks the docs' configMapRef like configMapKeyRef", () => {
    expect(
      errors(cr({ env: [{ name: "U", valueFrom: { configMapRef: { name: "m" } } }] })),
    ).to.deep.equal([
      `warning: ${FILE}: spec.env[0].valueFrom.configMapRef: the operator's docs spell this "configMapRef"; Kubernetes calls it "configMapKeyRef", which is what is deployed: rename it`,
      `${E} spec.env[0].valueFrom.configMapRef.key: required field is missing`,
    ]);
  });

  it("warns about duplicate names and keeps both", () => {
    const { result, problems } = check(
      cr({
        env: [
          { name: "A", value: "1" },
          { name: "A", value: "2" },
        ],
      }),
    );
    expect(problems).to.deep.equal([
      `warning: ${FILE}: spec.env[1].name: "A" is also set by spec.env[0]; the last one wins`,
    ]);
    expect(result?.spec.env).to.deep.equal([
      { name: "A", value: "1" },
      { name: "A", value: "2" },
    ]);
  });

  const PLAIN_SECRET =
    "the name looks secret but the value is written in the CR, so git and the Deployment hold " +
    "it in plain text: keep it in a Secret and write valueFrom.secretKeyRef: " +
    "{name: <secret>, key: <key>} instead of value";

  it("warns about a plain value whose name looks secret, keeps it, and never shows it", () => {
    const env = [
      { name: "DB_PASSWORD", value: "hunter2" },
      { name: "apiKey", value: "k-123" },
      { name: "DB_URL", value: "jdbc:x" },
      { name: "EMPTY_TOKEN", value: "" },
      { name: "GITHUB_TOKEN", valueFrom: { secretKeyRef: { name: "gh", key: "token" } } },
    ];
    const { result, problems } = check(cr({ env }));
    expect(problems).to.deep.equal([
      `warning: ${FILE}: spec.env[0].value: ${PLAIN_SECRET}`,
      `warning: ${FILE}: spec.env[1].value: ${PLAIN_SECRET}`,
    ]);
    expect(result?.spec.env).to.deep.equal(env);
  });

  it("never shows an env entry or list that is not a mapping, and explains NAME=value", () => {
    expect(errors(cr({ env: ["DB_PASSWORD=hunter2", 918273, "just text", ["x"]] }))).to.deep.equal([
      `${E} spec.env[0]: expected {name, value} or {name, valueFrom}, got a string (not shown: env values may be secrets); write NAME=value as {name: DB_PASSWORD, value: "..."}`,
      `${E} spec.env[1]: expected {name, value} or {name, valueFrom}, got a number (not shown: env values may be secrets)`,
      `${E} spec.env[2]: expected {name, value} or {name, valueFrom}, got a string (not shown: env values may be secrets)`,
      `${E} spec.env[3]: expected {name, value} or {name, valueFrom}, got a list`,
    ]);
    expect(errors(cr({ env: "DB_PASSWORD=hunter2" }))).to.deep.equal([
      `${E} spec.env: expected a list of {name, value} or {name, valueFrom}, got a string (not shown: env values may be secrets)`,
    ]);
  });

  it("does not show a number or boolean given for a secret-looking name", () => {
    expect(
      errors(
        cr({
          env: [
            { name: "ADMIN_PWD", value: 918273 },
            { name: "secretEnabled", value: true },
          ],
        }),
      ),
    ).to.deep.equal([
      `${E} spec.env[0].value: expected a string, got a number (not shown: the name looks secret); quote it`,
      `${E} spec.env[1].value: expected a string, got a boolean (not shown: the name looks secret); quote it`,
    ]);
  });

  it("needs exactly one of configMapRef or secretRef in envFrom, with a name", () => {
    const envFrom = [
      { prefix: "X_" },
      { configMapRef: { name: "a" }, secretRef: { name: "b" } },
      { secretRef: { optional: true } },
      { configMapRef: { name: "a", key: "k" } },
      { configMapRef: { name: "a" }, prefx: "Y" },
    ];
    expect(errors(cr({ envFrom }))).to.deep.equal([
      `${E} spec.envFrom[0]: needs one of configMapRef or secretRef`,
      `${E} spec.envFrom[1]: has configMapRef and secretRef; use exactly one of configMapRef or secretRef`,
      `${E} spec.envFrom[2].secretRef.name: required field is missing: the Secret's name`,
      `${E} spec.envFrom[3].configMapRef.key: unknown field; the known fields are name, optional`,
      `${E} spec.envFrom[4].prefx: unknown field; did you mean "prefix"?`,
    ]);
  });

  it("converts the docs' envFrom secretKeyRef to secretRef, with a warning", () => {
    const { result, problems } = check(
      cr({
        envFrom: [
          { secretKeyRef: { name: "creds" }, prefix: "DB_" },
          { configMapRef: { name: "cfg", optional: true } },
        ],
      }),
    );
    expect(problems).to.deep.equal([
      `warning: ${FILE}: spec.envFrom[0].secretKeyRef: the operator's docs spell this "secretKeyRef"; Kubernetes calls it "secretRef", which is what is deployed: rename it`,
    ]);
    expect(result?.spec.envFrom).to.deep.equal([
      { prefix: "DB_", secretRef: { name: "creds" } },
      { configMapRef: { name: "cfg", optional: true } },
    ]);
  });

  it("needs lists", () => {
    expect(errors(cr({ env: { A: "1" }, envFrom: "cfg" }))).to.deep.equal([
      `${E} spec.env: expected a list of {name, value} or {name, valueFrom}, got a mapping`,
      `${E} spec.envFrom: expected a list of {configMapRef} or {secretRef}, got "cfg"`,
    ]);
  });
});
