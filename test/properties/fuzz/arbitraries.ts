/**
 * fast-check arbitraries for the fuzz tests: Integration CRs and controller configs that are
 * mostly right (so that cases reach the builders), hostile values to put anywhere in them, and
 * mutations of the tree and of the YAML text.
 */
import fc from "fast-check";
import { dump } from "js-yaml";
import { IMAGE_REFRESH_ANNOTATION } from "../../../components/model/settings/imageRefresh";
import { MI_RESERVED_PORTS } from "../../../components/model/rules/kubernetes";

/** A YAML-like tree: what js-yaml loads and dumps. */
export type Tree = null | boolean | number | string | Tree[] | { [key: string]: Tree };

const lower = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz");
const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789");

/** A DNS-1123 label that starts with a letter, of at most `max` characters. */
export function dnsLabel(max = 20): fc.Arbitrary<string> {
  return fc
    .tuple(lower, fc.array(fc.oneof(alnum, fc.constant("-")), { maxLength: max - 2 }), alnum)
    .map(([a, middle, z]) => `${a}${middle.join("")}${z}`)
    .filter((s) => !s.includes("--") || s.length < max);
}

/** Strings that break naive code: odd Unicode, control characters, YAML look-alikes, long ones. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\t",
    "~",
    "null",
    "true",
    "False",
    "yes",
    "on",
    "0",
    "-1",
    "0x1F",
    "0o17",
    "1e3",
    "1_000",
    ".inf",
    ".NaN",
    "2024-01-01",
    "2024-01-01T00:00:00Z",
    "1:2",
    "- a",
    "a: b",
    "{a: b}",
    "[1, 2]",
    "&a x",
    "*a",
    "!!binary aGk=",
    "<<",
    "#",
    "a #b",
    "'",
    '"',
    "\\",
    "../..",
    "/etc/passwd",
    "a/../../b",
    "\u0000",
    "\u0007",
    "\u001b[31mred",
    "\u00a0",
    "\u200b",
    "\u200e",
    "\u202e",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\ud800",
    "\udfff",
    "e\u0301",
    "\u{1f600}",
    "\u{1f469}\u200d\u{1f4bb}",
    "\u0130",
    "ǅ",
    "ＡＢＣ",
    "ﬀ",
    "𝕒",
    "日本語",
    "עברית",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "$(reboot)",
    "${HOME}",
    "%s%n",
  ),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.nat({ max: 3 }).map((n) => "x".repeat(60 + n) + "é".repeat(n)),
);

/** {@link oddString}, now and then one of 20,000 characters. */
const oddOrLongString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: oddString, weight: 50 },
  { arbitrary: fc.constant("a".repeat(20_000)), weight: 1 },
);

/** Numbers at the edges: zero and signs, fractions, int32 and safe-integer bounds, infinities. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    1.5,
    65535,
    65536,
    2147483647,
    2147483648,
    -2147483648,
    -2147483649,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    1e21,
    1e308,
    -1e308,
    5e-324,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ),
  fc.integer(),
  fc.double(),
);

/** Nested lists and mappings `depth` levels deep. */
function nested(depth: number, inMapping: boolean): Tree {
  let value: Tree = "leaf";
  for (let i = 0; i < depth; i++) value = inMapping ? { a: value } : [value];
  return value;
}

/** Any value of the wrong shape for wherever it lands. */
export const hostileValue: fc.Arbitrary<Tree> = fc.oneof(
  { arbitrary: oddOrLongString, weight: 4 },
  { arbitrary: oddNumber, weight: 3 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constantFrom<Tree>([], {}, [null], [[]], [{}], { "": "" }), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 140 }), fc.boolean())
      .map(([d, m]) => nested(d, m)),
    weight: 1,
  },
  {
    arbitrary: fc.dictionary(oddString, fc.oneof(oddString, oddNumber), {
      maxKeys: 3,
    }),
    weight: 1,
  },
  { arbitrary: fc.array(fc.oneof(oddString, oddNumber), { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.constant(Array.from({ length: 2000 }, (_, i) => i) as Tree), weight: 1 },
);

// Every request is below every limit, so that defaults from any level fit together.
/** A CPU request below every {@link cpuLimit}. */
export const cpuRequest = fc.constantFrom("100m", "0.1", "250m");
/** A CPU limit above every {@link cpuRequest}. */
export const cpuLimit = fc.constantFrom("500m", "1", "1.5", "2", "4000m");
/** A memory request below every {@link memoryLimit}. */
export const memoryRequest = fc.constantFrom("64Mi", "100M", "1e3", "256Mi");
/** A memory limit above every {@link memoryRequest}. */
export const memoryLimit = fc.constantFrom("512Mi", "1G", "1Gi", "2Gi");
/** A minimum replica count: 1 to 5, now and then 0. */
export const minReplicas = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 9 },
  { arbitrary: fc.constant(0), weight: 1 },
);
const port = fc.integer({ min: 1, max: 65535 });
/** A port an inbound endpoint may take: none Micro Integrator listens on itself. */
const inboundPort = port.filter((p) => !MI_RESERVED_PORTS.has(p));

