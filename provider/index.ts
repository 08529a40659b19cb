/**
 * Image refresh: the `ImageDigest` dynamic resource and its provider, the offline pinning
 * `render --resolve-images` uses, and the registry client they run.
 *
 * ```ts
 * import { ImageDigest } from "./provider";
 * const hello = new ImageDigest("apps/hello-image", {
 *   image: "registry.example.com/team/hello:1.0.0",
 *   refresh: { mode: "digest", onUnreachable: "fail", insecureRegistries: [] },
 * });
 * export const pinned = hello.pinned; // registry.example.com/team/hello@sha256:...
 * ```
 */
export {
  createImageDigestProvider,
  IMAGE_DIGEST_TYPE,
  ImageDigest,
  imageDigestInputs,
  imageDigestProvider,
  loadRegistryClient,
  UNKNOWN_VALUE,
  type ImageDigestArgs,
  type ImageDigestInputs,
  type ImageDigestOutputs,
  type ImageDigestProvider,
  type RegistryClientModule,
} from "./imageDigest";
export { refreshingIntegrations, resolveStackImages, type PinOptions } from "./pinImages";
export {
  loadSerializedProvider,
  providerConfig,
  serializeProvider,
  type SerializedProvider,
} from "./serialization";
export {
  formatPinned,
  parseImageReference,
  type ImageReference,
} from "../components/model/rules/imageReference";
export {
  RegistryClient,
  RegistryError,
  resolveDigest,
  type RegistryCredentials,
  type RegistryErrorKind,
  type Resolved,
  type ResolveOptions,
} from "./registry/client";
