/**
 * fast-check arbitraries for a stack's settings: every key of the stack-config reference
 * (README), well-formed and then mutated (values, key names, `{secure: ...}` values), given to
 * the pipeline either as the config map the Pulumi runtime hands the program or as the stack
 * file (and project file) the offline render reads; registry credentials carry planted secrets.
 */
import fc from "fast-check";
import { loadAll } from "js-yaml";
import { IMAGE_REFRESH_KEYS } from "../../../components/model/settings/imageRefresh";
import { INTEGRATION_CONFIG_KEYS } from "../../../components/model/settings/integrationDefaults";
import { KUBERNETES_KEYS } from "../../../components/model/settings/kubernetes";
import { goJson } from "../../../components/model/settings/stackFile";
import { STACK_INGRESS_KEYS } from "../../../components/model/settings/stack";
import {
  type DumpStyle,
  type TextMutation,
  type Tree,
  type TreeMutation,
  cpuLimit,
  cpuRequest,
  dnsLabel,
  dumpStyle,
  embeddedYaml,
  hasCycle,
  hostileValue,
  hpaMetrics,
  memoryLimit,
  memoryRequest,
  minReplicas,
  mutateText,
  mutateTree,
  probe,
  textMutation,
  toYaml,
  treeMutationOf,
} from "./arbitraries";
import { PROJECT, type StackFile } from "./pipeline";

/** `wso2-mi:<name>`. */
const key = (name: string): string => `${PROJECT}:${name}`;

/** The stack key of the registry credentials: a secret. */
export const CREDENTIALS_KEY = key("registryCredentials");

/** `value` typed, or as the operator's string (`"3"`, `"true"`, embedded YAML). */
const typedOrText = (value: fc.Arbitrary<Tree>, text: (v: Tree) => string = String) =>
  fc.oneof(value, value.map(text));

/** Now and then `value`: CRs and controller configs have probes too, and YAML is slow to read. */
const rarely = (value: fc.Arbitrary<Tree>): fc.Arbitrary<Tree | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: value, weight: 1 });

/** `wso2-mi:defaults`: every `integration-config` key, typed or as the operator's strings. */
const defaults: fc.Arbitrary<Record<string, Tree>> = fc
  .record(
    {
      reconcileInterval: typedOrText(fc.integer({ min: 1, max: 60 })),
      enableAutoScale: fc.oneof(fc.boolean(), fc.constantFrom("true", "false", "True", "0")),
      minReplicas: typedOrText(minReplicas),
      maxReplicas: typedOrText(fc.integer({ min: 5, max: 6 })),
      requestCPU: cpuRequest,
      reqMemory: memoryRequest,
      cpuLimit,
      memoryLimit,
      hpaMetrics: rarely(typedOrText(hpaMetrics, embeddedYaml)),
      livenessProbe: rarely(typedOrText(probe, embeddedYaml)),
      readinessProbe: rarely(typedOrText(probe, embeddedYaml)),
    },
    { requiredKeys: [] },
  )
  .map((d) => {
    const out: Record<string, Tree> = {};
    for (const [key, value] of Object.entries(d)) if (value !== undefined) out[key] = value;
    return out;
  });

/** `wso2-mi:ingress`, without `enabled` (see {@link wellFormedSettings}). */
const ingress: fc.Arbitrary<Record<string, Tree>> = fc.record(
  {
    name: dnsLabel(12),
    host: fc.constantFrom("dev.example.com", "a.b.c", "*.example.com"),
    className: fc.constantFrom("nginx", ""),
    tlsSecretName: fc.oneof(dnsLabel(8), fc.constant("")),
    annotations: fc.constantFrom<Tree>(
      { "nginx.ingress.kubernetes.io/ssl-redirect": "true" },
      { "kubernetes.io/ingress.class": "nginx" },
      {},
    ),
    transportMode: fc.constantFrom("http", "https"),
  },
  { requiredKeys: [] },
);

