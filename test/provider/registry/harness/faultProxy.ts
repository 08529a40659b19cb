/**
 * An HTTP proxy in front of a real registry that injects faults: queued answers (429 with
 * `Retry-After`, 503, ...) for the next requests, and a `Docker-Content-Digest` header removed or
 * replaced. Every request it sees is recorded, so tests count attempts instead of timing them.
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
}
