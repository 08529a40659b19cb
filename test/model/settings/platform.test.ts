/**
 * The platform keys of a stack (`podSecurity`, `securityContext`, ...): what each parses and
 * resolves to at the stack level and per integration, and each mistake with its file, line,
 * field and what would be right.
 */
import { expect } from "chai";
import {
  InputError,
  Problems,
  formatProblem,
  sortProblems,
} from "../../../components/model/problems";
import { loadStackFromSettings } from "../../../components/model/loadStack";
import { loadStackSettings } from "../../../components/model/settings/stack";
import type { ResolvedIntegration } from "../../../components/model/types";
import { tempProject, yaml } from "./support";

const PULUMI_YAML = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";

function crFile(name: string, extra = ""): string {
  return (
    `apiVersion: wso2.com/v1alpha2\nkind: Integration\nmetadata:\n  name: ${name}\n` +
    `spec:\n  image: registry.example.com/${name}:1.0.0\n${extra}`
  );
}

/** The integrations hello and orders (namespace apps) under the stack file `stack`, or its problems. */
export function loadPlatform(
  stack: string,
  files: Record<string, string> = {},
): { integrations: Record<string, ResolvedIntegration>; problems: string[] } {
  const dir = tempProject({
    "Pulumi.yaml": PULUMI_YAML,
    "stacks/Pulumi.dev.yaml": stack,
    "stacks/dev/hello.yaml": crFile("hello"),
    "stacks/dev/orders.yaml": crFile("orders"),
    ...files,
  });
  const problems = new Problems();
  const settings = loadStackSettings(dir, "dev", problems);
  try {
    const resolved = loadStackFromSettings({ baseDir: dir, settings, problems });
    return {
      integrations: Object.fromEntries(resolved.integrations.map((i) => [i.name, i])),
      problems: sortProblems(resolved.advice).map(formatProblem),
    };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { integrations: {}, problems: sortProblems(error.problems).map(formatProblem) };
  }
}