/** `wso2-mi:imageRefresh`. */
const imageRefresh: fc.Arbitrary<Record<string, Tree>> = fc.record(
  {
    enabled: fc.oneof(fc.boolean(), fc.constantFrom("true", "false")),
    mode: fc.constantFrom("digest", "annotation"),
    onUnreachable: fc.constantFrom("fail", "keep"),
    insecureRegistries: fc.subarray([
      "registry.local:5000",
      "localhost",
      "[::1]:5000",
      "10.0.0.1:5000",
    ]),
    timeoutSeconds: fc.integer({ min: 1, max: 600 }),
    dockerConfig: fc.constantFrom("~/.docker/config.json", "/etc/docker/config.json", "d.json"),
  },
  { requiredKeys: [] },
);

/** `wso2-mi:kubernetes`: never `skipAwait: true` with a readiness timeout. */
const kubernetes: fc.Arbitrary<Record<string, Tree>> = fc
  .record(
    {
      context: fc.constantFrom("kind-dev", "arn:aws:eks:eu-west-1:1:cluster/prod", "ctx ü"),
      serverSideApply: fc.boolean(),
      skipAwait: fc.boolean(),
      readinessTimeoutSeconds: fc.integer({ min: 1, max: 86400 }),
    },
    { requiredKeys: [] },
  )
  .map((k) => {
    if (k.skipAwait === true) delete k.readinessTimeoutSeconds;
    return k;
  });

/** Keys of other namespaces: ignored, except `kubernetes:` keys beside an explicit provider. */
const otherKeys = fc.record(
  {
    "aws:region": fc.constant("eu-west-1"),
    "kubernetes:namespace": fc.constant("team-a"),
    "kubernetes:context": fc.constant("kind-dev"),
  },
  { requiredKeys: [] },
);

/**
 * Every key of the stack-config reference except `registryCredentials`, well-formed and set
 * together consistently: `defaults.autoIngressCreation` agrees with `ingress.enabled`, and
 * `kubernetes:` keys come only without an explicit provider. Keys are `wso2-mi:<name>`.
 */
export const wellFormedSettings: fc.Arbitrary<Record<string, Tree>> = fc
  .record(
    {
      namespace: dnsLabel(12),
      crs: fc.constantFrom<Tree>("stacks/dev", "crs/", ["stacks/dev", "crs/a.yaml"]),
      controllerConfig: fc.constant("stacks/integration_controller_conf.yaml"),
      defaults,
      ingress,
      ingressOn: fc.record(
        {
          enabled: fc.boolean(),
          inDefaults: fc.boolean(),
          inIngress: fc.boolean(),
        },
        { requiredKeys: ["enabled", "inDefaults", "inIngress"] },
      ),
      imageRefresh,
      createNamespace: fc.oneof(fc.boolean(), fc.constantFrom("true", "false", "True", "0")),
      kubernetes,
      other: otherKeys,
    },
    { requiredKeys: ["ingressOn"] },
  )
  .map(({ ingressOn, other, ...settings }) => {
    const out: Record<string, Tree> = {};
    if (ingressOn.inDefaults) {
      settings.defaults = { ...settings.defaults, autoIngressCreation: ingressOn.enabled };
    }
    if (ingressOn.inIngress) settings.ingress = { ...settings.ingress, enabled: ingressOn.enabled };
    // The deprecated class annotation and className must name the same class.
    if (settings.ingress?.annotations !== undefined && settings.ingress.className !== undefined) {
      settings.ingress = { ...settings.ingress, className: "nginx" };
    }
    for (const [name, value] of Object.entries(settings)) {
      if (value !== undefined) out[key(name)] = value;
    }
    const explicit =
      settings.kubernetes?.context !== undefined ||
      settings.kubernetes?.serverSideApply !== undefined;
    for (const [name, value] of Object.entries(other ?? {})) {
      if (!explicit || !name.startsWith("kubernetes:")) out[name] = value;
    }
    return out;
  });

