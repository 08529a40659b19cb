/**
 * The image lock applied to a resolved stack: each integration that refreshes its image and whose
 * image the lock holds (with a tag its policy may deploy) gets `imageRefresh.locked`, which the
 * builders place and the provider takes without asking a registry at preview.
 */
import type { Problems, Source } from "../problems";
import { childPath } from "../rules";
import { formatPinned, readImageReference } from "../rules/imageReference";
import { describeTagPolicy, tagFits } from "../rules/tagPolicy";
import type { ImageLock, ResolvedStack, StackSettings } from "../types";

/** How messages name the command that writes the lock. */
export function imagesUpdateCommand(stack: string): string {
  return `npm run images -- --stack ${stack} --update`;
}

/**
 * Applies `lock` to `stack` (in place) and records it as `stack.imageLock`. Reports, as
 * warnings, a lock the stack does not read (image refresh off) and an entry whose tag the
 * image's policy may not deploy (the image is then resolved at preview, as without a lock); as
 * notes, integrations the lock does not hold and entries no integration runs.
 */
export function applyImageLock(
  stack: ResolvedStack,
  lock: ImageLock,
  settings: StackSettings,
  problems: Problems,
): void {
  const update = imagesUpdateCommand(settings.stack);
  if (settings.imageRefresh?.enabled !== true) {
    problems.warning(
      lock.source,
      undefined,
      `is not read: the stack's imageRefresh is not enabled, so its images deploy as the CRs write them`,
    );
    return;
  }
  stack.imageLock = lock;
  const at = (reference: string): string => childPath("images", reference);
  const used = new Set<string>();
  for (const integration of stack.integrations) {
    const refresh = integration.imageRefresh;
    if (refresh === undefined) continue;
    used.add(integration.image);
    const entry = lock.images[integration.image];
    const ref = readImageReference(integration.image).reference;
    if (ref === undefined) continue;
    const where: Source = integration.source;
    if (entry === undefined) {
      problems.note(
        where,
        "spec.image",
        `${integration.image} is not in ${lock.file}: its digest is resolved at every preview ` +
          `until \`${update}\` locks it`,
      );
      continue;
    }
    const policy = refresh.policy ?? { kind: "digest" as const };
    if (!tagFits(policy, entry.tag, ref.tag ?? "latest")) {
      problems.warning(
        lock.source,
        childPath(at(integration.image), "tag"),
        `${JSON.stringify(entry.tag)} is not a tag the policy of ${integration.namespace}/` +
          `${integration.name} (${describeTagPolicy(policy)}) deploys, so the image is resolved at ` +
          `every preview until \`${update}\` locks it again`,
      );
      continue;
    }
    refresh.locked = {
      tag: entry.tag,
      digest: entry.digest,
      pinned: formatPinned({ ...ref, tag: entry.tag }, entry.digest),
    };
  }
  for (const reference of Object.keys(lock.images)) {
    if (used.has(reference)) continue;
    problems.note(
      lock.source,
      at(reference),
      `no integration of the stack refreshes this image; \`${update}\` removes it`,
    );
  }
}
