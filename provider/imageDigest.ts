/**
 * The image-refresh dynamic provider and its resource `ImageDigest`: an image tag, resolved to the
 * digest the registry serves now.
 *
 * The engine serializes the provider object into the state (`pulumi.runtime.serializeFunction`)
 * and runs it in another process, plain `node` with the project folder as working directory. So
 * the methods capture no client and no credential: they `require` the registry client when they
 * run, and take credentials from the provider's `configure` (the stack's secret
 * `registryCredentials`) or from the Docker config the client reads. Inputs, outputs and the
 * serialized text hold the image, the digest and non-secret settings only.
 *
 * `check` resolves the tag and adds `digest` and `pinned` to the inputs, so that `pulumi preview`
 * shows the new digest wherever it is used; `diff` reports a change only when that digest (or the
 * image, or the pinned reference's form) differs from the state's; `read` resolves again for
 * `pulumi refresh`.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { OnUnreachable, ResolvedImageRefresh } from "../components/model/types";
import type { RegistryCredentials, Resolved, ResolveOptions } from "./registry/client";

/** The module of the resource's type token. */
export const IMAGE_DIGEST_MODULE = "wso2";
/** The type name of the resource's type token. */
export const IMAGE_DIGEST_TYPE_NAME = "ImageDigest";
/** The resource's type token, as `pulumi preview` lists it. */
export const IMAGE_DIGEST_TYPE = `pulumi-nodejs:dynamic/${IMAGE_DIGEST_MODULE}:${IMAGE_DIGEST_TYPE_NAME}`;

/** The value the engine sends for an input not known yet (during a preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The provider's inputs: the image and non-secret settings; after `check`, the digest too. */
export interface ImageDigestInputs {
  /** The image reference as the CR names it, e.g. `registry.example.com/team/hello:1.0.0`. */
  image: string;
  /** Default: `fail`. */
  onUnreachable: OnUnreachable;
  /** Registries reached over plain HTTP. Default: none. */
  insecureRegistries?: string[];
  /** Milliseconds one registry request may take. Default: the client's. */
  timeoutMs?: number;
  /** Set by `check`: the digest the registry serves for `image`. */
  digest?: string;
  /** Set by `check`: `registry/repo@sha256:...`; an image the CR already pins, as written. */
  pinned?: string;
}

/** The provider's outputs: the inputs, with the digest and the pinned reference. */
export interface ImageDigestOutputs extends ImageDigestInputs {
  digest: string;
  pinned: string;
}

/**
 * What the provider needs of the registry code, required when a method runs: the client's
 * `resolveDigest` and the one image-reference parser, `readImageReference`.
 */
export type RegistryClientModule = Pick<typeof import("./registry/client"), "resolveDigest"> &
  Pick<typeof import("../components/model/rules/imageReference"), "readImageReference">;

/**
 * A failure the client reports for the user to fix: `RegistryError` (with `kind`) or
 * `CredentialError` (an unreadable Docker config or credential helper). Its message names the
 * image and the registry and holds no credential.
 */
interface RegistryFailure extends Error {
  kind?: string;
}

/** The names of the client's errors that are the user's to fix. */
const REGISTRY_FAILURES = ["RegistryError", "CredentialError"];

/** What `configure` found in the stack's config, kept on the deserialized provider only. */
interface ProviderSettings {
  dockerConfig?: string;
  credentials?: Record<string, RegistryCredentials>;
}

/** The provider object, with the settings `configure` stores on it. */
export interface ImageDigestProvider extends pulumi.dynamic.ResourceProvider<
  ImageDigestInputs,
  ImageDigestOutputs
