/**
 * The floor for image resolution: a minimal client that sends one bare HEAD per image
 * (`/v2/<repository>/manifests/<tag>` with the four manifest media types) over keep-alive
 * connections, as many at once as the registry client allows per registry, and reads
 * `Docker-Content-Digest`. No auth, no retries, no parsing beyond `host/repository:tag`.
 */
import * as http from "node:http";
import { MANIFEST_MEDIA_TYPES } from "../../provider/registry/client";

/** Requests at once per registry in the floor: the registry client's own limit. */
export const FLOOR_CONCURRENCY = 8;

/** Resolves every `host/repository:tag` in `images` to its digest, `concurrency` at a time. */
export async function bareHeadDigests(
  images: readonly string[],
  concurrency: number,
): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const accept = MANIFEST_MEDIA_TYPES.join(", ");
  try {
    return await Promise.all(
      images.map(
        (image) =>
          new Promise<string>((resolve, reject) => {
            const slash = image.indexOf("/");
            const colon = image.lastIndexOf(":");
            const host = image.slice(0, slash);
            const url = `http://${host}/v2/${image.slice(slash + 1, colon)}/manifests/${image.slice(colon + 1)}`;
            const request = http.request(
              url,
              { method: "HEAD", agent, headers: { accept } },
              (response) => {
                response.resume();
                const digest = response.headers["docker-content-digest"];
                if (response.statusCode !== 200 || typeof digest !== "string") {
                  reject(new Error(`HEAD ${url}: ${response.statusCode}`));
                } else {
                  resolve(digest);
                }
              },
            );
            request.on("error", reject);
            request.end();
          }),
      ),
    );
  } finally {
    agent.destroy();
  }
}