describe("platform settings: podSecurity and securityContext", () => {
  it("hardens every pod by default, as wso2carbon (802)", () => {
    const { integrations, problems } = loadPlatform("config:\n  wso2-mi:namespace: apps\n");
    expect(problems).to.deep.equal([]);
    expect(integrations.hello.podSecurity).to.deep.equal({
      runAsUser: 802,
      runAsGroup: 802,
      fsGroup: 802,
    });
  });

  it("takes the user and groups from the stack, field by field from an integration's override", () => {
    const { integrations, problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:securityContext:
          runAsUser: 10001
          fsGroup: 2000
        wso2-mi:integrations:
          apps/orders:
            securityContext:
              runAsGroup: 3000
    `);
    expect(problems).to.deep.equal([]);
    expect(integrations.hello.podSecurity).to.deep.equal({
      runAsUser: 10001,
      runAsGroup: 802,
      fsGroup: 2000,
    });
    expect(integrations.orders.podSecurity).to.deep.equal({
      runAsUser: 10001,
      runAsGroup: 3000,
      fsGroup: 2000,
    });
  });

  it("turns hardening off with none, for the stack or one integration", () => {
    const stackWide = loadPlatform(
      "config:\n  wso2-mi:namespace: apps\n  wso2-mi:podSecurity: none\n",
    );
    expect(stackWide.problems).to.deep.equal([]);
    expect(stackWide.integrations.hello.podSecurity).to.equal(undefined);
    const one = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:integrations:
          apps/orders:
            podSecurity: none
    `);
    expect(one.integrations.hello.podSecurity).to.not.equal(undefined);
    expect(one.integrations.orders.podSecurity).to.equal(undefined);
  });

  it("warns once that a securityContext does nothing under none", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:podSecurity: none
        wso2-mi:securityContext:
          runAsUser: 10001
    `);
    expect(problems).to.deep.equal([
      "warning: stacks/Pulumi.dev.yaml:4: wso2-mi:securityContext: has no effect while podSecurity is none (wso2-mi:podSecurity); remove it, or set podSecurity to restricted",
    ]);
  });

  it("reports a wrong level with a did-you-mean, root, unknown fields and wrong types, each on its line", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:podSecurity: restricted2
        wso2-mi:securityContext:
          runAsUser: 0
          runAsGroup: "802"
          fsGrop: 802
        wso2-mi:integrations:
          apps/hello:
            podSecurity: baseline
            securityContext: 802
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:3: wso2-mi:podSecurity: expected "restricted" or "none", got "restricted2"; did you mean "restricted"?',
      "error: stacks/Pulumi.dev.yaml:5: wso2-mi:securityContext.runAsUser: must be at least 1, got 0",
      'error: stacks/Pulumi.dev.yaml:6: wso2-mi:securityContext.runAsGroup: expected an integer, got the string "802"; write 802 without quotes',
      'error: stacks/Pulumi.dev.yaml:7: wso2-mi:securityContext.fsGrop: unknown field; did you mean "fsGroup"?',
      'error: stacks/Pulumi.dev.yaml:10: wso2-mi:integrations["apps/hello"].podSecurity: expected "restricted" or "none", got "baseline"',
      'error: stacks/Pulumi.dev.yaml:11: wso2-mi:integrations["apps/hello"].securityContext: expected a mapping, got 802',
    ]);
  });

  it("expects a mapping for securityContext in the program's config too", () => {
    const { problems } = loadPlatform(
      "config:\n  wso2-mi:namespace: apps\n  wso2-mi:securityContext: 802\n",
    );
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:3: wso2-mi:securityContext: expected a mapping (in the stack file, indented under wso2-mi:securityContext), got "802"',
    ]);
  });
});

describe("platform settings: availability", () => {
  it("turns on a startup probe from the liveness handler, spreading, and a budget for more than one replica", () => {
    const { integrations, problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:integrations:
          apps/orders:
            defaults:
              minReplicas: 2
    `);
    expect(problems).to.deep.equal([]);
    const { hello, orders } = integrations;
    expect(hello.startupProbe).to.deep.equal({
      tcpSocket: { port: 8290 },
      failureThreshold: 30,
      periodSeconds: 10,
    });
    expect(hello.topologySpread).to.equal(true);
    expect(hello.disruptionBudget).to.equal(undefined);
    expect(orders.disruptionBudget).to.equal(true);
    expect(hello.rollingUpdate).to.equal(undefined);
  });

  it("gives an autoscaled integration a budget even at one replica, and the HPA's behavior", () => {
    const { integrations, problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:defaults:
          enableAutoScale: true
        wso2-mi:availability:
          hpaBehavior:
            scaleDown:
              stabilizationWindowSeconds: 600
              policies:
                - { type: Pods, value: 1, periodSeconds: 60 }
    `);
    expect(problems).to.deep.equal([]);
    expect(integrations.hello.disruptionBudget).to.equal(true);
    expect(integrations.hello.autoscaling?.behavior).to.deep.equal({
      scaleDown: {
        stabilizationWindowSeconds: 600,
        policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
      },
    });
  });

  it("turns each part off, per stack or per integration, field by field", () => {
    const { integrations, problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:defaults:
          minReplicas: 3
        wso2-mi:availability:
          topologySpread: false
          startupProbe: { failureThreshold: 60 }
          rollingUpdate: { maxSurge: 25%, maxUnavailable: 1 }
        wso2-mi:integrations:
          apps/orders:
            availability:
              startupProbe: false
              disruptionBudget: false
    `);
    expect(problems).to.deep.equal([]);
    const { hello, orders } = integrations;
    expect(hello.topologySpread).to.equal(undefined);
    expect(hello.startupProbe).to.deep.equal({
      tcpSocket: { port: 8290 },
      failureThreshold: 60,
      periodSeconds: 10,
    });
    expect(hello.disruptionBudget).to.equal(true);
    expect(hello.rollingUpdate).to.deep.equal({ maxSurge: "25%", maxUnavailable: 1 });
    expect(orders.topologySpread).to.equal(undefined);
    expect(orders.startupProbe).to.equal(undefined);
    expect(orders.disruptionBudget).to.equal(undefined);
    expect(orders.rollingUpdate).to.deep.equal({ maxSurge: "25%", maxUnavailable: 1 });
  });

  it("reports every mistake on its line, with what would be right", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:availability:
          disruptionBudget: "yes"
          topologySpred: true
          startupProbe: { failureThreshold: 0, timeoutSeconds: 5 }
          rollingUpdate: { maxSurge: 0, maxUnavailable: 0% }
          hpaBehavior:
            scaleUp:
              selectPolicy: Maximum
              policies:
                - { type: Pods, value: 0, periodSeconds: 3600 }
            scaleDown:
              stabilizationWindowSeconds: 7200
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:4: wso2-mi:availability.disruptionBudget: expected true or false, got "yes"',
      'error: stacks/Pulumi.dev.yaml:5: wso2-mi:availability.topologySpred: unknown field; did you mean "topologySpread"?',
      "error: stacks/Pulumi.dev.yaml:6: wso2-mi:availability.startupProbe.timeoutSeconds: unknown field; the known fields are failureThreshold, periodSeconds",
      "error: stacks/Pulumi.dev.yaml:6: wso2-mi:availability.startupProbe.failureThreshold: must be at least 1, got 0",
      "error: stacks/Pulumi.dev.yaml:7: wso2-mi:availability.rollingUpdate.maxUnavailable: may not be 0 when maxSurge is 0: a rollout could then never replace a pod",
      'error: stacks/Pulumi.dev.yaml:10: wso2-mi:availability.hpaBehavior.scaleUp.selectPolicy: expected "Max", "Min" or "Disabled", got "Maximum"',
    ]);
  });

  it("checks the behavior's ranges once its shape is right", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:availability:
          hpaBehavior:
            scaleUp:
              policies:
                - { type: Pods, value: 0, periodSeconds: 3600 }
            scaleDown:
              stabilizationWindowSeconds: 7200
    `);
    expect(problems).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml:7: wso2-mi:availability.hpaBehavior.scaleUp.policies[0].value: must be greater than 0, got 0",
      "error: stacks/Pulumi.dev.yaml:7: wso2-mi:availability.hpaBehavior.scaleUp.policies[0].periodSeconds: must be between 1 and 1800, got 3600",
      "error: stacks/Pulumi.dev.yaml:9: wso2-mi:availability.hpaBehavior.scaleDown.stabilizationWindowSeconds: must be between 0 and 3600, got 7200",
    ]);
  });

  it("refuses a rolling update that the integration's override makes impossible", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:integrations:
          apps/orders:
            availability:
              rollingUpdate: { maxSurge: 0 }
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:6: wso2-mi:integrations["apps/orders"].availability.rollingUpdate: maxSurge and maxUnavailable are both 0 (the default maxUnavailable is 0), so a rollout could never replace a pod; raise one of them',
    ]);
  });
});

describe("platform settings: pod (scheduling and identity)", () => {
  it("reads every field, merging maps key by key per integration, and keeps a CR's own affinity", () => {
    const { integrations, problems } = loadPlatform(
      yaml`
        config:
          wso2-mi:namespace: apps
          wso2-mi:pod:
            nodeSelector: { pool: integrations }
            tolerations:
              - { key: dedicated, operator: Equal, value: mi, effect: NoSchedule }
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 100
                    podAffinityTerm:
                      topologyKey: kubernetes.io/hostname
                      labelSelector: { matchLabels: { app: integration } }
            priorityClassName: business-critical
            labels: { team: platform, tier: integration }
            annotations: { example.com/owner: platform }
          wso2-mi:integrations:
            apps/orders:
              pod:
                serviceAccountName: orders-api
                labels: { team: payments }
      `,
      {
        "stacks/dev/orders.yaml": crFile(
          "orders",
          "  deploySpec:\n    affinity:\n      nodeAffinity: {}\n",
        ),
      },
    );
    expect(problems).to.deep.equal([]);
    const { hello, orders } = integrations;
    expect(hello.nodeSelector).to.deep.equal({ pool: "integrations" });
    expect(hello.tolerations).to.have.length(1);
    expect(hello.priorityClassName).to.equal("business-critical");
    expect(hello.serviceAccountName).to.equal(undefined);
    expect(hello.podLabels).to.deep.equal({ team: "platform", tier: "integration" });
    expect(hello.podAnnotations).to.deep.equal({ "example.com/owner": "platform" });
    expect(hello.affinity).to.have.property("podAntiAffinity");
    expect(orders.serviceAccountName).to.equal("orders-api");
    expect(orders.podLabels).to.deep.equal({ team: "payments", tier: "integration" });
    expect(orders.affinity).to.deep.equal({ nodeAffinity: {} });
  });

  it("refuses selector labels, bad names and tolerations the API server refuses, each on its line", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:pod:
          labels: { app: mine, "bad key!": x, team: "no spaces" }
          nodeSelector: { pool: 3 }
          priorityClassName: Business_Critical
          tolerations:
            - { operator: Equal, value: x }
            - { key: a, operator: Exists, value: b, effect: NoSchedule, tolerationSeconds: 60 }
          affinity:
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 500
                  preference: {}
          serviceAcount: x
    `);
    expect(problems).to.deep.equal([
      "error: stacks/Pulumi.dev.yaml:4: wso2-mi:pod.labels.app: is one of the Deployment's selector labels (app, integration_cr), which are set from the CR and cannot change; choose another key",
      "error: stacks/Pulumi.dev.yaml:4: wso2-mi:pod.labels[\"bad key!\"]: not a label key: \"bad key!\" must be 1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
      "error: stacks/Pulumi.dev.yaml:4: wso2-mi:pod.labels.team: \"no spaces\": a label value must be at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
      'error: stacks/Pulumi.dev.yaml:5: wso2-mi:pod.nodeSelector.pool: expected a string, got 3; quote it: "3"',
      "error: stacks/Pulumi.dev.yaml:6: wso2-mi:pod.priorityClassName: \"Business_Critical\" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. \"business-critical\"",
      "error: stacks/Pulumi.dev.yaml:8: wso2-mi:pod.tolerations[0].operator: must be Exists when key is empty (to tolerate every taint)",
      "error: stacks/Pulumi.dev.yaml:9: wso2-mi:pod.tolerations[1].value: must be empty when operator is Exists",
      "error: stacks/Pulumi.dev.yaml:9: wso2-mi:pod.tolerations[1].tolerationSeconds: is only allowed with effect NoExecute",
      "error: stacks/Pulumi.dev.yaml:13: wso2-mi:pod.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: must be between 1 and 100, got 500",
      "error: stacks/Pulumi.dev.yaml:15: wso2-mi:pod.serviceAcount: unknown field; the known fields are nodeSelector, tolerations, affinity, priorityClassName, serviceAccountName, labels, annotations",
    ]);
  });

  it("names a toleration's effect with a did-you-mean", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:pod:
          tolerations:
            - { key: a, effect: NoSchedul }
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:5: wso2-mi:pod.tolerations[0].effect: expected "NoSchedule", "PreferNoSchedule" or "NoExecute", got "NoSchedul"; did you mean "NoSchedule"?',
    ]);
  });
});

