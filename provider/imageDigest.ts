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
 * image, or the pinned reference's form) differs from the state's; `read` resolves again for `pulumi refresh`.
 *
 * With a `policy` (semver or regex), the tag resolved is the newest of the repository's tags the
 * policy deploys, and `tag` names it. With a `lock` (the stack's image lock), no method but
 * `create` and `update` asks a registry: `check`, `diff` and `read` take the locked digest as it
 * is, and `create` / `update` check that the registry still holds it before the outputs (and so
 * the Deployment) take it; a missing digest fails the update, and nothing rolls out.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { OnUnreachable, ResolvedImageRefresh, TagPolicy } from "../components/model/types";
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
  /** How the tag is chosen, when not as written. Default: the tag as written. */
  policy?: Exclude<TagPolicy, { kind: "digest" }>;
  /**
   * The stack's image lock for `image`: deployed as it is, with no registry asked at preview;
   * `create` and `update` check that the registry still holds `digest`. Default: none.
   */
  lock?: LockedInput;
  /** Set by `check`: the digest the registry serves for `image`. */
  digest?: string;
  /** Set by `check`: `registry/repo@sha256:...`; an image the CR already pins, as written. */
  pinned?: string;
  /** Set by `check` with a `policy`: the tag it chose. */
  tag?: string;
}

