/**
 * An HTTP proxy in front of a real registry that injects faults: queued answers (429 with
 * `Retry-After`, 503, ...) for the next requests, and a `Docker-Content-Digest` header removed or
 * replaced. Every request it sees is recorded, so tests count attempts instead of timing them.
 *
 * With `tagsPageLimit`, it pages tag lists as the OCI distribution spec says and as registries
 * that paginate do (distribution 3, Docker Hub, Quay, ECR): Debian's registry (distribution
 * 2.8) ignores `?n=` and sends every tag at once, so the proxy takes that full list from it (with
 * the client's credentials), sorts it, and answers `?n=&last=` with at most `tagsPageLimit` tags
 * and a `Link: <...>; rel="next"` header while more follow.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** An answer to give instead of forwarding. */
export interface Fault {
  status: number;
  /** The reason phrase sent after the status; default Node's standard one. */
  reason?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A request the proxy saw, and what it answered. */
export interface SeenRequest {
  method: string;
  path: string;
  status: number;
}

/** A running fault-injecting proxy. */
export class FaultProxy {
  /** `<address>:<port>`. */
  host = "";
  /** Every request, in order. */
  requests: SeenRequest[] = [];
  /** Answers for the next requests, first first; requests forward once it is empty. */
  faults: Fault[] = [];
  /** Remove `Docker-Content-Digest` from forwarded answers. */
  stripDigest = false;
  /** Replace `Docker-Content-Digest` in forwarded answers with this value. */
  digestOverride?: string;
  /** Page tag lists, at most this many tags a page (whatever `?n=` asks). Default: forward them. */
  tagsPageLimit?: number;
  private readonly server: http.Server;

  constructor(
    /** The registry's `host:port`. */
    private readonly target: string,
  ) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Listens on a free port of `address` (default loopback). */
  async start(address = "127.0.0.1"): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, address, resolve));
    this.host = `${address}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Forgets the recorded requests and queued faults, and forwards digests unchanged. */
  reset(): void {
    this.requests = [];
    this.faults = [];
    this.stripDigest = false;
    this.digestOverride = undefined;
    this.tagsPageLimit = undefined;
  }

  stop(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const seen: SeenRequest = { method: req.method ?? "", path: req.url ?? "", status: 0 };
    this.requests.push(seen);
    const fault = this.faults.shift();
    if (fault !== undefined) {
      seen.status = fault.status;
      req.resume();
      if (fault.reason === undefined) res.writeHead(fault.status, fault.headers);
      else res.writeHead(fault.status, fault.reason, fault.headers);
      res.end(fault.body);
      return;
    }
    const list = /^(\/v2\/.+\/tags\/list)(?:\?(.*))?$/.exec(req.url ?? "");
    if (this.tagsPageLimit !== undefined && req.method === "GET" && list !== null) {
      this.page(req, res, seen, list[1], new URLSearchParams(list[2] ?? ""), this.tagsPageLimit);
      return;
    }
    const upstream = http.request(
      `http://${this.target}${req.url ?? "/"}`,
      { method: req.method, headers: { ...req.headers, host: this.target }, agent: false },
      (answer) => {
        const headers = { ...answer.headers };
        if (this.stripDigest) delete headers["docker-content-digest"];
        if (this.digestOverride !== undefined)
          headers["docker-content-digest"] = this.digestOverride;
        seen.status = answer.statusCode ?? 0;
        res.writeHead(seen.status, headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  }

  /** Answers one page of the tag list at `path`, from the registry's whole list. */
  private page(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    seen: SeenRequest,
    path: string,
    query: URLSearchParams,
    limit: number,
  ): void {
    req.resume();
    const upstream = http.request(
      `http://${this.target}${path}`,
      { method: "GET", headers: { ...req.headers, host: this.target }, agent: false },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          seen.status = answer.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString("utf8");
          if (seen.status !== 200) {
            res.writeHead(seen.status, answer.headers).end(body);
            return;
          }
          const { name, tags } = JSON.parse(body) as { name: string; tags: string[] | null };
          const last = query.get("last");
          const asked = Number(query.get("n") ?? limit);
          const n = Math.min(Number.isInteger(asked) && asked > 0 ? asked : limit, limit);
          const sorted = [...(tags ?? [])].sort();
          const after = last === null ? sorted : sorted.filter((tag) => tag > last);
          const page = after.slice(0, n);
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (after.length > n) {
            const next = new URLSearchParams({ last: page[page.length - 1], n: String(n) });
            headers.link = `<${path}?${next.toString()}>; rel="next"`;
          }
          res.writeHead(200, headers).end(JSON.stringify({ name, tags: page }));
        });
      },
    );
    upstream.on("error", () => res.destroy());
    upstream.end();
  }
}
