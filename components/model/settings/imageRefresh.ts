/**
 * Image refresh in the model: the stack's `imageRefresh` settings, which integrations resolve
 * their tag to a digest, and how a resolved digest changes an integration (pure; the registry is
 * only ever reached by the provider in `provider/`).
 */
import {
  imageLoginProblem,
  pinnedDigest,
  REGISTRY_PORT_MAX,
  registryHostFault,
} from "../rules/imageReference";
import type { Problems } from "../problems";
import { semverRangeProblem, tagPatternProblem } from "../rules/tagPolicy";
import {
  type At,
  checkBoolean,
  checkChoice,
  checkFields,
  checkInteger,
  checkString,
  checkStringList,
  childAt,
  childPath,
  describeValue,
  isMapping,
  itemAt,
  report,
  quote,
  reportUnknown,
} from "../rules";
import {
  IMAGE_REFRESH_MODES,
  ON_UNREACHABLE,
  TAG_ORDERS,
  type ImageRefreshSettings,
  type IntegrationImageRefresh,
  type IntegrationCR,
  type ResolvedImageRefresh,
  type ResolvedIntegration,
  type ResolvedStack,
  type TagOrder,
  type TagPolicy,
} from "../types";

/** The keys of a stack's `imageRefresh` object. */
export const IMAGE_REFRESH_KEYS = [
  "enabled",
  "mode",
  "onUnreachable",
  "insecureRegistries",
  "timeoutSeconds",
  "dockerConfig",
  "policy",
] as const;

/** A CR annotation: `"false"` keeps the CR's tag as written, whatever the stack says. */
export const IMAGE_REFRESH_ANNOTATION = "integrations.wso2.com/image-refresh";

/** The pod-template annotation that holds the digest in `annotation` mode. */
export const IMAGE_DIGEST_ANNOTATION = "integrations.wso2.com/image-digest";

/** The Deployment annotation naming the tag a tag policy chose (the CR keeps its own). */
export const IMAGE_TAG_ANNOTATION = "integrations.wso2.com/image-tag";

/** The settings of a stack that sets no `imageRefresh`. */
export const DEFAULT_IMAGE_REFRESH: Readonly<ImageRefreshSettings> = Object.freeze({
  enabled: false,
  mode: "digest",
  onUnreachable: "fail",
  insecureRegistries: [],
});

/** The longest `timeoutSeconds` accepted: a registry that slow is as good as down. */
export const MAX_TIMEOUT_SECONDS = 600;

/**
 * What is wrong with `host` as an `insecureRegistries` entry, or undefined when it is one: `host`,
 * `host:port` or `[ipv6]:port` as Docker's `insecure-registries` lists them, in the grammar an
 * image reference's registry follows (`registryHostFault`), so that an entry can match a registry.
 */
function registryHostProblem(host: string): string | undefined {
  const login = imageLoginProblem(host);
  if (login !== undefined) return login.replace("an image reference", "a registry host");
  const scheme = /^[a-z]+:\/\//i.exec(host);
  if (scheme !== null) {
    return `remove ${quote(scheme[0])}: list the registry as host[:port], e.g. "registry.local:5000"`;
  }
  const fault = registryHostFault(host);
  if (fault === undefined) return undefined;
  if (fault.part === "host") {
    return `${quote(host)} is not a registry host; write host[:port], e.g. "registry.local:5000"`;
  }
  if (fault.reason === "not a number") {
    return `${quote(host)}: the port must be a number, got ${quote(fault.port)}`;
  }
  return `${quote(host)}: the port must be between 1 and ${REGISTRY_PORT_MAX}, got ${fault.port}`;
}

function checkRegistryHosts(value: unknown, at: At): string[] | undefined {
  const hosts = checkStringList(value, at);
  if (hosts === undefined) return undefined;
  let ok = true;
  hosts.forEach((host, i) => {
    const problem = registryHostProblem(host);
    if (problem === undefined) return;
    ok = false;
    report(itemAt(at, i), problem);
  });
  return ok ? hosts : undefined;
}

