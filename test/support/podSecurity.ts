/**
 * An oracle for the Kubernetes Pod Security Standards, `baseline` and `restricted` profiles, as
 * the documentation states each control (kubernetes.io/docs/concepts/security/pod-security-standards,
 * policy version latest): every check below is one row of its tables, written from the table and
 * not from this project's builders, so that a pod template the builders get wrong fails here.
 */
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";

/** The capabilities the baseline profile lets a container add. */
const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

/** The sysctls the baseline profile allows. */
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

/** The SELinux types the baseline profile allows. */
const SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/** The volume types the restricted profile allows. */
const RESTRICTED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

type Container = IPodSpec["containers"][number];

/** Every container of the pod, with the path of its list: containers, initContainers, ephemeral. */
function allContainers(pod: IPodSpec): { at: string; container: Container }[] {
  const lists: [string, readonly Container[] | undefined][] = [
    ["containers", pod.containers],
    ["initContainers", pod.initContainers],
    ["ephemeralContainers", pod.ephemeralContainers],
  ];
  return lists.flatMap(([name, list]) =>
    (list ?? []).map((container, i) => ({ at: `spec.${name}[${i}]`, container })),
  );
}

/** Every violation of the `baseline` profile, one line each as `<field>: <control>`. */
export function baselineViolations(template: IPodTemplateSpec): string[] {
  const pod = template.spec;
  if (pod === undefined) return ["spec: a pod template needs a spec"];
  const out: string[] = [];
  const podContext = pod.securityContext ?? {};
  const contexts: { at: string; context: ISecurityContext }[] = allContainers(pod).map(
    ({ at, container }) => ({
      at: `${at}.securityContext`,
      context: container.securityContext ?? {},
    }),
  );

  // HostProcess
  if (podContext.windowsOptions?.hostProcess === true)
    out.push("spec.securityContext.windowsOptions.hostProcess: HostProcess");
  for (const { at, context } of contexts) {
    if (context.windowsOptions?.hostProcess === true)
      out.push(`${at}.windowsOptions.hostProcess: HostProcess`);
  }
  // Host Namespaces
  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (pod[field] === true) out.push(`spec.${field}: Host Namespaces`);
  }
  // Privileged Containers
  for (const { at, context } of contexts) {
    if (context.privileged === true) out.push(`${at}.privileged: Privileged Containers`);
  }
  // Capabilities
  for (const { at, context } of contexts) {
    for (const capability of context.capabilities?.add ?? []) {
      if (!BASELINE_CAPABILITIES.includes(capability))
        out.push(`${at}.capabilities.add: Capabilities (${capability})`);
    }
  }
  // HostPath Volumes
  (pod.volumes ?? []).forEach((volume, i) => {
    if (volume.hostPath !== undefined) out.push(`spec.volumes[${i}].hostPath: HostPath Volumes`);
  });
  // Host Ports
  for (const { at, container } of allContainers(pod)) {
    (container.ports ?? []).forEach((port, p) => {
      if (port.hostPort !== undefined && port.hostPort !== 0)
        out.push(`${at}.ports[${p}].hostPort: Host Ports`);
    });
  }
  // AppArmor (fields and the annotations of older releases)
  const appArmorTypes = ["RuntimeDefault", "Localhost"];
  if (podContext.appArmorProfile && !appArmorTypes.includes(podContext.appArmorProfile.type))
    out.push("spec.securityContext.appArmorProfile.type: AppArmor");
  for (const { at, context } of contexts) {
    if (context.appArmorProfile && !appArmorTypes.includes(context.appArmorProfile.type))
      out.push(`${at}.appArmorProfile.type: AppArmor`);
  }
  for (const [key, value] of Object.entries(template.metadata?.annotations ?? {})) {
    if (!key.startsWith("container.apparmor.security.beta.kubernetes.io/")) continue;
    if (value !== "runtime/default" && !value.startsWith("localhost/"))
      out.push(`metadata.annotations["${key}"]: AppArmor`);
  }
  // SELinux
  const seLinux = [
    { at: "spec.securityContext", context: podContext.seLinuxOptions },
    ...contexts.map(({ at, context }) => ({ at, context: context.seLinuxOptions })),
  ];
  for (const { at, context } of seLinux) {
    if (context === undefined) continue;
    if (context.type !== undefined && context.type !== "" && !SELINUX_TYPES.includes(context.type))
      out.push(`${at}.seLinuxOptions.type: SELinux`);
    if (context.user !== undefined && context.user !== "")
      out.push(`${at}.seLinuxOptions.user: SELinux`);
    if (context.role !== undefined && context.role !== "")
      out.push(`${at}.seLinuxOptions.role: SELinux`);
  }
  // /proc Mount Type
  for (const { at, context } of contexts) {
    if (context.procMount !== undefined && context.procMount !== "Default")
      out.push(`${at}.procMount: /proc Mount Type`);
  }
  // Seccomp
  if (podContext.seccompProfile?.type === "Unconfined")
    out.push("spec.securityContext.seccompProfile.type: Seccomp");
  for (const { at, context } of contexts) {
    if (context.seccompProfile?.type === "Unconfined")
      out.push(`${at}.seccompProfile.type: Seccomp`);
  }
  // Sysctls
  (podContext.sysctls ?? []).forEach((sysctl, i) => {
    if (!SAFE_SYSCTLS.includes(sysctl.name))
      out.push(`spec.securityContext.sysctls[${i}].name: Sysctls (${sysctl.name})`);
  });
  return out;
}