/** Values that are nearly right for some stack key, and Pulumi's encrypted values. */
const stackHostileValue: fc.Arbitrary<Tree> = fc.oneof(
  { arbitrary: hostileValue, weight: 3 },
  {
    arbitrary: fc.constantFrom<Tree>(
      { secure: "v1:AAABBBcc==" },
      { secure: 5 },
      { secure: "v1:x", other: 1 },
      { secure: "" },
      0,
      -1,
      1,
      600,
      601,
      86400,
      86401,
      1e21,
      2147483648,
      "600",
      "5",
      "true",
      "True",
      "TRUE",
      "yes",
      "1",
      "t",
      "Digest",
      "digest ",
      "KEEP",
      "annotation",
      "http://registry.local:5000",
      "registry.local:99999",
      "[::1]",
      "~/.docker/config.json",
      "kind-dev",
      "wso2-mi:namespace",
      ["a", 1],
    ),
    weight: 2,
  },
);

/** Keys a mutation adds inside a stack setting: the keys of every object setting. */
const stackKeys: fc.Arbitrary<string> = fc.constantFrom(
  ...IMAGE_REFRESH_KEYS,
  ...KUBERNETES_KEYS,
  ...STACK_INGRESS_KEYS,
  ...INTEGRATION_CONFIG_KEYS,
  "secure",
  "username",
  "password",
  "auth",
  "ingressHostName",
  "enableServerSideApply",
);

/** A mutation of stack settings or of registry credentials. */
export const stackTreeMutation: fc.Arbitrary<TreeMutation> = treeMutationOf(
  stackHostileValue,
  stackKeys,
);

/** A change to the keys of the stack's config (the top level). */
export interface KeyMutation {
  /** Which key (modulo the number of keys). */
  at: number;
  /**
   * `typo`: a character of the name dropped; `case`: the name lower-cased; `namespace`: another
   * namespace; `swap`: the value of another key (modulo); `secure`: an encrypted value instead.
   */
  kind: "typo" | "case" | "namespace" | "swap" | "secure";
  other: number;
}

export const keyMutation: fc.Arbitrary<KeyMutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<KeyMutation["kind"]>("typo", "case", "namespace", "swap", "secure"),
  other: fc.nat(),
});

/** A Pulumi ciphertext as a stack file holds a secret. */
const SECURE_VALUE: Tree = { secure: "v1:Ymw0Y2s=:vGv2bWxzZWNyZXQ=" };

/** `settings` with `mutations` of its keys applied (a fresh object; values are shared). */
export function mutateKeys(
  settings: Record<string, Tree>,
  mutations: readonly KeyMutation[],
): Record<string, Tree> {
  const entries = Object.entries(settings);
  for (const m of mutations) {
    if (entries.length === 0) break;
    const entry = entries[m.at % entries.length];
    const [name, value] = entry;
    const colon = name.indexOf(":");
    const ns = name.slice(0, colon + 1);
    const bare = name.slice(colon + 1);
    switch (m.kind) {
      case "typo": {
        const i = m.other % Math.max(1, bare.length);
        entry[0] = ns + bare.slice(0, i) + bare.slice(i + 1);
        break;
      }
      case "case":
        entry[0] = ns + bare.toLowerCase();
        break;
      case "namespace":
        entry[0] = `${["wso2mi", "kubernetes", "aws"][m.other % 3]}:${bare}`;
        break;
      case "swap":
        entry[1] = entries[m.other % entries.length][1];
        break;
      case "secure":
        entry[1] = value === SECURE_VALUE ? "v1:plain" : SECURE_VALUE;
        break;
    }
  }
  return mappingOf(entries);
}