/**
 * The stack's `imageRefresh` object (`at` is its key): `enabled` (default false), `mode`
 * (`digest` or `annotation`, default `digest`), `onUnreachable` (`fail` or `keep`, default
 * `fail`), `insecureRegistries` (hosts reached over plain HTTP, default none), `timeoutSeconds`
 * (1 to 600, default the registry client's) and `dockerConfig` (a Docker config file, default
 * Docker's). Unknown keys and wrong types are reported; what is wrong keeps its default.
 */
export function parseImageRefresh(fields: Record<string, unknown>, at: At): ImageRefreshSettings {
  const out: ImageRefreshSettings = { ...DEFAULT_IMAGE_REFRESH, insecureRegistries: [] };
  for (const [key, value] of Object.entries(fields)) {
    const here = childAt(at, key);
    switch (key) {
      case "enabled":
        out.enabled = checkBoolean(value, here) ?? out.enabled;
        break;
      case "mode":
        out.mode = checkChoice(value, here, IMAGE_REFRESH_MODES) ?? out.mode;
        break;
      case "onUnreachable":
        out.onUnreachable = checkChoice(value, here, ON_UNREACHABLE) ?? out.onUnreachable;
        break;
      case "insecureRegistries":
        out.insecureRegistries = checkRegistryHosts(value, here) ?? [];
        break;
      case "timeoutSeconds": {
        const seconds = checkInteger(value, here, 1, MAX_TIMEOUT_SECONDS);
        if (seconds !== undefined) out.timeoutSeconds = seconds;
        break;
      }
      case "dockerConfig": {
        const file = checkString(value, here);
        if (file !== undefined && file.trim() === "") {
          report(here, "expected the path of a Docker config file, got an empty value");
        } else if (file !== undefined) {
          out.dockerConfig = file;
        }
        break;
      }
      case "policy": {
        const policy = parseTagPolicy(value, here);
        if (policy !== undefined) out.policy = policy;
        break;
      }
      default:
        reportUnknown(key, here, IMAGE_REFRESH_KEYS);
    }
  }
  return out;
}

/** The keys of an integration override's `imageRefresh`: the others are stack-wide. */
export const OVERRIDE_IMAGE_REFRESH_KEYS = ["policy"] as const;

/**
 * An integration override's `imageRefresh` (`at` is its key): its `policy`, read as the stack's
 * (`parseTagPolicy`). The stack's other `imageRefresh` keys are errors saying they are
 * stack-wide; unknown keys are reported with the closest one.
 */
export function parseOverrideImageRefresh(value: unknown, at: At): IntegrationImageRefresh {
  const out: IntegrationImageRefresh = {};
  if (!isMapping(value)) {
    report(
      at,
      `expected a mapping such as {policy: {semver: "^2.4.0"}}, got ${describeValue(value)}`,
    );
    return out;
  }
  for (const [key, field] of Object.entries(value)) {
    const here = childAt(at, key);
    if (key === "policy") {
      const policy = parseTagPolicy(field, here);
      if (policy !== undefined) out.policy = policy;
    } else if ((IMAGE_REFRESH_KEYS as readonly string[]).includes(key)) {
      report(
        here,
        "is stack-wide and cannot differ per integration; set it in the stack's imageRefresh " +
          `(an integration's imageRefresh takes ${OVERRIDE_IMAGE_REFRESH_KEYS.join(", ")})`,
      );
    } else {
      reportUnknown(key, here, OVERRIDE_IMAGE_REFRESH_KEYS);
    }
  }
  return out;
}

/** The fields of a `semver` policy, and of a `regex` one. */
const SEMVER_POLICY_FIELDS = ["semver", "prereleases"] as const;
const REGEX_POLICY_FIELDS = ["regex", "order"] as const;

/**
 * A tag policy (`at` is its key): `digest` (the tag as written, re-pushes followed),
 * `{ semver: "<range>", prereleases?: boolean }` (the highest version in the range; pre-releases
 * only when the range names one or `prereleases` is true) or `{ regex: "<pattern>", order:
 * numerical | alphabetical }` (the highest tag matching, ranked by the first capture group, else
 * the whole tag). Stack-level and per-integration settings both read it.
 */
