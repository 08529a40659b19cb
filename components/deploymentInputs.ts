/**
 * The Deployment as its resource's inputs: the built object, with env values and probe headers
 * whose names look secret as Pulumi secrets, and, when the image is refreshed, the digest where the object holds it.
 */
import { randomBytes } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildDeployment } from "./builders";
import { type ImageDigestValue, withImageDigest } from "./model/settings/imageRefresh";
import { NAMED_VALUE_LISTS, isMapping, looksSecret } from "./model/rules";
import type { ResolvedIntegration } from "./model/types";

/**
 * Stand-ins for the digest while the object is built, random per process so that no value read
 * from a file can be one (YAML's `"\0"` escape lets a file hold U+0000).
 */
const NONCE = randomBytes(16).toString("hex");
const DIGEST_MARK = `\u0000digest:${NONCE}\u0000`;
const PINNED_MARK = `\u0000pinned:${NONCE}\u0000`;

/**
 * The inputs of `integration`'s Deployment, `deployment` as built. Each env variable's and probe
 * header's `value` whose name looks secret (`looksSecret`) is a Pulumi secret, so that previews show `[secret]` and the
 * state encrypts it. With `image`, the fields that hold the digest (the pinned image, or the
 * pod annotation) are its Outputs, field by field: the rest of the spec stays plain, so a
 * preview diffs it field by field and a secret in it stays one field.
 */
export function deploymentInputs(
  integration: ResolvedIntegration,
  deployment: ReturnType<typeof buildDeployment>,
  image?: { [K in keyof ImageDigestValue]: pulumi.Output<ImageDigestValue[K]> },
): k8s.apps.v1.DeploymentArgs {
  if (image === undefined) return inputsOf(deployment, new Map()) as k8s.apps.v1.DeploymentArgs;
  // The digest is in the spec only: the fields a digest changes are found by building the
  // Deployment with and without marks, and set in `deployment` as given (patched, skipAwait...).
  const marked = structuredClone(deployment);
  overlayChanges(
    marked,
    buildDeployment(integration),
    buildDeployment(withImageDigest(integration, { digest: DIGEST_MARK, pinned: PINNED_MARK })),
  );
  const marks = new Map<string, pulumi.Output<string>>([
    [DIGEST_MARK, image.digest],
    [PINNED_MARK, image.pinned],
  ]);
  return inputsOf(marked, marks) as k8s.apps.v1.DeploymentArgs;
}

/**
 * Sets in `target` every value that differs from `before` to `after` (two builds of one object),
 * field by field: the image and annotation a digest changes, wherever `target` still has them.
 */
function overlayChanges(target: unknown, before: unknown, after: unknown): void {
  if (!isMapping(after) && !Array.isArray(after)) return;
  const into = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(after)) {
    const was = (before as Record<string, unknown> | undefined)?.[key];
    if (typeof value === "object" && value !== null && typeof into[key] === "object") {
      overlayChanges(into[key], was, value);
    } else if (JSON.stringify(value) !== JSON.stringify(was)) {
      into[key] = structuredClone(value);
    }
  }
}

function inputsOf(value: unknown, marks: Map<string, pulumi.Output<string>>): unknown {
  if (typeof value === "string") {
    const output = marks.get(value);
    if (output !== undefined) return output;
    if (value.includes(DIGEST_MARK) || value.includes(PINNED_MARK)) {
      throw new Error("a digest mark was built into a longer string");
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => inputsOf(item, marks));
  if (!isMapping(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      NAMED_VALUE_LISTS.includes(key) && Array.isArray(field)
        ? field.map((item) => secretNamedValue(inputsOf(item, marks)))
        : inputsOf(field, marks);
  }
  return out;
}

function secretNamedValue(item: unknown): unknown {
  if (!isMapping(item) || typeof item.name !== "string" || typeof item.value !== "string") {
    return item;
  }
  return looksSecret(item.name) ? { ...item, value: pulumi.secret(item.value) } : item;
}
