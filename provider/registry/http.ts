/**
 * HTTP for the registry client: keep-alive agents, a per-host concurrency limit, a deadline per
 * request, bounded retries with backoff on 5xx and 429 (honouring `Retry-After`), and redirects.
 * Failures below HTTP become {@link TransportError}s with a plain-language problem and hint.
 */
import * as http from "node:http";
import * as https from "node:https";
import { TransportError } from "./errors";

/** One HTTP request. */
export interface HttpRequest {
  method: "GET" | "HEAD" | "POST";
  url: URL;
  /** Request headers; `Authorization` is dropped when a redirect leaves the origin. */
  headers?: Record<string, string>;
  body?: string;
  /** The largest body accepted. Default 4 MiB (distribution's manifest limit). */
  maxBodyBytes?: number;
}

/** An HTTP answer, body read in full. */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** Every `WWW-Authenticate` header, unjoined. */
  challenges: string[];
  body: Buffer;
  /** How many attempts it took (1 without retries). */
  attempts: number;
  /** The URL that answered, after redirects. */
  url: URL;
}

/** Transport settings (all required here; the client fills in defaults). */
export interface TransportOptions {
  /** Deadline per attempt, connection to last byte. */
  timeoutMs: number;
  /** Retries after a 5xx, a 429 or a dropped connection. */
  retries: number;
  /** Concurrent requests per host. */
  maxConcurrency: number;
  /** The longest wait a `Retry-After` may ask for. */
  retryAfterCapMs: number;
  /** First backoff; doubles on each retry. */
  backoffMs: number;
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/** Waits for the deadline-free duration `ms`. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date, at least 0 and at
 * most `capMs`; undefined when absent or unreadable.
 */
export function retryAfterMs(
  value: string | undefined,
  capMs: number,
  now = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // An HTTP date names its day and month; Date.parse alone would take "-1" for a year.
    const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(Math.max(ms, 0), capMs);
}

/** A counting semaphore. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active--;
      else next();
    }
  }
}

/** The failure of one attempt, described for a person. */
function describeFailure(
  error: NodeJS.ErrnoException,
  url: URL,
  timeoutMs: number,
): TransportError {
  const origin = url.origin;
  const code = error.code ?? "";
  if (code === "ETIMEDOUT_DEADLINE") {
    return new TransportError(
      "timeout",
      `no answer from ${origin} within ${timeoutMs / 1000} s`,
      "Check that the registry is up and reachable, or raise the timeout",
    );
  }
  if (code === "ECONNREFUSED") {
    return new TransportError(
      "unreachable",
      `the connection to ${origin} was refused`,
      "Check the registry address and port, and that the registry is running",
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new TransportError(
      "unreachable",
      `the host ${url.hostname} could not be resolved (${code})`,
      "Check the registry host name and the network",
    );
  }
  if (RESET_CODES.has(code) || error.message === "socket hang up") {
    return new TransportError(
      "unreachable",
      `the connection to ${origin} was closed before an answer`,
      "Check that the registry is healthy, and try again",
      true,
    );
  }
  if (/SSL|TLS|CERT|EPROTO/.test(code)) {
    return new TransportError(
      "protocol",
      `the TLS connection to ${origin} failed (${code})`,
      "If the registry serves plain HTTP, list it in insecureRegistries; if its certificate comes from a private CA, add the CA with NODE_EXTRA_CA_CERTS",
    );
  }
  return new TransportError(
    "unreachable",
    `the request to ${origin} failed (${code === "" ? error.message : code})`,
    "Check the registry address and the network",
  );
}

/** Sends registry requests; one per client, holding its keep-alive connections. */
export class Transport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly limiters = new Map<string, Limiter>();

  constructor(private readonly options: TransportOptions) {
    const agentOptions = { keepAlive: true, maxSockets: options.maxConcurrency };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
  }

  /**
   * Sends `request`, following redirects and retrying 5xx, 429 and dropped connections up to
   * `retries` times. The last answer is returned whatever its status.
   * @throws TransportError when no answer came (refused, unresolvable, timeout, TLS).
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    let current = request;
    for (let hop = 0; ; hop++) {
      const response = await this.sendWithRetries(current);
      const location = response.headers.location;
      if (response.status < 300 || response.status >= 400 || location === undefined)
        return response;
      if (hop >= MAX_REDIRECTS || request.method === "POST") return response;
      const next = URL.canParse(location, current.url.href)
        ? new URL(location, current.url)
        : undefined;
      // Only on to HTTP(S): another scheme (file:, ftp:, data:) is no registry, and its URL
      // would have no origin to name in a message.
      if (next === undefined || (next.protocol !== "http:" && next.protocol !== "https:")) {
        throw new TransportError(
          "protocol",
          `${current.url.origin} redirected the request to ${
            next === undefined ? "a location that is no URL" : `a ${next.protocol} URL, not HTTP(S)`
          }`,
          "Check that the address points at an OCI distribution registry",
        );
      }
      // A login in the location would be sent, and shown: the registry's credentials are its own.
      next.username = "";
      next.password = "";
      const headers = { ...current.headers };
      if (next.origin !== current.url.origin) delete headers.Authorization;
      current = { ...current, url: next, headers };
    }
  }

  /** Drops the kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async sendWithRetries(request: HttpRequest): Promise<HttpResponse> {
    const limiter = this.limiterFor(request.url.host);
    for (let attempt = 1; ; attempt++) {
      const canRetry = attempt <= this.options.retries;
      const backoff = this.options.backoffMs * 2 ** (attempt - 1);
      let response: HttpResponse;
      try {
        response = await limiter.run(() => this.once(request));
      } catch (error) {
        const failure =
          error instanceof TransportError
            ? error
            : describeFailure(error as NodeJS.ErrnoException, request.url, this.options.timeoutMs);
        if (canRetry && failure.retryable) {
          await sleep(backoff);
          continue;
        }
        throw failure;
      }
      response.attempts = attempt;
      if (!canRetry || (response.status < 500 && response.status !== 429)) return response;
      const header = response.headers["retry-after"];
      await sleep(retryAfterMs(header, this.options.retryAfterCapMs) ?? backoff);
    }
  }

  private limiterFor(host: string): Limiter {
    let limiter = this.limiters.get(host);
    if (limiter === undefined) {
      limiter = new Limiter(this.options.maxConcurrency);
      this.limiters.set(host, limiter);
    }
    return limiter;
  }

  private once(request: HttpRequest): Promise<HttpResponse> {
    const { url, method } = request;
    const maxBody = request.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const secure = url.protocol === "https:";
    const send = secure ? https.request : http.request;
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = send(url, {
        method,
        headers: request.headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      });
      const deadline = setTimeout(() => {
        const error: NodeJS.ErrnoException = new Error("deadline");
        error.code = "ETIMEDOUT_DEADLINE";
        req.destroy(error);
      }, this.options.timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(deadline);
        reject(error);
      };
      req.on("error", fail);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBody) {
            req.destroy(
              new TransportError(
                "protocol",
                `the answer from ${url.origin} was larger than ${maxBody} bytes`,
                "Check that the address points at a container registry",
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", fail);
        res.on("close", () => {
          if (!res.complete)
            fail(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
        });
        res.on("end", () => {
          clearTimeout(deadline);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            headers: res.headers,
            challenges: res.headersDistinct["www-authenticate"] ?? [],
            body: Buffer.concat(chunks),
            attempts: 1,
            url,
          });
        });
      });
      req.end(request.body);
    });
  }
}