> {
  settings: ProviderSettings;
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: Partial<ImageDigestInputs>, news: ImageDigestInputs): Promise<CheckResult>;
  diff(id: string, olds: ImageDigestOutputs, news: ImageDigestInputs): Promise<DiffResult>;
  create(inputs: ImageDigestInputs): Promise<CreateResult>;
  read(id: string, props?: ImageDigestOutputs): Promise<ReadResult>;
  update(id: string, olds: ImageDigestOutputs, news: ImageDigestInputs): Promise<UpdateResult>;
}
type CheckResult = pulumi.dynamic.CheckResult<ImageDigestInputs>;
type DiffResult = pulumi.dynamic.DiffResult;
type CreateResult = pulumi.dynamic.CreateResult<ImageDigestOutputs>;
type ReadResult = pulumi.dynamic.ReadResult<ImageDigestOutputs>;
type UpdateResult = pulumi.dynamic.UpdateResult<ImageDigestOutputs>;

/** The provider's inputs for `image` with an integration's image-refresh settings. */
export function imageDigestInputs(image: string, refresh: ResolvedImageRefresh): ImageDigestInputs {
  const inputs: ImageDigestInputs = { image, onUnreachable: refresh.onUnreachable };
  if (refresh.insecureRegistries.length > 0) {
    inputs.insecureRegistries = [...refresh.insecureRegistries];
  }
  if (refresh.timeoutSeconds !== undefined) inputs.timeoutMs = refresh.timeoutSeconds * 1000;
  return inputs;
}

/**
 * The provider, resolving through the client `loadClient` returns (called inside each method)
 * and reporting kept digests to `warn` (default: stderr, which the engine shows).
 */
