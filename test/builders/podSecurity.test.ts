/**
 * Hardened pods: with `podSecurity` (restricted, the default) the pod template passes the
 * `restricted` Pod Security Standard, checked by the oracle in test/support/podSecurity.ts;
 * with `none` it is the operator's, which the oracle refuses.
 */
import { expect } from "chai";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import { buildDeployment } from "../../components/builders";
import { DEFAULT_RUN_AS } from "../../components/model/defaults/platform";
import { restrictedViolations } from "../support/podSecurity";
import { schemaProblems } from "../support/schema";
import { integration } from "./fixtures";

function template(overrides: Parameters<typeof integration>[0] = {}): IPodTemplateSpec {
  const deployment = buildDeployment(integration(overrides));
  expect(schemaProblems(deployment)).to.deep.equal([]);
  return deployment.spec?.template ?? {};
}

describe("hardened pods (podSecurity)", () => {
  it("sets the restricted profile's fields, running as wso2carbon (802) by default", () => {
    const pod = template({ podSecurity: { ...DEFAULT_RUN_AS } }).spec;
    expect(pod?.securityContext).to.deep.equal({
      runAsNonRoot: true,
      runAsUser: 802,
      runAsGroup: 802,
      fsGroup: 802,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod?.automountServiceAccountToken).to.equal(false);
    expect(pod?.containers[0].securityContext).to.deep.equal({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("passes the restricted profile, with any user and group", () => {
    expect(restrictedViolations(template({ podSecurity: { ...DEFAULT_RUN_AS } }))).to.deep.equal(
      [],
    );
    const custom = template({ podSecurity: { runAsUser: 10001, runAsGroup: 0, fsGroup: 2000 } });
    expect(custom.spec?.securityContext).to.include({
      runAsUser: 10001,
      runAsGroup: 0,
      fsGroup: 2000,
    });
    expect(restrictedViolations(custom)).to.deep.equal([]);
  });

  it("sets none of it with podSecurity none, which the restricted profile refuses", () => {
    const pod = template();
    expect(pod.spec?.securityContext).to.equal(undefined);
    expect(pod.spec?.automountServiceAccountToken).to.equal(undefined);
    expect(pod.spec?.containers[0].securityContext).to.equal(undefined);
    expect(restrictedViolations(pod)).to.deep.equal([
      "spec.containers[0].securityContext.allowPrivilegeEscalation: Privilege Escalation (must be false)",
      "spec.containers[0].securityContext.runAsNonRoot: Running as Non-root",
      "spec.containers[0].securityContext.seccompProfile.type: Seccomp (restricted)",
      "spec.containers[0].securityContext.capabilities.drop: Capabilities (must drop ALL)",
    ]);
  });
});

describe("the restricted-profile oracle", () => {
  const hardened = (): IPodTemplateSpec =>
    structuredClone(template({ podSecurity: { ...DEFAULT_RUN_AS } }));

  /** Each control of the documentation, broken once on a hardened pod: the oracle names it. */
  const breaks: [string, (pod: IPodTemplateSpec) => void, string][] = [
    [
      "a host namespace",
      (t) => ((t.spec ?? { containers: [] }).hostNetwork = true),
      "spec.hostNetwork: Host Namespaces",
    ],
    [
      "a privileged container",
      (t) => (container(t).securityContext = { ...container(t).securityContext, privileged: true }),
      "spec.containers[0].securityContext.privileged: Privileged Containers",
    ],
    [
      "a hostPath volume",
      (t) => ((t.spec ?? { containers: [] }).volumes = [{ name: "h", hostPath: { path: "/" } }]),
      "spec.volumes[0].hostPath: HostPath Volumes",
    ],
    [
      "a host port",
      (t) => (container(t).ports = [{ containerPort: 8290, hostPort: 8290 }]),
      "spec.containers[0].ports[0].hostPort: Host Ports",
    ],
    [
      "an unsafe sysctl",
      (t) => (podContext(t).sysctls = [{ name: "kernel.msgmax", value: "1" }]),
      "spec.securityContext.sysctls[0].name: Sysctls (kernel.msgmax)",
    ],
    [
      "runAsNonRoot false on the container",
      (t) => (containerContext(t).runAsNonRoot = false),
      "spec.containers[0].securityContext.runAsNonRoot: Running as Non-root",
    ],
    [
      "runAsUser 0",
      (t) => (podContext(t).runAsUser = 0),
      "spec.securityContext.runAsUser: Running as Non-root user",
    ],
    [
      "an Unconfined seccomp profile",
      (t) => (podContext(t).seccompProfile = { type: "Unconfined" }),
      "spec.securityContext.seccompProfile.type: Seccomp",
    ],
    [
      "privilege escalation",
      (t) => (containerContext(t).allowPrivilegeEscalation = true),
      "spec.containers[0].securityContext.allowPrivilegeEscalation: Privilege Escalation (must be false)",
    ],
    [
      "an added capability",
      (t) => (containerContext(t).capabilities = { drop: ["ALL"], add: ["NET_ADMIN"] }),
      "spec.containers[0].securityContext.capabilities.add: Capabilities (NET_ADMIN)",
    ],
    [
      "capabilities kept",
      (t) => (containerContext(t).capabilities = {}),
      "spec.containers[0].securityContext.capabilities.drop: Capabilities (must drop ALL)",
    ],
  ];

  for (const [what, breakIt, violation] of breaks) {
    it(`refuses ${what}`, () => {
      const pod = hardened();
      breakIt(pod);
      expect(restrictedViolations(pod)).to.include(violation);
    });
  }

  it("accepts NET_BIND_SERVICE, and a container-level seccomp profile instead of the pod's", () => {
    const pod = hardened();
    containerContext(pod).capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] };
    delete podContext(pod).seccompProfile;
    containerContext(pod).seccompProfile = { type: "Localhost", localhostProfile: "mi.json" };
    expect(restrictedViolations(pod)).to.deep.equal([]);
  });
});

function container(t: IPodTemplateSpec): IContainer {
  const spec = t.spec;
  if (spec === undefined) throw new Error("no spec");
  return spec.containers[0];
}

function containerContext(t: IPodTemplateSpec): ISecurityContext {
  const c = container(t);
  c.securityContext ??= {};
  return c.securityContext;
}

function podContext(t: IPodTemplateSpec): IPodSecurityContext {
  const spec = t.spec;
  if (spec === undefined) throw new Error("no spec");
  spec.securityContext ??= {};
  return spec.securityContext;
}
