/**
 * What a failed registry answer means for a person: the problem and what to do. The client adds
 * the image and registry and redacts secrets ({@link RegistryError}).
 */
import type { Challenge } from "./auth";
import type { FoundCredential } from "./dockerConfig";
import type { RegistryErrorKind } from "./errors";
import type { HttpResponse } from "./http";
import { parseChallenges } from "./auth";
import { STATUS_CODES } from "node:http";

/** A failure described without the image: kind, problem (a sentence fragment) and hint. */
export interface Failure {
  kind: RegistryErrorKind;
  problem: string;
  hint: string;
}

/** The image being looked up, as far as messages need it. */
export interface Target {
  registry: string;
  repository: string;
  tag: string;
}

/** The bearer challenge if there is one, else the basic one. */
export function pickChallenge(headers: string[]): Challenge | undefined {
  const all = headers.flatMap(parseChallenges);
  return all.find((c) => c.scheme === "bearer") ?? all.find((c) => c.scheme === "basic");
}

/** The `errors[].code` values of a registry error body (upper-case identifiers only). */
export function errorCodes(body: Buffer): string[] {
  try {
    const json = JSON.parse(body.toString("utf8")) as { errors?: { code?: unknown }[] };
    return (json.errors ?? [])
      .map((e) => e.code)
      .filter((code): code is string => typeof code === "string" && /^[A-Z_]{1,64}$/.test(code));
  } catch {
    return [];
  }
}

/**
 * `404 Not Found`: the status and its standard reason phrase, never the phrase the registry
 * sent, which may say anything (a reflected credential too).
 */
function statusLine(response: HttpResponse): string {
  return `${response.status} ${STATUS_CODES[response.status] ?? ""}`.trim();
}

function login(registry: string): string {
  return `Run \`docker login ${registry}\`, or give credentials for ${registry}`;
}

/**
 * The failure for a manifest answer other than 200. `lookedIn` says where credentials were
 * looked for, for when none were found.
 */
export function statusFailure(
  target: Target,
  response: HttpResponse,
  credential: FoundCredential | undefined,
  lookedIn: string,
): Failure {
  const status = statusLine(response);
  if (response.status === 401 || response.status === 403) {
    if (credential === undefined) {
      return {
        kind: "auth",
        problem: `the registry requires authentication (${status}) and no credentials were found for it (looked in ${lookedIn})`,
        hint: login(target.registry),
      };
    }
    if (
      response.status === 403 ||
      pickChallenge(response.challenges)?.params.error === "insufficient_scope"
    ) {
      return {
        kind: "auth",
        problem: `the credentials from ${credential.source} do not allow pulling repository "${target.repository}" (${status})`,
        hint: "Check that the account may pull this repository",
      };
    }
    return {
      kind: "auth",
      problem: `the registry rejected the credentials from ${credential.source} (${status})`,
      hint: `Check the username and password. ${login(target.registry)}`,
    };
  }
  if (response.status === 404) {
    const codes = errorCodes(response.body);
    return codes.includes("NAME_UNKNOWN")
      ? {
          kind: "not-found",
          problem: `the repository "${target.repository}" does not exist (NAME_UNKNOWN)`,
          hint: "Check the image name, or push the image first",
        }
      : {
          kind: "not-found",
          problem: `the tag "${target.tag}" is not in repository "${target.repository}" (${codes[0] ?? status})`,
          hint: "Check the tag, or push the image first",
        };
  }
  if (response.status >= 500 || response.status === 429) {
    const times = response.attempts === 1 ? "" : ` on all ${response.attempts} attempts`;
    return {
      kind: "unreachable",
      problem: `the registry answered ${status}${times}`,
      hint: "Try again later",
    };
  }
  return {
    kind: "protocol",
    problem: `the registry answered ${status} to a manifest request`,
    hint: "Check that the address points at an OCI distribution registry",
  };
}

/** The failure for a token server's answer other than a usable token. */
export function tokenFailure(
  target: Target,
  response: HttpResponse,
  realm: URL,
  credential: FoundCredential | undefined,
  lookedIn: string,
): Failure {
  const status = statusLine(response);
  const server = `the token server ${realm.origin}`;
  if (response.status === 401 || response.status === 403) {
    return credential === undefined
      ? {
          kind: "auth",
          problem: `${server} refused an anonymous token (${status}) and no credentials were found (looked in ${lookedIn})`,
          hint: login(target.registry),
        }
      : {
          kind: "auth",
          problem: `${server} rejected the credentials from ${credential.source} (${status})`,
          hint: `Check the username and password. ${login(target.registry)}`,
        };
  }
  if (response.status >= 500 || response.status === 429) {
    return {
      kind: "unreachable",
      problem: `${server} answered ${status}`,
      hint: "Try again later",
    };
  }
  return {
    kind: "protocol",
    problem:
      response.status === 200
        ? `${server} answered without a token`
        : `${server} answered ${status}`,
    hint: "Check the registry's auth configuration",
  };
}