/** A value planted under a name that looks secret: unique, and matching `PLANTED` (masked.ts). */
export const plantedValue: fc.Arbitrary<string> = fc
  .integer({ min: 100_000, max: 999_999 })
  .map((n) => `Pl4nt${n}Env`);

/** Env names that look secret. */
const secretName = fc.constantFrom("DB_PASSWORD", "apiKey", "GITHUB_TOKEN", "ADMIN_PWD", "dbPass");

/** An env variable whose name looks secret, its value planted. */
const secretEnvVar: fc.Arbitrary<Tree> = fc.record({ name: secretName, value: plantedValue });

/**
 * An env variable whose name looks secret, written wrong, its value planted: a number (large
 * enough to be unique, `PLANTED_NUMBER_MIN` in masked.ts), a boolean, or the item as `NAME=value`.
 */
const wrongSecretEnvVar: fc.Arbitrary<Tree> = fc.oneof(
  fc.record({ name: secretName, value: fc.integer({ min: 100_000_000, max: 999_999_999 }) }),
  fc.record({ name: secretName, value: fc.boolean() }),
  fc.tuple(secretName, plantedValue).map(([name, value]) => `${name}=${value}`),
);

/** A liveness or readiness probe, typed. */
export const probe: fc.Arbitrary<Tree> = fc
  .record(
    {
      handler: fc.oneof(
        port.map((p) => ({ tcpSocket: { port: p } })),
        fc
          .tuple(
            port,
            fc.constantFrom("/healthz", "/", "/a/b?c=d"),
            fc.constantFrom("HTTP", "HTTPS"),
          )
          .map(([p, path, scheme]) => ({ httpGet: { port: p, path, scheme } })),
        fc
          .tuple(port, fc.constantFrom("Authorization", "X-Api-Key"), plantedValue)
          .map(([p, name, value]) => ({
            httpGet: { port: p, path: "/", httpHeaders: [{ name, value: `Bearer ${value}` }] },
          })),
        // No named port: the container's ports have no names (a named one is an error).
        fc.constantFrom({ exec: { command: ["sh", "-c", "true"] } }, { tcpSocket: { port: 8290 } }),
      ),
      initialDelaySeconds: fc.integer({ min: 0, max: 300 }),
      periodSeconds: fc.integer({ min: 1, max: 60 }),
      timeoutSeconds: fc.integer({ min: 1, max: 60 }),
      failureThreshold: fc.integer({ min: 1, max: 10 }),
    },
    { requiredKeys: ["handler"] },
  )
  .map(({ handler, ...numbers }) => ({ ...handler, ...numbers }) as Tree);

const envVar = (wrongSecrets: boolean): fc.Arbitrary<Tree> =>
  fc.oneof(
    ...(wrongSecrets ? [wrongSecretEnvVar] : []),
    fc.record({ name: fc.constantFrom("A", "JAVA_OPTS", "x.y", "a-b"), value: oddString }),
    secretEnvVar,
    fc.record({ name: fc.constant("B") }),
    fc
      .tuple(fc.constantFrom("configMapKeyRef", "secretKeyRef", "configMapRef"), dnsLabel(10))
      .map(([ref, name]) => ({
        name: "C",
        valueFrom: { [ref]: { name, key: "k.e-y_1", optional: true } },
      })),
    fc.constant({ name: "P", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }),
    fc.constant({
      name: "M",
      valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } },
    }),
  );