/** An image lock's entry as the provider takes it: the tag, its digest, the pinned reference. */
export interface LockedInput {
  tag: string;
  digest: string;
  pinned: string;
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
  Pick<typeof import("../components/model/rules/imageReference"), "readImageReference"> &
  Partial<Pick<typeof import("./registry/client"), "resolveByPolicy" | "verifyDigest">>;

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
  if (refresh.policy !== undefined) inputs.policy = structuredClone(refresh.policy);
  if (refresh.locked !== undefined) inputs.lock = { ...refresh.locked };
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
    const policy = from.policy;
    if (policy?.kind === "semver" || policy?.kind === "regex") inputs.policy = { ...policy };
    const lock = from.lock;
    if (
      typeof lock?.tag === "string" &&
      typeof lock.digest === "string" &&
      typeof lock.pinned === "string"
    ) {
      inputs.lock = { tag: lock.tag, digest: lock.digest, pinned: lock.pinned };
    }
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
      // Shown only when it holds no login (the problem then says so), at most 60 characters.
      const login = reading.problem.startsWith("it holds a login");
      const cut =
        image.length > 60
          ? `${JSON.stringify(image.slice(0, 60))}... (${image.length} characters)`
          : JSON.stringify(image);
      throw failure(`Invalid image reference${login ? "" : ` ${cut}`}: ${reading.problem}.`);
    }
    const { digest } = reading.reference;
    return digest === undefined ? undefined : { digest, pinned: image };
  };
  /** The client's options for `inputs`: credentials from `configure`, the non-secret settings. */
  const clientOptions = (settings: ProviderSettings, inputs: ImageDigestInputs): ResolveOptions => {
    const options: ResolveOptions = {};
    if (settings.dockerConfig !== undefined) options.dockerConfig = settings.dockerConfig;
    if (settings.credentials !== undefined) options.credentials = settings.credentials;
    if (inputs.insecureRegistries !== undefined) {
      options.insecureRegistries = inputs.insecureRegistries;
    }
    if (inputs.timeoutMs !== undefined) options.timeoutMs = inputs.timeoutMs;
    return options;
  };
  /**
   * The locked digest of `inputs`, once the registry has said it still holds it; when the
   * registry cannot be reached and the inputs say `keep`, what `olds` deployed (same image), with
   * a warning. A digest the registry does not hold is an error saying nothing rolled out.
   */
  const verifyOrKeep = async (
    settings: ProviderSettings,
    inputs: ImageDigestInputs & { lock: LockedInput },
    olds: Partial<ImageDigestOutputs> | undefined,
  ): Promise<{ resolved: Resolved; lock: LockedInput | undefined }> => {
    const { lock } = inputs;
    const locked: Resolved = { digest: lock.digest, pinned: lock.pinned };
    if (inputs.policy !== undefined) locked.tag = lock.tag;
    try {
      const client = loadClient();
      if (client.verifyDigest === undefined) throw new Error("the client has no verifyDigest");
      await client.verifyDigest(inputs.image, lock.digest, clientOptions(settings, inputs));
      return { resolved: locked, lock };
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
          `${reasonOf(inputs.image, error)}; the image lock's ${lock.digest} could not be ` +
            `checked, so the digest deployed before, ${olds.digest}, stays ` +
            "(imageRefresh.onUnreachable: keep)",
        );
        const kept: Resolved = { digest: olds.digest, pinned: olds.pinned };
        if (typeof olds.tag === "string") kept.tag = olds.tag;
        return { resolved: kept, lock: olds.lock };
      }
      if (error.kind === "not-found") {
        throw failure(
          `${inputs.image}: the image lock's digest ${lock.digest} (tag ${lock.tag}) is not in ` +
            "its registry any more (deleted, or never pushed there). Nothing was rolled out; " +
            "move the lock to a digest the registry holds with " +
            "`npm run images -- --stack <stack> --update` and review that change",
        );
      }
      throw failure(
        `${reasonOf(inputs.image, error)} (checking the image lock's digest ${lock.digest}; ` +
          "nothing was rolled out)",
      );
    }
  };
  const lookup = async (
    settings: ProviderSettings,
    inputs: ImageDigestInputs,
  ): Promise<Resolved> => {
    const pinned = alreadyPinned(inputs.image);
    if (pinned !== undefined) return pinned;
    const options = clientOptions(settings, inputs);
    if (inputs.policy !== undefined) {
      const client = loadClient();
      if (client.resolveByPolicy === undefined)
        throw new Error("the client has no resolveByPolicy");
      const chosen = await client.resolveByPolicy(inputs.image, inputs.policy, options);
      return { digest: chosen.digest, pinned: chosen.pinned, tag: chosen.tag };
    }
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
        const kept: Resolved = { digest: olds.digest, pinned: olds.pinned };
        if (typeof olds.tag === "string") kept.tag = olds.tag;
        return kept;
      }
      throw failure(reasonOf(inputs.image, error));
    }
  };
  const outputs = (inputs: ImageDigestInputs, resolved: Resolved): ImageDigestOutputs => {
    const outs: ImageDigestOutputs = {
      ...ownInputs(inputs),
      digest: resolved.digest,
      pinned: resolved.pinned,
    };
    if (resolved.tag !== undefined) outs.tag = resolved.tag;
    return outs;
  };
  const checked = (inputs: ImageDigestInputs): Resolved | undefined => {
    if (typeof inputs.digest !== "string" || typeof inputs.pinned !== "string") return undefined;
    const resolved: Resolved = { digest: inputs.digest, pinned: inputs.pinned };
    if (typeof inputs.tag === "string") resolved.tag = inputs.tag;
    return resolved;
  };
  /** What a lock deploys, as `check` adds it to the inputs: no registry asked. */
  const fromLock = (lock: LockedInput, policy: ImageDigestInputs["policy"]): Resolved => {
    const resolved: Resolved = { digest: lock.digest, pinned: lock.pinned };
    if (policy !== undefined) resolved.tag = lock.tag;
    return resolved;
  };
  const withResolved = (inputs: ImageDigestInputs, resolved: Resolved): ImageDigestInputs => {
    const out: ImageDigestInputs = { ...inputs, digest: resolved.digest, pinned: resolved.pinned };
    if (resolved.tag !== undefined) out.tag = resolved.tag;
    return out;
  };
  /** Whether the state was made from another lock than `news` holds (or from none). */
  const lockChanged = (olds: Partial<ImageDigestInputs>, news: ImageDigestInputs): boolean =>
    JSON.stringify(ownInputs(olds).lock ?? null) !== JSON.stringify(ownInputs(news).lock ?? null);

  return {
    settings: {},

    configure(req) {
      this.settings = providerSettings(req.config);
      return Promise.resolve();
    },

    async check(olds, news) {
      if (isUnknown(news.image)) return { inputs: news };
      const inputs = ownInputs(news);
      if (inputs.lock !== undefined) {
        return { inputs: withResolved(inputs, fromLock(inputs.lock, inputs.policy)) };
      }
      try {
        const resolved = await resolveOrKeep(this.settings, inputs, olds);
        return { inputs: withResolved(inputs, resolved) };
      } catch (error) {
        if (!(error instanceof Error) || error.name !== "ImageDigestError") throw error;
        return { failures: [{ property: "image", reason: error.message }] };
      }
    },

    async diff(_id, olds, news) {
      if (isUnknown(news.image)) return { changes: true };
      if (news.image !== olds.image) return { changes: true, replaces: ["image"] };
      const own = ownInputs(news);
      const resolved =
        checked(news) ??
        (own.lock !== undefined
          ? fromLock(own.lock, own.policy)
          : await resolveOrKeep(this.settings, own, olds));
      return {
        changes:
          resolved.digest !== olds.digest ||
          // The pinned reference too: one pinned before it kept its tag (`repo@sha256:...`) is
          // updated once to `repo:tag@sha256:...`, a rolling update to the same image.
          resolved.pinned !== olds.pinned ||
          (resolved.tag ?? null) !== (olds.tag ?? null) ||
          lockChanged(olds, news),
      };
    },

    async create(inputs) {
      const own = ownInputs(inputs);
      if (own.lock !== undefined) {
        const { resolved } = await verifyOrKeep(
          this.settings,
          { ...own, lock: own.lock },
          undefined,
        );
        return { id: inputs.image, outs: outputs(own, resolved) };
      }
      const resolved = checked(inputs) ?? (await resolveOrKeep(this.settings, inputs, undefined));
      return { id: inputs.image, outs: outputs(inputs, resolved) };
    },

    async read(id, props) {
      // A locked image's state is what the lock deployed: `pulumi refresh` asks no registry.
      if (props !== undefined && ownInputs(props).lock !== undefined) return { id, props };
      const inputs = ownInputs({ ...props, image: props?.image ?? id });
      const resolved = await resolveOrKeep(this.settings, inputs, props);
      return { id, props: outputs(inputs, resolved) };
    },

    async update(_id, olds, news) {
      const own = ownInputs(news);
      if (own.lock !== undefined) {
        const verified = await verifyOrKeep(this.settings, { ...own, lock: own.lock }, olds);
        const outs = outputs({ ...own, lock: verified.lock }, verified.resolved);
        if (verified.lock === undefined) delete outs.lock;
        return { outs };
      }
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
  const client = require(path.resolve(CLIENT_MODULE)) as RegistryClientModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readImageReference } = require(path.resolve(REFERENCE_MODULE)) as RegistryClientModule;
  const { resolveDigest, resolveByPolicy, verifyDigest } = client;
  return { resolveDigest, readImageReference, resolveByPolicy, verifyDigest };
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
  /** The tag a policy chose; undefined without a policy. */
  declare readonly tag: pulumi.Output<string | undefined>;

  constructor(name: string, args: ImageDigestArgs, opts?: pulumi.CustomResourceOptions) {
    const settings = imageDigestInputs("", args.refresh);
    // A locked image's answer is known now: the inputs carry it, as `check` would add it.
    const { lock, policy } = settings;
    super(
      imageDigestProvider,
      name,
      {
        ...settings,
        image: args.image,
        digest: lock?.digest,
        pinned: lock?.pinned,
        tag: policy === undefined ? undefined : lock?.tag,
      },
      opts,
      IMAGE_DIGEST_MODULE,
      IMAGE_DIGEST_TYPE_NAME,
    );
  }
}