export function parseTagPolicy(value: unknown, at: At): TagPolicy | undefined {
  const shapes =
    "write digest, {semver: \"^2.4.0\"} or {regex: '^build-(\\d+)$', order: numerical}";
  if (typeof value === "string") {
    if (value === "digest") return { kind: "digest" };
    report(at, `expected digest or a mapping, got ${JSON.stringify(value)}; ${shapes}`);
    return undefined;
  }
  const fields = checkFields(value, at, [...SEMVER_POLICY_FIELDS, ...REGEX_POLICY_FIELDS]);
  if (fields === undefined) return undefined;
  const kinds = ["semver", "regex"].filter((k) => fields[k] !== undefined);
  if (kinds.length !== 1) {
    report(at, `expected exactly one of semver and regex; ${shapes}`);
    return undefined;
  }
  const misplaced = (kinds[0] === "semver" ? REGEX_POLICY_FIELDS : SEMVER_POLICY_FIELDS).filter(
    (k) => fields[k] !== undefined,
  );
  for (const key of misplaced) report(childAt(at, key), `is not read with ${kinds[0]}; remove it`);
  if (kinds[0] === "semver") {
    const range = checkString(fields.semver, childAt(at, "semver"));
    const prereleases =
      fields.prereleases === undefined
        ? false
        : checkBoolean(fields.prereleases, childAt(at, "prereleases"));
    const problem = range === undefined ? undefined : semverRangeProblem(range);
    if (problem !== undefined) report(childAt(at, "semver"), problem);
    if (range === undefined || problem !== undefined || prereleases === undefined) return undefined;
    return misplaced.length > 0 ? undefined : { kind: "semver", range, prereleases };
  }
  const pattern = checkString(fields.regex, childAt(at, "regex"));
  const problem = pattern === undefined ? undefined : tagPatternProblem(pattern);
  if (problem !== undefined) report(childAt(at, "regex"), problem);
  let order: TagOrder | undefined;
  if (fields.order === undefined) {
    report(
      childAt(at, "order"),
      "required with regex: numerical or alphabetical, which says which tag is newest",
    );
  } else order = checkChoice(fields.order, childAt(at, "order"), TAG_ORDERS);
  if (pattern === undefined || problem !== undefined || order === undefined) return undefined;
  return misplaced.length > 0 ? undefined : { kind: "regex", pattern, order };
}

/**
 * Whether `cr`'s image is resolved to a digest, and how: when the stack's `imageRefresh` is
 * enabled, the CR's `integrations.wso2.com/image-refresh` annotation is not `"false"`, and the
 * image is not already pinned by digest (`repo@sha256:...`, used as is). An annotation value
 * other than `"true"` or `"false"` is an error. The tag policy is the integration's override's
 * (`override`, from the stack file's `integrations`), else the stack's.
 */
export function resolveImageRefresh(
  cr: IntegrationCR,
  settings: ImageRefreshSettings | undefined,
  problems: Problems,
  override?: IntegrationImageRefresh,
): ResolvedImageRefresh | undefined {
  const optIn = cr.metadata.annotations?.[IMAGE_REFRESH_ANNOTATION];
  if (optIn !== undefined && optIn !== "true" && optIn !== "false") {
    problems.error(
      cr.source,
      childPath("metadata.annotations", IMAGE_REFRESH_ANNOTATION),
      `expected "true" or "false", got ${quote(optIn)}; "false" keeps this CR's image ` +
        "tag as written when the stack refreshes images",
    );
    return undefined;
  }
  if (
    settings?.enabled !== true ||
    optIn === "false" ||
    pinnedDigest(cr.spec.image) !== undefined
  ) {
    return undefined;
  }
  const refresh: ResolvedImageRefresh = {
    mode: settings.mode,
    onUnreachable: settings.onUnreachable,
    insecureRegistries: [...settings.insecureRegistries],
  };
  if (settings.timeoutSeconds !== undefined) refresh.timeoutSeconds = settings.timeoutSeconds;
  const policy = override?.policy ?? settings.policy;
  if (policy !== undefined && policy.kind !== "digest") refresh.policy = policy;
  return refresh;
}

/** The integrations of `stack` whose tag is resolved to a digest. */
export function refreshingIntegrations(stack: ResolvedStack): ResolvedIntegration[] {
  return stack.integrations.filter((i) => i.imageRefresh !== undefined);
}