export function createImageDigestProvider(
  loadClient: () => RegistryClientModule,
  warn: (message: string) => void = (message) => console.warn(message),
): ImageDigestProvider {
  // These helpers are captured by name, and the serializer takes a name that is also a global
  // (Node's, or a test runner's such as `describe`) to be that global: keep names unique.
  /** Only the provider's own input fields: never `__provider`, never anything else. */
  const ownInputs = (from: Partial<ImageDigestInputs>): ImageDigestInputs => {
    const inputs: ImageDigestInputs = {
      image: from.image ?? "",
      onUnreachable: from.onUnreachable === "keep" ? "keep" : "fail",
    };
    if (Array.isArray(from.insecureRegistries) && from.insecureRegistries.length > 0) {
      inputs.insecureRegistries = [...from.insecureRegistries];
    }
    if (typeof from.timeoutMs === "number") inputs.timeoutMs = from.timeoutMs;
    return inputs;
  };
  // A local copy: TypeScript's CommonJS output (ts-node's, which `pulumi up` runs) reads an
  // exported const of this module as `exports.UNKNOWN_VALUE`, which the serializer does not
  // capture, so the serialized provider would compare with `undefined` and take every unknown
  // preview value for an image. tsx's output reads the local binding, which hid this.
  const unknownValue = UNKNOWN_VALUE;
  const isUnknown = (image: unknown): boolean =>
    typeof image !== "string" || image === unknownValue;
  const isFailure = (error: unknown): error is RegistryFailure =>
    error instanceof Error && REGISTRY_FAILURES.includes(error.name);
  /** A user-facing error: the engine prints its message, and no stack trace follows it. */
  const failure = (message: string): Error => {
    const error = new Error(message);
    error.name = "ImageDigestError";
    error.stack = "";
    return error;
  };
  const reasonOf = (image: string, error: RegistryFailure): string =>
    error.message.includes(image) ? error.message : `${image}: ${error.message}`;
  /**
   * The digest of an image pinned by digest (`repo[:tag]@sha256:...`): used with no lookup, and
   * pinned as written, as the Deployment takes a pinned image when refresh is off.
   */
  const alreadyPinned = (image: string): Resolved | undefined => {
    const reading = loadClient().readImageReference(image);
    if (reading.problem !== undefined) {
      throw failure(`Invalid image reference ${JSON.stringify(image)}: ${reading.problem}.`);
    }
    const { digest } = reading.reference;
    return digest === undefined ? undefined : { digest, pinned: image };
  };
  const lookup = async (
    settings: ProviderSettings,
    inputs: ImageDigestInputs,
  ): Promise<Resolved> => {
    const pinned = alreadyPinned(inputs.image);
    if (pinned !== undefined) return pinned;
    const options: ResolveOptions = {};
    if (settings.dockerConfig !== undefined) options.dockerConfig = settings.dockerConfig;
    if (settings.credentials !== undefined) options.credentials = settings.credentials;
    if (inputs.insecureRegistries !== undefined) {
      options.insecureRegistries = inputs.insecureRegistries;
    }
    if (inputs.timeoutMs !== undefined) options.timeoutMs = inputs.timeoutMs;
    const { digest, pinned: reference } = await loadClient().resolveDigest(inputs.image, options);
    return { digest, pinned: reference };
  };
  /**
   * The registry's digest for `inputs.image`; when the registry cannot be reached and the
   * inputs say `keep`, the digest in `olds` (same image) with a warning. Registry failures
   * otherwise throw an error naming the image and the registry.
   */
  const resolveOrKeep = async (
    settings: ProviderSettings,
    inputs: ImageDigestInputs,
    olds: Partial<ImageDigestInputs> | undefined,
  ): Promise<Resolved> => {
    try {
      return await lookup(settings, inputs);
    } catch (error) {
      if (!isFailure(error)) throw error;
      const unreachable = error.kind === "unreachable" || error.kind === "timeout";
      if (
        unreachable &&
        inputs.onUnreachable === "keep" &&
        olds?.image === inputs.image &&
        typeof olds.digest === "string" &&
        typeof olds.pinned === "string"
      ) {
        warn(
          `${reasonOf(inputs.image, error)}; keeping the digest deployed before, ${olds.digest} ` +
            "(imageRefresh.onUnreachable: keep)",
        );
        return { digest: olds.digest, pinned: olds.pinned };
      }
      throw failure(reasonOf(inputs.image, error));
    }
  };
  const outputs = (inputs: ImageDigestInputs, resolved: Resolved): ImageDigestOutputs => ({
    ...ownInputs(inputs),
    digest: resolved.digest,
    pinned: resolved.pinned,
  });
  const checked = (inputs: ImageDigestInputs): Resolved | undefined =>
    typeof inputs.digest === "string" && typeof inputs.pinned === "string"
      ? { digest: inputs.digest, pinned: inputs.pinned }
      : undefined;

  return {
    settings: {},

    configure(req) {
      this.settings = providerSettings(req.config);
      return Promise.resolve();
    },

    async check(olds, news) {
      if (isUnknown(news.image)) return { inputs: news };
      const inputs = ownInputs(news);
      try {
        const resolved = await resolveOrKeep(this.settings, inputs, olds);
        return { inputs: { ...inputs, digest: resolved.digest, pinned: resolved.pinned } };
      } catch (error) {
        if (!(error instanceof Error) || error.name !== "ImageDigestError") throw error;
        return { failures: [{ property: "image", reason: error.message }] };
      }
    },

    async diff(_id, olds, news) {
      if (isUnknown(news.image)) return { changes: true };
      if (news.image !== olds.image) return { changes: true, replaces: ["image"] };
      const resolved = checked(news) ?? (await resolveOrKeep(this.settings, ownInputs(news), olds));
      // The pinned reference too: one pinned before it kept its tag (`repo@sha256:...`) is
      // updated once to `repo:tag@sha256:...`, a rolling update to the same image.
      return { changes: resolved.digest !== olds.digest || resolved.pinned !== olds.pinned };
    },

    async create(inputs) {
      const resolved = checked(inputs) ?? (await resolveOrKeep(this.settings, inputs, undefined));
      return { id: inputs.image, outs: outputs(inputs, resolved) };
    },

    async read(id, props) {
      const inputs = ownInputs({ ...props, image: props?.image ?? id });
      const resolved = await resolveOrKeep(this.settings, inputs, props);
      return { id, props: outputs(inputs, resolved) };
    },

    async update(_id, olds, news) {
      const resolved = checked(news) ?? (await resolveOrKeep(this.settings, news, olds));
      return { outs: outputs(news, resolved) };
    },
  };

  /**
   * The stack's `registryCredentials` (a secret: a JSON mapping of registry host to username and
   * password) and `imageRefresh.dockerConfig`. A malformed value is an error that never shows it.
   */
  function providerSettings(config: pulumi.dynamic.Config): ProviderSettings {
    const settings: ProviderSettings = {};
    const refresh = config.get("imageRefresh");
    if (refresh !== undefined) {
      const parsed = JSON.parse(refresh) as { dockerConfig?: unknown };
      if (typeof parsed.dockerConfig === "string") settings.dockerConfig = parsed.dockerConfig;
    }
    const secret = config.get("registryCredentials");
    if (secret !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(secret);
      } catch {
        throw failure(
          "registryCredentials is not valid JSON; expected a mapping of registry host to " +
            '{"username": "...", "password": "..."} (the value is a secret and is not shown)',
        );
      }
      settings.credentials = parsed as Record<string, RegistryCredentials>;
    }
    return settings;
  }
}