/** A mapping of `entries` (a key's first entry wins), `__proto__` too as a key of its own. */
function mappingOf(entries: readonly (readonly [string, Tree])[]): Record<string, Tree> {
  const out: Record<string, Tree> = {};
  for (const [name, value] of entries) {
    if (Object.hasOwn(out, name)) continue;
    Object.defineProperty(out, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A secret planted in registry credentials: as written, and the part that must never show. */
export interface PlantedSecret {
  value: string;
  /** Unique and free of YAML syntax, so that a message quoting any piece of it shows it. */
  core: string;
}

/** A password or token, now and then starting or ending with what YAML reads as syntax. */
const plantedSecret: fc.Arbitrary<PlantedSecret> = fc
  .record({
    lead: fc.constantFrom("", "", "", "*", "!", "&", "%", "@", "'", '"', "#", "- ", "? ", "{", "|"),
    n: fc.integer({ min: 100_000, max: 999_999 }),
    tail: fc.constantFrom("", "", "", ":", " #x", "\\", "}", ",", ": x", "'"),
  })
  .map(({ lead, n, tail }) => {
    const core = `Pl4nt${n}S3cret`;
    return { value: `${lead}${core}${tail}`, core };
  });

const registryHost = fc.constantFrom(
  "registry.example.com",
  "localhost:5000",
  "ghcr.io",
  "[::1]:5000",
  "https://index.docker.io/v1/",
);

/** One registry's login: username and password, now and then a token field Docker uses. */
const login = fc.record({
  username: fc.constantFrom("ci", "robot$ci", "_json_key", ""),
  password: plantedSecret,
  token: fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    {
      arbitrary: fc.tuple(fc.constantFrom("auth", "identitytoken", "registrytoken"), plantedSecret),
      weight: 1,
    },
  ),
});

/** `wso2-mi:registryCredentials` as a tree, and the secrets planted in it. */
export const registryCredentials: fc.Arbitrary<{ tree: Tree; secrets: PlantedSecret[] }> = fc
  .uniqueArray(fc.tuple(registryHost, login), {
    minLength: 1,
    maxLength: 2,
    selector: ([host]) => host,
  })
  .map((logins) => {
    const tree: Record<string, Tree> = {};
    const secrets: PlantedSecret[] = [];
    for (const [host, { username, password, token }] of logins) {
      const entry: Record<string, Tree> = { username, password: password.value };
      secrets.push(password);
      if (token !== null) {
        entry[token[0]] = token[1].value;
        secrets.push(token[1]);
      }
      tree[host] = entry;
    }
    return { tree, secrets };
  });

/**
 * The config map the Pulumi CLI passes for `settings` (keyed `namespace:name`): strings as they
 * are, other values as Go writes JSON (`goJson`: keys sorted); a value that contains itself as a
 * string that says so.
 */
export function pulumiConfig(settings: Record<string, Tree>): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    config[name] = typeof value === "string" ? value : hasCycle(value) ? "cycle" : goJson(value);
  }
  return config;
}

/** A registry password planted in a project file's `config:` defaults. */
const PROJECT_SECRET = "Pl4nt000000S3cret";

/** A project file without `config:`. */
const PLAIN_PROJECT = "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n";

/** Project files (`Pulumi.yaml`): stack files in `stacks/`, and now and then `config:` defaults. */
const projectFile = fc.constantFrom(
  PLAIN_PROJECT,
  PLAIN_PROJECT,
  PLAIN_PROJECT,
  [
    "name: wso2-mi",
    "runtime: nodejs",
    "stackConfigDir: stacks",
    "config:",
    "  namespace:",
    "    type: string",
    "    default: team-a",
    "  wso2-mi:createNamespace:",
    "    default: false",
    "  aws:region:",
    "    value: eu-west-1",
    "",
  ].join("\n"),
  [
    "name: wso2-mi",
    "stackConfigDir: stacks",
    "config:",
    "  registryCredentials:",
    `    default: {ghcr.io: {username: ci, password: ${PROJECT_SECRET}}}`,
    "",
  ].join("\n"),
  [
    "name: wso2-mi",
    "stackConfigDir: stacks",
    "config:",
    "  imageRefresh:",
    "    default: {enabled: false, mode: annotation}",
    "  aws:profile:",
    "    value: prod",
    "",
  ].join("\n"),
);

/** How a key is written in a stack file: `wso2-mi:name`, `name`, or `wso2-mi:config:name`. */
type Spelling = "full" | "bare" | "legacy";

function spelled(name: string, spelling: Spelling): string {
  if (!name.startsWith(`${PROJECT}:`) || spelling === "full") return name;
  const bare = name.slice(PROJECT.length + 1);
  return spelling === "bare" ? bare : `${PROJECT}:config:${bare}`;
}

/** `text` with the double- or single-quoted YAML form of `value` written plain. */
function unquote(text: string, value: string): string {
  return text
    .split(JSON.stringify(value))
    .join(value)
    .split(`'${value.replace(/'/g, "''")}'`)
    .join(value);
}

