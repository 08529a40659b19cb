/**
 * Pushes small images with the OCI distribution API (blob upload POST then PUT with the digest,
 * then PUT of the manifest): a Docker v2 manifest, an OCI manifest, an OCI index or a Docker
 * manifest list (whose platform manifests are pushed first, by digest).
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import { gzipSync } from "node:zlib";

/** The kind of manifest a tag points at. */
export type ImageKind = "docker" | "oci" | "oci-index" | "docker-list";

/** Where to push: a registry host and how to authorise pushes. */
export interface PushTarget {
  /** `host:port`, reached over plain HTTP. */
  host: string;
  /** An Authorization header that may push to `repository`, if the registry needs one. */
  pushAuthorization(repository: string): string | undefined;
}

/** What was pushed. */
export interface Pushed {
  /** The digest of the manifest (or index) the tag now points at, computed here from its bytes. */
  digest: string;
  mediaType: string;
  /** The platform manifests of an index or list. */
  children: string[];
}

const MEDIA_TYPES: Record<ImageKind, string> = {
  docker: "application/vnd.docker.distribution.manifest.v2+json",
  oci: "application/vnd.oci.image.manifest.v1+json",
  "oci-index": "application/vnd.oci.image.index.v1+json",
  "docker-list": "application/vnd.docker.distribution.manifest.list.v2+json",
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The sha256 digest of `data`. */
export function sha256(data: Buffer | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

function request(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

class Pusher {
  constructor(
    private readonly target: PushTarget,
    private readonly repository: string,
  ) {}

  private headers(extra: Record<string, string>): Record<string, string> {
    const authorization = this.target.pushAuthorization(this.repository);
    return authorization === undefined ? extra : { ...extra, Authorization: authorization };
  }

  private url(pathAndQuery: string): URL {
    return new URL(`http://${this.target.host}/v2/${this.repository}/${pathAndQuery}`);
  }

  private expect(answer: Answer, status: number, what: string): void {
    if (answer.status !== status) {
      throw new Error(
        `push ${what} to ${this.target.host}/${this.repository}: ${answer.status} ${answer.body}`,
      );
    }
  }

  async blob(data: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha256(data);
    const started = await request(
      this.url("blobs/uploads/"),
      "POST",
      this.headers({ "Content-Length": "0" }),
    );
    this.expect(started, 202, "blob upload start");
    const location = new URL(String(started.headers.location), this.url(""));
    location.searchParams.set("digest", digest);
    const headers = this.headers({
      "Content-Type": "application/octet-stream",
      "Content-Length": String(data.length),
    });
    this.expect(await request(location, "PUT", headers, data), 201, "blob");
    return { digest, size: data.length };
  }

  /** Puts `manifest` under `tag`, or under its own digest when `tag` is undefined. */
  async manifest(
    tag: string | undefined,
    mediaType: string,
    manifest: unknown,
  ): Promise<{ digest: string; size: number }> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = sha256(bytes);
    const headers = this.headers({
      "Content-Type": mediaType,
      "Content-Length": String(bytes.length),
    });
    const answer = await request(this.url(`manifests/${tag ?? digest}`), "PUT", headers, bytes);
    this.expect(answer, 201, "manifest");
    if (answer.headers["docker-content-digest"] !== digest) {
      throw new Error(
        `the registry stored manifest ${digest} as ${String(answer.headers["docker-content-digest"])}`,
      );
    }
    return { digest, size: bytes.length };
  }

  /** A one-layer image manifest, Docker v2 or OCI, whose config holds `seed`. */
  async image(
    oci: boolean,
    seed: string,
    architecture: string,
    tag: string | undefined,
  ): Promise<{ digest: string; size: number }> {
    const layerContent = Buffer.from(`layer ${seed} ${architecture}\n`);
    const layer = await this.blob(gzipSync(layerContent));
    const config = await this.blob(
      Buffer.from(
        JSON.stringify({
          architecture,
          os: "linux",
          config: { Labels: { seed } },
          rootfs: { type: "layers", diff_ids: [sha256(layerContent)] },
        }),
      ),
    );
    const mediaType = MEDIA_TYPES[oci ? "oci" : "docker"];
    return this.manifest(tag, mediaType, {
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: oci
          ? "application/vnd.oci.image.config.v1+json"
          : "application/vnd.docker.container.image.v1+json",
        ...config,
      },
      layers: [
        {
          mediaType: oci
            ? "application/vnd.oci.image.layer.v1.tar+gzip"
            : "application/vnd.docker.image.rootfs.diff.tar.gzip",
          ...layer,
        },
      ],
    });
  }
}

/**
 * Pushes an image of `kind` to `target` as `repository:tag`. A different `seed` gives different
 * config blobs, so a re-push with a new seed moves the tag to a new digest; the same seed gives
 * the same digest again.
 */
export async function pushImage(
  target: PushTarget,
  repository: string,
  tag: string,
  kind: ImageKind = "docker",
  seed = "1",
): Promise<Pushed> {
  const pusher = new Pusher(target, repository);
  const mediaType = MEDIA_TYPES[kind];
  if (kind === "docker" || kind === "oci") {
    const { digest } = await pusher.image(kind === "oci", seed, "amd64", tag);
    return { digest, mediaType, children: [] };
  }
  const oci = kind === "oci-index";
  const platforms = ["amd64", "arm64"];
  const children = [];
  for (const architecture of platforms) {
    const child = await pusher.image(oci, seed, architecture, undefined);
    children.push({ ...child, architecture });
  }
  const { digest } = await pusher.manifest(tag, mediaType, {
    schemaVersion: 2,
    mediaType,
    manifests: children.map((child) => ({
      mediaType: MEDIA_TYPES[oci ? "oci" : "docker"],
      digest: child.digest,
      size: child.size,
      platform: { architecture: child.architecture, os: "linux" },
    })),
  });
  return { digest, mediaType, children: children.map((child) => child.digest) };
}

/**
 * Deletes the manifest `digest` of `repository` (`DELETE /v2/<name>/manifests/<digest>`; the
 * test registry allows deletes): every tag that pointed at it is gone too.
 */
export async function deleteManifest(
  target: PushTarget,
  repository: string,
  digest: string,
): Promise<void> {
  const authorization = target.pushAuthorization(repository);
  const answer = await request(
    new URL(`http://${target.host}/v2/${repository}/manifests/${digest}`),
    "DELETE",
    authorization === undefined ? {} : { Authorization: authorization },
  );
  if (answer.status !== 202) {
    throw new Error(`delete ${repository}@${digest}: ${answer.status} ${answer.body}`);
  }
}