/** `provider/<parts>`, relative to the project folder the engine runs providers in. */
function projectModule(...parts: string[]): string {
  return `./${path
    .relative(process.cwd(), path.join(__dirname, ...parts))
    .split(path.sep)
    .join("/")}`;
}

/** The registry client's module. */
const CLIENT_MODULE = projectModule("registry", "client");
/** The image-reference parser's module (which the client loads too). */
const REFERENCE_MODULE = projectModule("reference");

/**
 * The registry client and the reference parser, required when a method runs. The engine's provider process is plain
 * `node`, which cannot load TypeScript: tsx (else ts-node) is registered there first.
 */
export function loadRegistryClient(): RegistryClientModule {
  if (!(".ts" in require.extensions)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require("tsx/cjs/api") as { register(): void }).register();
    } catch {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require("ts-node") as { register(o: object): void }).register({ transpileOnly: true });
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveDigest } = require(path.resolve(CLIENT_MODULE)) as RegistryClientModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readImageReference } = require(path.resolve(REFERENCE_MODULE)) as RegistryClientModule;
  return { resolveDigest, readImageReference };
}

/** The one provider every `ImageDigest` uses: serialized once, shared in the state. */
export const imageDigestProvider: ImageDigestProvider =
  createImageDigestProvider(loadRegistryClient);

/** Arguments of {@link ImageDigest}. */
export interface ImageDigestArgs {
  /** The image reference; unknown during a preview when computed from another resource. */
  image: pulumi.Input<string>;
  /** The integration's image-refresh settings. */
  refresh: ResolvedImageRefresh;
}

/**
 * An image tag resolved to the digest the registry serves (type
 * `pulumi-nodejs:dynamic/wso2:ImageDigest`). `pinned` is `repo@sha256:...`; a re-pushed tag
 * shows as a change in `pulumi preview`.
 */
export class ImageDigest extends pulumi.dynamic.Resource {
  /** The image reference as given. */
  declare readonly image: pulumi.Output<string>;
  /** `sha256:...`. */
  declare readonly digest: pulumi.Output<string>;
  /** `repo@sha256:...`. */
  declare readonly pinned: pulumi.Output<string>;

  constructor(name: string, args: ImageDigestArgs, opts?: pulumi.CustomResourceOptions) {
    const settings = imageDigestInputs("", args.refresh);
    super(
      imageDigestProvider,
      name,
      { ...settings, image: args.image, digest: undefined, pinned: undefined },
      opts,
      IMAGE_DIGEST_MODULE,
      IMAGE_DIGEST_TYPE_NAME,
    );
  }
}