describe("platform settings: secretFiles and configFiles", () => {
  const TOML = '[keystore.primary]\npassword = "wso2carbon"\nkey_password = "$secret{ks}"\n';

  it("reads the files once, per stack or per integration, and warns at the line of a password", () => {
    const { integrations, problems } = loadPlatform(
      yaml`
        config:
          wso2-mi:namespace: apps
          wso2-mi:configFiles:
            - file: conf/log4j2.properties
              mountPath: /opt/mi/conf/log4j2.properties
          wso2-mi:secretFiles:
            - secretName: keystores
              mountPath: /opt/mi/security
              items: [{ key: a.jks, path: a.jks }]
          wso2-mi:integrations:
            apps/orders:
              configFiles:
                - file: conf/orders/deployment.toml
                  mountPath: /opt/mi/conf/deployment.toml
                - file: conf/log4j2.properties
                  mountPath: /opt/mi/conf/log4j2.properties
      `,
      {
        "conf/log4j2.properties": "rootLogger.level = INFO\n",
        "conf/orders/deployment.toml": TOML,
      },
    );
    expect(problems).to.deep.equal([
      'warning: conf/orders/deployment.toml:2: [keystore.primary].password: the name looks secret but the value is written in the file, so git and the ConfigMap hold it in plain text: write password = "$secret{<alias>}" (Micro Integrator\'s secure vault) or password = "$env{<VARIABLE>}" with the variable set from a Secret (valueFrom.secretKeyRef); render and plan show it as [secret]',
    ]);
    expect(integrations.hello.configFiles).to.deep.equal([
      {
        key: "log4j2.properties",
        mountPath: "/opt/mi/conf/log4j2.properties",
        content: "rootLogger.level = INFO\n",
      },
    ]);
    expect(integrations.orders.configFiles?.map((f) => f.key)).to.deep.equal([
      "deployment.toml",
      "log4j2.properties",
    ]);
    expect(integrations.orders.secretFiles).to.deep.equal([
      {
        secretName: "keystores",
        mountPath: "/opt/mi/security",
        items: [{ key: "a.jks", path: "a.jks" }],
      },
    ]);
  });

  it("reports a missing or binary file at the key that names it", () => {
    const { problems } = loadPlatform(
      yaml`
        config:
          wso2-mi:namespace: apps
          wso2-mi:configFiles:
            - file: conf/missing.toml
              mountPath: /opt/mi/conf/deployment.toml
            - file: conf/keystore.jks
              mountPath: /opt/mi/conf/keystore.jks
      `,
      { "conf/keystore.jks": "\u0000\u0001binary" },
    );
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:4: wso2-mi:configFiles[0].file: no such file: "conf/missing.toml" (paths are relative to the project directory)',
      'error: stacks/Pulumi.dev.yaml:6: wso2-mi:configFiles[1].file: "conf/keystore.jks" is not a text file; mount binary files (keystores) from a Secret with secretFiles',
    ]);
  });

  it("reports every mistake in the lists on its line", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:configFiles:
          - file: a/deployment.toml
            mountPath: conf/deployment.toml
          - file: b/deployment.toml
            mountPath: /opt/conf/
          - file: "c/my file.toml"
            mountPath: /opt/c
          - path: x
        wso2-mi:secretFiles:
          - secretName: Keystores
            mountPath: /opt/../etc
            items: [{ key: a, path: /abs }]
          - mountPath: /opt/x
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:5: wso2-mi:configFiles[0].mountPath: expected an absolute path in the pod without ".." or ":", got "conf/deployment.toml"',
      "error: stacks/Pulumi.dev.yaml:7: wso2-mi:configFiles[1].mountPath: expected the path of the file in the pod, not a folder",
      "error: stacks/Pulumi.dev.yaml:8: wso2-mi:configFiles[2].file: the file's name \"my file.toml\" is not a ConfigMap key: use only letters, digits, '-', '_' and '.'",
      "error: stacks/Pulumi.dev.yaml:10: wso2-mi:configFiles[3].path: unknown field; the known fields are file, mountPath",
      "error: stacks/Pulumi.dev.yaml:10: wso2-mi:configFiles[3].file: required field is missing",
      "error: stacks/Pulumi.dev.yaml:10: wso2-mi:configFiles[3].mountPath: required field is missing",
      "error: stacks/Pulumi.dev.yaml:12: wso2-mi:secretFiles[0].secretName: \"Keystores\" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. \"keystores\"",
      'error: stacks/Pulumi.dev.yaml:13: wso2-mi:secretFiles[0].mountPath: expected an absolute path in the pod without ".." or ":", got "/opt/../etc"',
      'error: stacks/Pulumi.dev.yaml:14: wso2-mi:secretFiles[0].items[0].path: expected a relative path such as "wso2carbon.jks", got "/abs"',
      "error: stacks/Pulumi.dev.yaml:15: wso2-mi:secretFiles[1].secretName: required field is missing",
    ]);
  });

  it("refuses two files of one name in one list", () => {
    const { problems } = loadPlatform(yaml`
      config:
        wso2-mi:namespace: apps
        wso2-mi:configFiles:
          - { file: a/deployment.toml, mountPath: /opt/a.toml }
          - { file: b/deployment.toml, mountPath: /opt/b.toml }
    `);
    expect(problems).to.deep.equal([
      'error: stacks/Pulumi.dev.yaml:5: wso2-mi:configFiles[1].file: has the same name as wso2-mi:configFiles[0].file, "deployment.toml": each file is a key of one ConfigMap; rename one of them',
    ]);
  });
});