/** Every string (keys too) of `tree`, except under the keys `skip` of its `config` mapping. */
function stringsOutside(tree: unknown, skip: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, top: boolean): void => {
    if (typeof node === "string") out.push(node);
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    for (const [k, v] of Object.entries(node)) {
      out.push(k);
      if (top && skip.has(k)) continue;
      walk(v, false);
    }
  };
  if (tree !== null && typeof tree === "object" && !Array.isArray(tree)) {
    for (const [k, v] of Object.entries(tree)) {
      out.push(k);
      walk(v, k === "config");
    }
  } else walk(tree, false);
  return out;
}

/**
 * The planted secrets that a stack file's text (as mutated) still holds only under the
 * credentials key: the others were moved by the mutations into places whose values messages
 * may quote. All of them when the text is not YAML.
 */
export function secretsInPlace(text: string, secrets: readonly PlantedSecret[]): PlantedSecret[] {
  let documents: unknown[];
  try {
    documents = loadAll(text);
  } catch {
    return [...secrets];
  }
  const spellings = new Set(
    (["full", "bare", "legacy"] as const).map((s) => spelled(CREDENTIALS_KEY, s)),
  );
  const elsewhere = documents.flatMap((d) => stringsOutside(d, spellings));
  return secrets.filter((s) => !elsewhere.some((t) => t.includes(s.core)));
}

/** What a stack case feeds the pipeline: a config map or a stack file, and the secrets planted. */
export type StackInput =
  | { config: Record<string, string>; secrets: string[] }
  | { stackFile: StackFile; secrets: string[] };

/** How many mutations of each kind a stack case may get. */
export interface StackMutations {
  /** Of the settings' values, of the credentials, and of the keys. */
  tree?: number;
  /** Of the stack file's text (stack-file cases only). */
  text?: number;
  /** Whether half the cases are stack files (slower to read) rather than config maps. Default: true. */
  files?: boolean;
}

/**
 * Stack settings with every key, well-formed then mutated as asked, with registry credentials
 * (secrets planted) now and then: as the Pulumi runtime's config map (the credentials decrypted,
 * as the program gets them) or as a stack file (the credentials a `secure:` value, or now and then
 * in plain text, which is an error) with a project file.
 */
export function stackInput(max: StackMutations): fc.Arbitrary<StackInput> {
  const mutations = fc.array(stackTreeMutation, { maxLength: max.tree ?? 0 });
  const file = fileStyle(max.text ?? 0, projectFile);
  return fc
    .record({
      settings: wellFormedSettings,
      mutations,
      keys: fc.array(keyMutation, { maxLength: max.tree ?? 0 }),
      credentials: fc.option(fc.tuple(registryCredentials, mutations), { freq: 3 }),
      file: max.files === false ? fc.constant(null) : fc.option(file, { freq: 2 }),
    })
    .map(({ settings, mutations, keys, credentials, file }) => {
      // mutateTree copies; nothing below changes the generated tree, so none is needed without it.
      const mutated = mutations.length === 0 ? settings : mutateTree(settings, mutations);
      const tree = mutateKeys(mutated as Record<string, Tree>, keys);
      const creds =
        credentials === null
          ? undefined
          : { ...credentials[0], tree: mutateTree(credentials[0].tree, credentials[1]) };
      const planted = creds?.secrets ?? [];
      if (file === null) {
        if (creds !== undefined) tree[CREDENTIALS_KEY] = creds.tree;
        return { config: pulumiConfig(tree), secrets: planted.map((s) => s.core) };
      }
      return stackFileInput(tree, creds?.tree, planted, file);
    });
}

/** How a stack file is written: its project file, YAML style, key spellings, text mutations. */
interface FileStyle {
  project: string;
  style: DumpStyle;
  spellings: Spelling[];
  /** Empty documents and comments before and after the one that holds the config. */
  framing: [string, string];
  /** The credentials as a `secure:` value, as Pulumi writes them, or else in plain text. */
  secureCredentials: boolean;
  /** Passwords written without the quotes YAML needs. */
  unquoted: boolean;
  text: TextMutation[];
}

