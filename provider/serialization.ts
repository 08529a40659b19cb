/**
 * A dynamic provider's round trip as the engine makes it: `pulumi.dynamic.Resource` serializes the
 * provider object into the state, and the engine's dynamic-provider host loads that text with
 * `require-from-string` in another process. `render --resolve-images` and the tests use both
 * halves, so that they run the very code `pulumi up` runs.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";

/** A provider's serialized text, as it is stored in the state under `__provider`. */
export interface SerializedProvider {
  text: string;
  /** Whether a secret was captured; the engine would then store the text as a secret. */
  containsSecrets: boolean;
}

/** Serializes `provider` exactly as `pulumi.dynamic.Resource` does. */
export async function serializeProvider(provider: object): Promise<SerializedProvider> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, {
    allowSecrets: true,
  });
  return { text: serialized.text, containsSecrets: serialized.containsSecrets };
}

/**
 * Loads a serialized provider as the engine's dynamic-provider host does: the module text through
 * the `require-from-string` that `@pulumi/pulumi` uses, then its `handler()`. Relative `require`s
 * inside the methods resolve from the working directory, as in the engine.
 */
export function loadSerializedProvider<P extends object>(text: string): P {
  const requireFromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
  const requireFromString = requireFromPulumi("require-from-string") as (code: string) => {
    handler: () => P;
  };
  return requireFromString(text).handler();
}

/** The stack's config map as the engine hands it to a dynamic provider's `configure`. */
export function providerConfig(
  config: Record<string, string>,
  project: string,
): pulumi.dynamic.Config {
  const get = (key: string): string | undefined =>
    config[key.includes(":") ? key : `${project}:${key}`];
  return {
    get,
    require(key) {
      const value = get(key);
      if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
      return value;
    },
  };
}