/**
 * Every violation of the `restricted` profile (which includes `baseline`), one line each as
 * `<field>: <control>`; empty when the pod template passes.
 */
export function restrictedViolations(template: IPodTemplateSpec): string[] {
  const out = baselineViolations(template);
  const pod = template.spec;
  if (pod === undefined) return out;
  const podContext = pod.securityContext ?? {};
  const containers = allContainers(pod);

  // Volume Types
  (pod.volumes ?? []).forEach((volume, i) => {
    const types = Object.keys(volume).filter((key) => key !== "name");
    for (const type of types) {
      if (!RESTRICTED_VOLUME_TYPES.includes(type))
        out.push(`spec.volumes[${i}].${type}: Volume Types`);
    }
  });
  // Privilege Escalation: every container sets it to false.
  for (const { at, container } of containers) {
    if (container.securityContext?.allowPrivilegeEscalation !== false)
      out.push(
        `${at}.securityContext.allowPrivilegeEscalation: Privilege Escalation (must be false)`,
      );
  }
  // Running as Non-root: the pod says true, or every container does; none says false.
  const podNonRoot = podContext.runAsNonRoot === true;
  if (podContext.runAsNonRoot === false)
    out.push("spec.securityContext.runAsNonRoot: Running as Non-root (must not be false)");
  for (const { at, container } of containers) {
    const value = container.securityContext?.runAsNonRoot;
    if (value === false || (value === undefined && !podNonRoot))
      out.push(`${at}.securityContext.runAsNonRoot: Running as Non-root`);
  }
  // Running as Non-root user: no runAsUser 0.
  if (podContext.runAsUser === 0)
    out.push("spec.securityContext.runAsUser: Running as Non-root user");
  for (const { at, container } of containers) {
    if (container.securityContext?.runAsUser === 0)
      out.push(`${at}.securityContext.runAsUser: Running as Non-root user`);
  }
  // Seccomp: RuntimeDefault or Localhost, at the pod or on every container.
  const allowed = ["RuntimeDefault", "Localhost"];
  const podSeccomp = podContext.seccompProfile?.type;
  if (podSeccomp !== undefined && !allowed.includes(podSeccomp))
    out.push("spec.securityContext.seccompProfile.type: Seccomp (restricted)");
  for (const { at, container } of containers) {
    const type = container.securityContext?.seccompProfile?.type;
    if (type !== undefined ? !allowed.includes(type) : podSeccomp === undefined)
      out.push(`${at}.securityContext.seccompProfile.type: Seccomp (restricted)`);
  }
  // Capabilities: drop ALL; add nothing but NET_BIND_SERVICE.
  for (const { at, container } of containers) {
    const capabilities = container.securityContext?.capabilities;
    if (!(capabilities?.drop ?? []).includes("ALL"))
      out.push(`${at}.securityContext.capabilities.drop: Capabilities (must drop ALL)`);
    for (const capability of capabilities?.add ?? []) {
      if (capability !== "NET_BIND_SERVICE")
        out.push(`${at}.securityContext.capabilities.add: Capabilities (${capability})`);
    }
  }
  return out;
}