/** Ways to write a stack file; at most `text` text mutations. */
function fileStyle(text: number, project: fc.Arbitrary<string>): fc.Arbitrary<FileStyle> {
  return fc.record({
    project,
    style: dumpStyle,
    spellings: fc.array(fc.constantFrom<Spelling>("full", "full", "bare", "legacy"), {
      minLength: 12,
      maxLength: 12,
    }),
    framing: fc.tuple(
      fc.constantFrom("", "", "", "---\n", "...\n", "# stack\n", "---\n---\n", "--- # x\n"),
      fc.constantFrom("", "", "", "...\n", "---\n", "\n\n", "# end\n"),
    ),
    secureCredentials: fc.constantFrom(true, true, true, false),
    unquoted: fc.constantFrom(false, false, false, true),
    text: fc.array(textMutation, { maxLength: text }),
  });
}

/** How deeply `tree` nests (a scalar: 0). */
function depth(tree: Tree): number {
  if (tree === null || typeof tree !== "object") return 0;
  return 1 + Math.max(0, ...Object.values(tree).map(depth));
}

/** Whether `value` reads back the same from a stack file (a top-level value). */
function sameBothWays(value: Tree): boolean {
  if (typeof value === "number") return Number.isSafeInteger(value) && !Object.is(value, -0);
  return value !== null;
}

/**
 * One stack two ways: the config map the program gets, and a stack file (keys spelled any way,
 * empty documents and comments around it) that must read as that map. Settings mutated (values
 * and keys, at most `tree` of each) but without what the two cannot share: registry
 * credentials and `secure:` values (offline only), values that contain themselves or nest deeper
 * than a YAML file may, text that UTF-8 cannot hold, top-level nulls and numbers that YAML writes
 * otherwise than JSON.
 */
export function sameStackTwoWays(
  tree: number,
): fc.Arbitrary<{ config: Record<string, string>; stackFile: StackFile }> {
  return fc
    .record({
      settings: wellFormedSettings,
      mutations: fc.array(stackTreeMutation, { maxLength: tree }),
      keys: fc.array(keyMutation, { maxLength: tree }),
      file: fileStyle(0, fc.constant(PLAIN_PROJECT)),
    })
    .map(({ settings, mutations, keys, file }) => {
      const settingsTree = mutateKeys(
        mutateTree(settings, mutations) as Record<string, Tree>,
        keys,
      );
      const config = pulumiConfig(settingsTree);
      const json = JSON.stringify(config);
      const comparable =
        !hasCycle(settingsTree) &&
        depth(settingsTree) < 90 &&
        !json.includes('"secure') &&
        Buffer.from(json, "utf8").toString("utf8") === json &&
        Object.values(settingsTree).every(sameBothWays);
      if (!comparable) return undefined;
      const input = stackFileInput(settingsTree, undefined, [], file);
      return "stackFile" in input ? { config, stackFile: input.stackFile } : undefined;
    })
    .filter((c): c is { config: Record<string, string>; stackFile: StackFile } => c !== undefined);
}

function stackFileInput(
  settings: Record<string, Tree>,
  credentials: Tree | undefined,
  planted: PlantedSecret[],
  file: FileStyle,
): StackInput {
  const config = mappingOf(
    Object.entries(settings).map(
      ([name, value], i) =>
        [spelled(name, file.spellings[i % file.spellings.length]), value] as const,
    ),
  );
  if (credentials !== undefined) {
    config[CREDENTIALS_KEY] = file.secureCredentials ? SECURE_VALUE : credentials;
  }
  let text = file.framing[0] + toYaml([{ config }], file.style) + file.framing[1];
  if (file.unquoted) for (const s of planted) text = unquote(text, s.value);
  // As the file holds it: UTF-8 has no lone surrogates.
  text = Buffer.from(mutateText(text, file.text), "utf8").toString("utf8");
  const secrets = file.secureCredentials && credentials !== undefined ? [] : [...planted];
  if (file.project.includes(PROJECT_SECRET)) {
    secrets.push({ value: PROJECT_SECRET, core: PROJECT_SECRET });
  }
  // Only text mutations can move a secret out of the credentials.
  const kept = file.text.length === 0 ? secrets : secretsInPlace(text, secrets);
  return { stackFile: { project: file.project, text }, secrets: kept.map((s) => s.core) };
}