const envFrom: fc.Arbitrary<Tree> = fc
  .tuple(
    fc.constantFrom("configMapRef", "secretRef", "secretKeyRef"),
    dnsLabel(10),
    fc.option(fc.constantFrom("P_", "")),
  )
  .map(([ref, name, prefix]) => ({ [ref]: { name }, ...(prefix === null ? {} : { prefix }) }));

const affinity: fc.Arbitrary<Tree> = fc.constantFrom<Tree>(
  {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] },
        ],
      },
    },
  },
  {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: { matchLabels: { app: "x" } },
            topologyKey: "kubernetes.io/hostname",
          },
        },
      ],
    },
  },
);

const labels = fc.dictionary(
  fc.oneof(
    dnsLabel(12),
    dnsLabel(8).map((s) => `example.com/${s}`),
  ),
  fc.oneof(dnsLabel(12), fc.constant("")),
  { maxKeys: 3 },
);

/**
 * A CR as users write it: mostly valid, every optional field sometimes present, values planted
 * under env names and probe headers that look secret; with `wrongSecrets`, some of those written
 * as numbers, booleans or `NAME=value` (errors).
 */
export const integrationCrOf = (wrongSecrets: boolean): fc.Arbitrary<Tree> =>
  fc
    .record(
      {
        apiVersion: fc.constantFrom("wso2.com/v1alpha2", "integration.wso2.com/v1alpha2"),
        name: dnsLabel(),
        namespace: dnsLabel(12),
        labels,
        annotations: fc.dictionary(
          dnsLabel(8).map((s) => `example.com/${s}`),
          oddString,
          { maxKeys: 2 },
        ),
        image: fc
          .tuple(
            fc.constantFrom("", "docker.io/", "registry.example.com:5000/", "localhost/"),
            dnsLabel(10),
            fc.oneof(
              fc.constantFrom(":1.0.0", ":latest", ""),
              fc.constant(`@sha256:${"ab".repeat(32)}`),
            ),
          )
          .map(([registry, repo, ref]) => `${registry}team/${repo}${ref}`),
        imagePullSecret: dnsLabel(12),
        deploySpec: fc.record(
          {
            minReplicas,
            requestCPU: cpuRequest,
            cpuLimit,
            reqMemory: memoryRequest,
            memoryLimit,
            livenessProbe: probe,
            readinessProbe: probe,
            pullPolicy: fc.constantFrom("Always", "IfNotPresent", "Never"),
            affinity,
            configmapDetails: fc.uniqueArray(
              fc.record({
                name: dnsLabel(10),
                mountPath: fc.constantFrom("/home/wso2carbon/conf", "/tmp/", "/"),
                fileName: fc.constantFrom("deployment.toml", "a.properties", "x"),
              }),
              { maxLength: 2, selector: (m) => `${m.mountPath.replace(/\/$/, "")}/${m.fileName}` },
            ),
          },
          { requiredKeys: [] },
        ),
        autoScale: fc.record(
          {
            enabled: fc.oneof(fc.boolean(), fc.constantFrom("true", "True", "1", "f", "FALSE")),
            maxReplicas: fc.integer({ min: 5, max: 10 }),
          },
          { requiredKeys: [] },
        ),
        expose: fc.record(
          {
            passthroPort: port,
            inboundPorts: fc.uniqueArray(inboundPort, { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        env: fc.array(envVar(wrongSecrets), { maxLength: 3 }),
        envFrom: fc.array(envFrom, { maxLength: 2 }),
        status: fc.constant({ readiness: "Running" }),
        imageRefresh: fc.oneof(
          { arbitrary: fc.constantFrom("true", "false"), weight: 30 },
          { arbitrary: fc.constantFrom("False", "no", "", " false"), weight: 1 },
        ),
      },
      { requiredKeys: ["apiVersion", "name", "image"] },
    )
    .map((r) => {
      const metadata: Record<string, Tree> = { name: r.name };
      if (r.namespace !== undefined) metadata.namespace = r.namespace;
      if (r.labels !== undefined) metadata.labels = r.labels;
      if (r.annotations !== undefined || r.imageRefresh !== undefined) {
        metadata.annotations = {
          ...r.annotations,
          ...(r.imageRefresh === undefined ? {} : { [IMAGE_REFRESH_ANNOTATION]: r.imageRefresh }),
        };
      }
      const spec: Record<string, Tree> = { image: r.image };
      for (const key of [
        "imagePullSecret",
        "deploySpec",
        "autoScale",
        "expose",
        "env",
        "envFrom",
      ] as const) {
        if (r[key] !== undefined) spec[key] = r[key];
      }
      const cr: Record<string, Tree> = {
        apiVersion: r.apiVersion,
        kind: "Integration",
        metadata,
        spec,
      };
      if (r.status !== undefined) cr.status = r.status;
      return cr;
    });

/**
 * Copies of `crs` whose names are distinct: a name seen before gets the CR's index as a suffix.
 * One stack routes every namespace's integrations on one host, so two of one name (in any two
 * namespaces) are an error; generated stacks avoid it where they mean to be valid.
 */
export function withDistinctNames(crs: readonly Tree[]): Tree[] {
  const seen = new Set<string>();
  return crs.map((cr, i) => {
    const copy = structuredClone(cr);
    const metadata =
      typeof copy === "object" && copy !== null && !Array.isArray(copy) ? copy.metadata : undefined;
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return copy;
    const name = metadata.name;
    if (typeof name !== "string") return copy;
    const distinct = seen.has(name) ? `${name}-${i}` : name;
    metadata.name = distinct;
    seen.add(distinct);
    return copy;
  });
}

/** {@link integrationCrOf} without wrongly written secrets. */
export const integrationCr = integrationCrOf(false);

/** The YAML the operator reads for a probe or HPA metrics, as a controller config string. */
export const embeddedYaml = (value: Tree): string => dump(value);

/** HPA metrics the operator's `hpaMetrics` accepts: CPU utilization or an average memory value. */
export const hpaMetrics: fc.Arbitrary<Tree> = fc.constantFrom<Tree>(
  [
    {
      type: "Resource",
      resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
    },
  ],
  [
    {
      type: "Resource",
      resource: { name: "memory", target: { type: "AverageValue", averageValue: "500Mi" } },
    },
  ],
);

/** A controller config in the operator's format: one or both ConfigMaps, mostly valid. */
export const controllerConfig: fc.Arbitrary<Tree[]> = fc
  .record(
    {
      integration: fc.record(
        {
          reconcileInterval: fc.constantFrom("10", "1"),
          autoIngressCreation: fc.constantFrom("true", "false", "True"),
          enableAutoScale: fc.constantFrom("true", "false"),
          minReplicas: minReplicas.map(String),
          maxReplicas: fc.integer({ min: 5, max: 8 }).map(String),
          requestCPU: cpuRequest,
          cpuLimit,
          reqMemory: memoryRequest,
          memoryLimit,
          hpaMetrics: hpaMetrics.map(embeddedYaml),
          livenessProbe: probe.map(embeddedYaml),
          readinessProbe: probe.map(embeddedYaml),
        },
        { requiredKeys: [] },
      ),
      ingress: fc.record(
        {
          "ingress.properties": fc.constantFrom(
            "kubernetes.io/ingress.class: nginx\nnginx.ingress.kubernetes.io/rewrite-target: /$2\n",
            "nginx.ingress.kubernetes.io/ssl-redirect: false\n",
            "",
          ),
          ingressResourceName: dnsLabel(12),
          ingressHostName: fc.constantFrom(
            "wso2ei.ingress.wso2.com",
            "a.example.com",
            "*.example.com",
          ),
          tlsSecretName: fc.oneof(dnsLabel(10), fc.constant("")),
          ingressTransportMode: fc.constantFrom("http", "https"),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  )
  .map((r) => {
    const maps: Tree[] = [];
    if (r.integration !== undefined) {
      maps.push({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "integration-config" },
        data: r.integration,
      });
    }
    if (r.ingress !== undefined) {
      maps.push({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "integration-ingress-config" },
        data: r.ingress,
      });
    }
    return maps;
  });

/**
 * A few stack settings as a tree: `namespace`, `defaults` and `ingress` (see {@link configStrings}
 * for the config map Pulumi passes); the idempotence tests' stacks. The fuzz tests generate every
 * key (stackArbitraries.ts).
 */
export const stackSettings: fc.Arbitrary<Tree> = fc.record(
  {
    namespace: dnsLabel(12),
    defaults: fc.record(
      {
        minReplicas,
        maxReplicas: fc.integer({ min: 5, max: 6 }),
        enableAutoScale: fc.boolean(),
        requestCPU: cpuRequest,
      },
      { requiredKeys: [] },
    ),
    ingress: fc.record(
      {
        host: fc.constantFrom("dev.example.com", "a.b.c"),
        className: fc.constantFrom("nginx", ""),
        tlsSecretName: fc.oneof(dnsLabel(8), fc.constant("")),
        annotations: fc.constant({ "nginx.ingress.kubernetes.io/ssl-redirect": "true" }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/**
 * The config map Pulumi passes for `settings`: each key `<prefix><key>` (default prefix
 * `wso2-mi:`), strings as they are, other values as JSON (a value that contains itself as a
 * string that says so).
 */
export function configStrings(settings: Tree, prefix = "wso2-mi:"): Record<string, string> {
  const config: Record<string, string> = {};
  if (settings === null || typeof settings !== "object" || Array.isArray(settings)) return config;
  for (const [key, value] of Object.entries(settings)) {
    config[`${prefix}${key}`] =
      typeof value === "string" ? value : hasCycle(value) ? "cycle" : JSON.stringify(value);
  }
  return config;
}

/** One change to a tree: which node (by a number reduced modulo the node count) and what to do. */
export interface TreeMutation {
  at: number;
  kind: "replace" | "delete" | "add" | "share" | "cycle" | "wrap" | "stringify";
  value: Tree;
  key: string;
  other: number;
}

/** Names a mutation adds as a key of a mapping: fields of a CR or a config, then odd strings. */
const addedKeys: fc.Arbitrary<string> = fc.constantFrom(
  "name",
  "image",
  "spec",
  "metadata",
  "env",
  "ports",
  "enabled",
  "data",
  "<<",
  "__proto__",
);

/**
 * Tree mutations whose new values come from `values` and whose added keys from `keys` (default:
 * the fields of CRs and controller configs), or else odd strings.
 */
export const treeMutationOf = (
  values: fc.Arbitrary<Tree>,
  keys: fc.Arbitrary<string> = addedKeys,
): fc.Arbitrary<TreeMutation> =>
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom<TreeMutation["kind"]>(
      "replace",
      "replace",
      "replace",
      "delete",
      "add",
      "share",
      "cycle",
      "wrap",
      "stringify",
    ),
    value: values,
    key: fc.oneof(keys, oddString),
    other: fc.nat(),
  });

/** A mutation of a CR or a controller config. */
export const treeMutation: fc.Arbitrary<TreeMutation> = treeMutationOf(hostileValue);

type Slot = { parent: Tree[] | Record<string, Tree>; key: string | number; value: Tree };

/** Every node below the root, in document order, with where it sits. */
function slots(root: Tree): Slot[] {
  const out: Slot[] = [];
  const seen = new Set<unknown>();
  const walk = (node: Tree): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    const entries: [string | number, Tree][] = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : Object.entries(node);
    for (const [key, value] of entries) {
      out.push({ parent: node, key, value });
      walk(value);
    }
  };
  walk(root);
  return out;
}

function setSlot(slot: Slot, value: Tree): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else
    Object.defineProperty(slot.parent, slot.key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

/**
 * `root` (a fresh copy) with `mutations` applied: values replaced by hostile ones, fields deleted
 * or added, nodes shared (YAML aliases) or made to contain themselves, values wrapped in a list
 * or turned into their string.
 */
export function mutateTree(root: Tree, mutations: readonly TreeMutation[]): Tree {
  const copy = structuredClone(root);
  for (const m of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const slot = all[m.at % all.length];
    switch (m.kind) {
      case "replace":
        setSlot(slot, structuredClone(m.value));
        break;
      case "delete":
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete slot.parent[slot.key];
        break;
      case "add":
        if (slot.value !== null && typeof slot.value === "object" && !Array.isArray(slot.value)) {
          Object.defineProperty(slot.value, m.key, {
            value: structuredClone(m.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else if (Array.isArray(slot.value)) slot.value.push(structuredClone(m.value));
        break;
      case "share":
        setSlot(slot, all[m.other % all.length].value);
        break;
      case "cycle": {
        const ancestor = all.find((s) => s.value === slot.parent)?.value ?? copy;
        setSlot(slot, ancestor);
        break;
      }
      case "wrap":
        setSlot(slot, [slot.value]);
        break;
      case "stringify":
        setSlot(slot, hasCycle(slot.value) ? "cycle" : JSON.stringify(slot.value));
        break;
    }
  }
  return copy;
}

/** How a tree is written as YAML: options of js-yaml's dump. */
export interface DumpStyle {
  flowLevel: number;
  quotingType: "'" | '"';
  forceQuotes: boolean;
  noRefs: boolean;
  indent: number;
}

/** One of several ways to write YAML. */
export const dumpStyle: fc.Arbitrary<DumpStyle> = fc.record({
  flowLevel: fc.constantFrom(-1, -1, 0, 1, 2),
  quotingType: fc.constantFrom<"'" | '"'>("'", '"'),
  forceQuotes: fc.boolean(),
  noRefs: fc.boolean(),
  indent: fc.constantFrom(2, 4),
});

/** Whether `tree` contains itself somewhere (a YAML alias to an ancestor). */
export function hasCycle(tree: Tree): boolean {
  const open = new Set<unknown>();
  const walk = (node: Tree): boolean => {
    if (node === null || typeof node !== "object") return false;
    if (open.has(node)) return true;
    open.add(node);
    const found = Object.values(node).some(walk);
    open.delete(node);
    return found;
  };
  return walk(tree);
}

/** The documents as one multi-document YAML text; shared nodes become anchors and aliases. */
export function toYaml(documents: readonly Tree[], style: DumpStyle): string {
  return documents
    .map((d) =>
      dump(d, { ...style, noRefs: style.noRefs && !hasCycle(d), lineWidth: -1, skipInvalid: true }),
    )
    .join("---\n");
}

/** A change to YAML text at a position (a number reduced modulo the text's length). */
export interface TextMutation {
  at: number;
  kind: "insert" | "delete" | "duplicateLine" | "dropLine" | "indent" | "truncate";
  text: string;
  length: number;
}

export const textMutation: fc.Arbitrary<TextMutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom(
    "insert",
    "insert",
    "delete",
    "duplicateLine",
    "dropLine",
    "indent",
    "truncate",
  ),
  text: fc.oneof(
    fc.constantFrom(
      ":",
      ": ",
      "-",
      "- ",
      "#",
      "\t",
      "\n",
      "'",
      '"',
      "{",
      "}",
      "[",
      "]",
      ",",
      "&a ",
      "*a",
      "&a [*a]",
      "!!binary ",
      "!!str ",
      "!!int ",
      "!!map ",
      "!!set ",
      "!!timestamp ",
      "!custom ",
      "<<: ",
      "? ",
      "|\n",
      ">-\n",
      "---\n",
      "...\n",
      "%YAML 1.1\n---\n",
      "\ufeff",
      "\u0000",
      "\r\n",
      "\u2028",
      "  ",
      "null",
      "2024-01-01",
      "0x10",
      "1e400",
    ),
    oddString.filter((s) => s.length < 40),
  ),
  length: fc.integer({ min: 1, max: 20 }),
});

/** `text` with `mutations` applied in order. */
export function mutateText(text: string, mutations: readonly TextMutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    const lines = out.split("\n");
    const line = lines.length === 0 ? 0 : m.at % lines.length;
    switch (m.kind) {
      case "insert":
        out = out.slice(0, at) + m.text + out.slice(at);
        break;
      case "delete":
        out = out.slice(0, at) + out.slice(at + m.length);
        break;
      case "duplicateLine":
        lines.splice(line, 0, lines[line]);
        out = lines.join("\n");
        break;
      case "dropLine":
        lines.splice(line, 1);
        out = lines.join("\n");
        break;
      case "indent":
        lines[line] = " ".repeat(m.length % 5) + lines[line].trimStart();
        out = lines.join("\n");
        break;
      case "truncate":
        out = out.slice(0, at);
        break;
    }
  }
  return out;
}
