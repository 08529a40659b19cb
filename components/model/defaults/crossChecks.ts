/**
 * Checks that need defaults applied, or the whole stack: what the API server or the cluster
 * would refuse, or what would fail silently, once every value is known.
 */
import type { Problems, Source } from "../problems";
import { annotationSizeProblem, quantityValue, quote } from "../rules";
import type { IProbe, ResolvedIngress, ResolvedIntegration } from "../types";

/** A value and where it came from, for messages (`spec.deploySpec.memoryLimit`, a config file). */
export interface Origin<T> {
  value: T;
  from: string;
}

/** The probe kinds of a container, as the CR names them. */
const PROBES = ["livenessProbe", "readinessProbe"] as const;

/**
 * A probe whose port is a name needs a container port of that name; the builders name none, so
 * a named port is an error (the kubelet would fail the probe, and with a liveness probe restart
 * the pod for good). `probes` are the probes in effect and where each came from.
 */
export function checkNamedProbePorts(
  source: Source,
  probes: Partial<Record<(typeof PROBES)[number], Origin<IProbe>>>,
  ports: readonly number[],
  problems: Problems,
): void {
  for (const kind of PROBES) {
    const probe = probes[kind];
    if (probe === undefined) continue;
    for (const handler of ["httpGet", "tcpSocket"] as const) {
      const port = probe.value[handler]?.port;
      if (typeof port !== "string") continue;
      const fromCr = probe.from.startsWith("spec.");
      const path = fromCr ? `${probe.from}.${handler}.port` : `spec.deploySpec.${kind}`;
      problems.error(
        source,
        path,
        `the ${kind} checks the port named ${quote(port)}${fromCr ? "" : ` (${probe.from})`}, ` +
          `but no container port has a name (the container's ports are ${ports.join(", ")}): ` +
          "write the port's number",
      );
    }
  }
}

/** The environment variables a JVM reads its options from, in Micro Integrator's image. */
const JAVA_OPTION_VARIABLES = ["JAVA_OPTS", "JAVA_TOOL_OPTIONS"];

/** Bytes per unit of a JVM size (`-Xmx2g`): powers of 1024, as the JVM reads them. */
const JVM_UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** The last `-Xmx<size>` in `options` (the one the JVM uses), and its bytes. */
function maxHeap(options: string): { option: string; bytes: number } | undefined {
  const all = [...options.matchAll(/(?:^|\s)(-Xmx(\d+)([kKmMgGtT]?))(?=\s|$)/g)];
  const last = all.at(-1);
  if (last === undefined) return undefined;
  return { option: last[1], bytes: Number(last[2]) * JVM_UNITS[last[3].toLowerCase()] };
}

/** `2 GiB`, `512 MiB`: bytes for a message. */
function binarySize(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value * 10) / 10} ${units[unit]}`;
}

/**
 * A maximum heap (`-Xmx` in `JAVA_OPTS`) above the container's memory limit: the JVM needs its
 * heap and more, so under load the pod is OOM-killed. A warning: the pod starts, and fails later.
 * Only the option is shown, never the rest of the variable's value.
 */
export function checkJavaHeap(
  source: Source,
  integration: ResolvedIntegration,
  memoryLimit: Origin<string> | undefined,
  problems: Problems,
): void {
  if (memoryLimit === undefined) return;
  const limit = quantityValue(memoryLimit.value);
  if (limit === undefined) return;
  integration.env.forEach((variable, i) => {
    if (!JAVA_OPTION_VARIABLES.includes(variable.name) || variable.value === undefined) return;
    const heap = maxHeap(variable.value);
    if (heap === undefined || heap.bytes <= limit) return;
    problems.warning(
      source,
      `spec.env[${i}].value`,
      `${heap.option} lets the heap grow to ${binarySize(heap.bytes)}, above the memory limit ` +
        `${quote(memoryLimit.value)} (${memoryLimit.from}); the JVM needs more than its heap, so ` +
        "under load the pod would be OOM-killed: lower -Xmx to about 75% of the limit, or raise " +
        "memoryLimit",
    );
  });
}

/** The Ingress paths of an integration, as the builders write them. */
function routes(integration: ResolvedIntegration): string[] {
  const { name } = integration;
  return [
    `/${name}-service(/|$)(.*)`,
    ...integration.inboundPorts.map((port) => `/${name}-inbound/${port}(/|$)(.*)`),
  ];
}

/**
 * Two namespaces whose Ingresses claim the same host and path: the stack's one host serves every
 * namespace, so integrations of one name in two namespaces route alike, and the ingress
 * controller serves only one of them. An error at each later one.
 */
export function checkRouteCollisions(
  integrations: readonly { integration: ResolvedIntegration; source: Source }[],
  ingress: ResolvedIngress | undefined,
  problems: Problems,
): void {
  if (ingress === undefined) return;
  const claimed = new Map<string, { namespace: string; source: Source }>();
  for (const { integration, source } of integrations) {
    const clashes: string[] = [];
    let first: { namespace: string; source: Source } | undefined;
    for (const path of routes(integration)) {
      const earlier = claimed.get(path);
      if (earlier === undefined) {
        claimed.set(path, { namespace: integration.namespace, source });
      } else if (earlier.namespace !== integration.namespace) {
        clashes.push(path);
        first ??= earlier;
      }
    }
    if (first === undefined) continue;
    const where =
      first.source.document === undefined
        ? first.source.file
        : `${first.source.file} (document ${first.source.document})`;
    problems.error(
      source,
      "metadata.name",
      `the Ingress of namespace ${quote(integration.namespace)} would route host ` +
        `${quote(ingress.host)} path ${quote(clashes[0])}` +
        (clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : "") +
        `, which the Ingress of namespace ${quote(first.namespace)} routes already (${where}); ` +
        "the ingress controller serves only one of them: rename one of the integrations",
    );
  }
}

/**
 * The shared Ingress's annotations within the API server's limit on one object's annotations
 * (256 KiB, keys and values). `source` and `path` name where they are set.
 */
export function checkIngressAnnotations(
  ingress: ResolvedIngress | undefined,
  source: Source,
  path: string | undefined,
  problems: Problems,
): void {
  if (ingress === undefined) return;
  const what =
    "the Ingress's annotations (the controller config's ingress.properties and the stack's " +
    "ingress.annotations)";
  const problem = annotationSizeProblem(ingress.annotations, what);
  if (problem !== undefined) problems.error(source, path, `${problem}: remove some of them`);
}
