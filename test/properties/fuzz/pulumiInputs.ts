/**
 * The Pulumi-facing end of the fuzz pipeline: each Deployment as the `Integration` component hands
 * it to its resource (`buildIntegrationObjects`, then `secretInputs`), without and with an image digest (as Outputs), and the check that the inputs,
 * Outputs resolved and secrets unwrapped, are the built object, with exactly the values whose
 * names look secret as Pulumi secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "node:util";
import {
  type KubeObject,
  type StackObjects,
  buildIntegrationObjects,
  buildStackObjects,
} from "../../../components/builders";
import { looksSecret } from "../../../components/model/rules";
import type { ImageDigestValue, ResolvedStack } from "../../../components/model/types";
import { secretInputs } from "../../../components/secretInputs";

/** One Deployment's resource inputs and the object they must resolve to. */
export interface DeploymentInputsCase {
  /** `namespace/name`, and whether the digest was given. */
  title: string;
  inputs: unknown;
  expected: KubeObject;
  /** The Outputs given for the digest, which must sit where `expected` holds their values. */
  digest?: ImageDigestValue;
}

/**
 * The lists of `{name, value}` whose values must be secrets when the name looks secret: a
 * container's env and a probe's HTTP headers.
 */
const NAMED_VALUE_LISTS = new Set(["env", "httpHeaders"]);

/**
 * Every Deployment of `resolved`, as the program registers it: built once without and once with
 * the digest Outputs (`digestOf` the image), then `secretInputs`; `pinned` is the stack built with
 * the digests as strings, whose Deployments the inputs with the digest must resolve to. Throws
 * what the builders throw.
 */
export function deploymentInputsCases(
  resolved: ResolvedStack,
  pinned: StackObjects,
  digestOf: (image: string) => ImageDigestValue,
): DeploymentInputsCase[] {
  const skipAwait = resolved.kubernetes?.skipAwait === true;
  return buildStackObjects(resolved).integrations.flatMap(({ integration, objects }, i) => {
    const name = `${integration.namespace}/${integration.name}`;
    const digest = digestOf(integration.image);
    const outputs = { digest: pulumi.output(digest.digest), pinned: pulumi.output(digest.pinned) };
    return [
      {
        title: `${name} without a digest`,
        inputs: secretInputs(objects.deployment),
        expected: objects.deployment,
      },
      {
        title: `${name} with a digest`,
        inputs: secretInputs(
          buildIntegrationObjects(integration, { skipAwait, digest: outputs }).deployment,
        ),
        expected: pinned.integrations[i].objects.deployment,
        digest,
      },
    ];
  });
}

/** What resolving inputs found: the plain value, and the paths of its Outputs and secrets. */
interface Resolved {
  value: unknown;
  outputs: string[];
  secrets: string[];
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

async function resolveAt(value: unknown, at: string, found: Resolved): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const [plain, secret] = await Promise.all([valueOf(value), pulumi.isSecret(value)]);
    found.outputs.push(at);
    if (secret) found.secrets.push(at);
    return resolveAt(plain, at, found);
  }
  if (Array.isArray(value)) {
    return Promise.all(value.map((item, i) => resolveAt(item, `${at}[${i}]`, found)));
  }
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = await resolveAt(field, `${at}.${key}`, found);
  }
  return out;
}

/** `inputs` with every Output resolved (secrets unwrapped), and where Outputs and secrets were. */
export async function resolveInputs(inputs: unknown): Promise<Resolved> {
  const found: Resolved = { value: undefined, outputs: [], secrets: [] };
  found.value = await resolveAt(inputs, "", found);
  return found;
}

/** The paths of `object`'s values that must be secrets: in {@link NAMED_VALUE_LISTS}, name secret. */
export function secretPaths(object: unknown, at = ""): string[] {
  if (Array.isArray(object)) return object.flatMap((item, i) => secretPaths(item, `${at}[${i}]`));
  if (object === null || typeof object !== "object") return [];
  return Object.entries(object).flatMap(([key, field]): string[] => {
    const here = `${at}.${key}`;
    if (!NAMED_VALUE_LISTS.has(key) || !Array.isArray(field)) return secretPaths(field, here);
    return field.flatMap((item: unknown, i) => {
      const { name, value } = (item ?? {}) as { name?: unknown; value?: unknown };
      const secret = typeof name === "string" && typeof value === "string" && looksSecret(name);
      return [...(secret ? [`${here}[${i}].value`] : []), ...secretPaths(item, `${here}[${i}]`)];
    });
  });
}

/** The paths of `object`'s strings equal to one of `values`. */
function pathsOf(object: unknown, values: readonly string[], at = ""): string[] {
  if (typeof object === "string") return values.includes(object) ? [at] : [];
  if (Array.isArray(object))
    return object.flatMap((item, i) => pathsOf(item, values, `${at}[${i}]`));
  if (object === null || typeof object !== "object") return [];
  return Object.entries(object).flatMap(([key, field]) => pathsOf(field, values, `${at}.${key}`));
}

/** What resolving one case's inputs showed, for the properties' counts. */
export interface InputsSeen {
  /** Secret Outputs found. */
  secrets: number;
  /** Outputs that carried the digest. */
  digests: number;
}

/**
 * Every way `c`'s inputs break the contract: resolved, they must deep-equal the built object;
 * the values whose names look secret must be secret Outputs and nothing else a secret; with a
 * digest, the Outputs must sit exactly where the built object holds the digest or pinned image.
 */
export async function inputsViolations(
  c: DeploymentInputsCase,
  seen: InputsSeen,
): Promise<string[]> {
  const out: string[] = [];
  const resolved = await resolveInputs(c.inputs);
  const expected = JSON.parse(JSON.stringify(c.expected)) as unknown;
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(resolved.value)), expected)) {
    out.push(
      `${c.title}: the inputs resolve to ${JSON.stringify(resolved.value)}, ` +
        `not to the built ${JSON.stringify(expected)}`,
    );
  }
  const secrets = secretPaths(expected).sort();
  if (!isDeepStrictEqual([...resolved.secrets].sort(), secrets)) {
    out.push(
      `${c.title}: secrets at ${JSON.stringify(resolved.secrets)}, not at ${JSON.stringify(secrets)}`,
    );
  }
  const digests =
    c.digest === undefined ? [] : pathsOf(expected, [c.digest.digest, c.digest.pinned]);
  const outputs = [...secrets, ...digests].sort();
  if (!isDeepStrictEqual([...resolved.outputs].sort(), outputs)) {
    out.push(
      `${c.title}: Outputs at ${JSON.stringify(resolved.outputs)}, not at ${JSON.stringify(outputs)}`,
    );
  }
  seen.secrets += resolved.secrets.length;
  seen.digests += resolved.outputs.length - resolved.secrets.length;
  return out;
}
