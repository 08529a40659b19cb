/**
 * Pins a resolved stack's images offline (`render --resolve-images`) with the provider `pulumi up`
 * runs, loaded from its serialized form and called as the engine calls it for a new resource:
 * `configure`, `check`, `create`. An image the stack's lock holds is not resolved again: `create`
 * checks that its registry still holds the locked digest.
 */
import { refreshingIntegrations } from "../components/model/settings/imageRefresh";
import { InputError, Problems } from "../components/model/problems";
import type {
  ImageDigestValue,
  ResolvedIntegration,
  ResolvedStack,
} from "../components/model/types";
import {
  imageDigestInputs,
  imageDigestProvider,
  type ImageDigestInputs,
  type ImageDigestProvider,
} from "./imageDigest";
import { mapLimited } from "./registry/concurrency";
import { loadSerializedProvider, providerConfig, serializeProvider } from "./serialization";

export { refreshingIntegrations };

/** Options of {@link resolveStackImages}. */
export interface PinOptions {
  /** The project's name: the namespace of the config keys the provider reads. */
  project: string;
  /** The stack's config map (secrets left out), as `configure` receives it. Default: empty. */
  config?: Record<string, string>;
  /** A Docker config file (absolute), overriding the stack's `imageRefresh.dockerConfig`. */
  dockerConfig?: string;
  /** The provider to round-trip. Default: the one every `ImageDigest` uses. */
  provider?: ImageDigestProvider;
  /** Lookups under way at once. Default: 8. */
  concurrency?: number;
}

/**
 * The resolved image of every integration of `stack` that refreshes it, keyed `NS/N`, for
 * `buildStackObjects`. Each distinct image and settings is looked up once. A lookup that fails is
 * an `InputError` naming, at each CR's `spec.image`, the image, the registry and what went wrong;
 * then nothing is pinned.
 */
export async function resolveStackImages(
  stack: ResolvedStack,
  options: PinOptions,
): Promise<Map<string, ImageDigestValue>> {
  const digests = new Map<string, ImageDigestValue>();
  const refreshing = refreshingIntegrations(stack);
  if (refreshing.length === 0) return digests;
  const { text } = await serializeProvider(options.provider ?? imageDigestProvider);
  const provider = loadSerializedProvider<ImageDigestProvider>(text);
  const config = { ...(options.config ?? {}) };
  if (options.dockerConfig !== undefined) {
    const key = `${options.project}:imageRefresh`;
    const refresh = config[key] === undefined ? {} : (JSON.parse(config[key]) as object);
    config[key] = JSON.stringify({ ...refresh, dockerConfig: options.dockerConfig });
  }
  await provider.configure({ config: providerConfig(config, options.project) });

  const inputsOf = new Map<ResolvedIntegration, string>();
  const distinct = new Map<string, ImageDigestInputs>();
  for (const integration of refreshing) {
    const refresh = integration.imageRefresh;
    if (refresh === undefined) continue;
    const inputs = imageDigestInputs(integration.image, refresh);
    const key = JSON.stringify(inputs);
    inputsOf.set(integration, key);
    distinct.set(key, inputs);
  }
  const results = await mapLimited(
    [...distinct],
    options.concurrency ?? 8,
    async ([key, inputs]) => {
      const checked = await provider.check({}, inputs);
      if (checked.failures !== undefined && checked.failures.length > 0) {
        return { key, failure: checked.failures.map((f) => f.reason).join("; ") };
      }
      let created;
      try {
        created = await provider.create(checked.inputs ?? inputs);
      } catch (error) {
        // A locked digest is checked in create, as at `pulumi up`: its failure is the user's.
        if (!(error instanceof Error) || error.name !== "ImageDigestError") throw error;
        return { key, failure: error.message };
      }
      const outs = created.outs;
      if (outs === undefined)
        throw new Error(`the provider returned no digest for ${inputs.image}`);
      return { key, value: { digest: outs.digest, pinned: outs.pinned } };
    },
  );

  const problems = new Problems();
  const values = new Map<string, ImageDigestValue>();
  const failures = new Map<string, string>();
  for (const result of results) {
    if (result.value !== undefined) values.set(result.key, result.value);
    else failures.set(result.key, result.failure);
  }
  for (const integration of refreshing) {
    const failure = failures.get(inputsOf.get(integration) ?? "");
    if (failure !== undefined) problems.error(integration.source, "spec.image", failure);
  }
  if (problems.hasErrors) throw new InputError(problems.list);
  for (const integration of refreshing) {
    const value = values.get(inputsOf.get(integration) ?? "");
    if (value !== undefined) digests.set(`${integration.namespace}/${integration.name}`, value);
  }
  return digests;
}
