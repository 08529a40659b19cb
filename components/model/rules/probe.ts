/** Liveness and readiness probes, in a CR's `deploySpec` and in the controller config. */
import type { IProbe } from "../types";
import { type At, childAt, describeValue, itemAt, report, warn, quote } from "./at";
import { checkFields, checkRequired, checkString } from "./fields";
import { isIanaServiceName } from "./names";
import { looksSecret, plainSecretWarning, secretTypeProblem } from "./secretNames";
import { INT32_MAX, checkInteger } from "./numbers";
import { didYouMean } from "./suggest";

type HTTPGetAction = NonNullable<IProbe["httpGet"]>;
type TCPSocketAction = NonNullable<IProbe["tcpSocket"]>;
type ExecAction = NonNullable<IProbe["exec"]>;

const HANDLERS = ["exec", "httpGet", "tcpSocket"] as const;
const NUMBERS = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 1,
  successThreshold: 1,
  failureThreshold: 1,
} as const;
const PROBE_FIELDS = [...HANDLERS, ...Object.keys(NUMBERS)];
const SCHEMES = ["HTTP", "HTTPS"] as const;
/** What the API server accepts as a probe's HTTP header name. */
const HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** A probe port: an integer 1-65535 or an IANA service name (a named container port). */
function checkProbePort(value: unknown, at: At): number | string | undefined {
  if (typeof value === "string") {
    if (/^\d+$/.test(value)) {
      report(
        at,
        `expected a port number, got the string ${quote(value)}; write ${Number(value)} without quotes`,
      );
      return undefined;
    }
    if (isIanaServiceName(value)) return value;
    report(
      at,
      `expected a port number 1-65535 or a port name (up to 15 lower-case letters, digits and '-', ` +
        `with at least one letter), got ${quote(value)}`,
    );
    return undefined;
  }
  if (typeof value === "number" && Number.isInteger(value)) {
    if (value >= 1 && value <= 65535) return value;
    report(at, `expected a port number between 1 and 65535, got ${value}`);
    return undefined;
  }
  report(at, `expected a port number or a port name, got ${describeValue(value)}`);
  return undefined;
}

function checkHttpGet(value: unknown, at: At): HTTPGetAction | undefined {
  const fields = checkFields(value, at, ["host", "httpHeaders", "path", "port", "scheme"]);
  if (fields === undefined) return undefined;
  checkRequired(fields, at, ["port"]);
  const out: Partial<HTTPGetAction> = {};
  if (fields.port !== undefined && fields.port !== null)
    out.port = checkProbePort(fields.port, childAt(at, "port"));
  if (fields.host !== undefined && fields.host !== null)
    out.host = checkString(fields.host, childAt(at, "host"));
  if (fields.path !== undefined && fields.path !== null) {
    const path = checkString(fields.path, childAt(at, "path"));
    if (path !== undefined && !path.startsWith("/")) {
      report(childAt(at, "path"), `must start with "/": write ${quote(`/${path}`)}`);
    }
    out.path = path;
  }
  if (fields.scheme !== undefined && fields.scheme !== null) {
    const scheme = checkString(fields.scheme, childAt(at, "scheme"));
    if (scheme === "HTTP" || scheme === "HTTPS") out.scheme = scheme;
    else if (scheme !== undefined) {
      const close = didYouMean(scheme, SCHEMES);
      report(
        childAt(at, "scheme"),
        `expected "HTTP" or "HTTPS", got ${quote(scheme)}` +
          (close === undefined ? "" : `; did you mean ${quote(close)}?`),
      );
    }
  }
  if (fields.httpHeaders !== undefined && fields.httpHeaders !== null) {
    out.httpHeaders = checkHeaders(fields.httpHeaders, childAt(at, "httpHeaders"));
  }
  return out as HTTPGetAction;
}

function checkHeaders(value: unknown, at: At): HTTPGetAction["httpHeaders"] {
  if (!Array.isArray(value)) {
    report(at, `expected a list of {name, value}, got ${describeValue(value)}`);
    return undefined;
  }
  return value.map((item, i) => {
    const here = itemAt(at, i);
    const fields = checkFields(item, here, ["name", "value"]) ?? {};
    checkRequired(fields, here, ["name", "value"]);
    const name = checkString(fields.name, childAt(here, "name")) ?? "";
    if (name !== "" && !HEADER_NAME.test(name)) {
      report(
        childAt(here, "name"),
        `${quote(name)} is not an HTTP header name: use letters, digits and '-'`,
      );
    }
    return { name, value: checkHeaderValue(fields.value, childAt(here, "value"), name) };
  });
}

/** A header's value; one whose name looks secret is never shown, and draws a warning. */
function checkHeaderValue(value: unknown, at: At, name: string): string {
  if (value === undefined) return "";
  const secret = looksSecret(name);
  if (secret && (typeof value === "number" || typeof value === "boolean")) {
    report(at, secretTypeProblem(value));
    return "";
  }
  const checked = checkString(value, at) ?? "";
  if (secret && checked !== "") {
    warn(
      at,
      plainSecretWarning(
        "a probe header cannot come from a Secret; an exec probe can send it from an env " +
          "variable set with valueFrom.secretKeyRef",
      ),
    );
  }
  return checked;
}

function checkTcpSocket(value: unknown, at: At): TCPSocketAction | undefined {
  const fields = checkFields(value, at, ["host", "port"]);
  if (fields === undefined) return undefined;
  if (!checkRequired(fields, at, ["port"])) return undefined;
  const out: Partial<TCPSocketAction> = { port: checkProbePort(fields.port, childAt(at, "port")) };
  if (fields.host !== undefined && fields.host !== null)
    out.host = checkString(fields.host, childAt(at, "host"));
  return out as TCPSocketAction;
}

function checkExec(value: unknown, at: At): ExecAction | undefined {
  const fields = checkFields(value, at, ["command"]);
  if (fields === undefined) return undefined;
  const here = childAt(at, "command");
  const command = fields.command;
  if (!Array.isArray(command) || command.length === 0) {
    report(
      here,
      `expected a non-empty list of strings (the command and its arguments), got ${describeValue(command)}`,
    );
    return undefined;
  }
  const out: string[] = [];
  command.forEach((part, i) => {
    const text = checkString(part, itemAt(here, i));
    if (text !== undefined) out.push(text);
  });
  return { command: out };
}

/**
 * A probe with exactly one handler (exec, httpGet, tcpSocket), known fields, sane numbers:
 * `initialDelaySeconds` >= 0, the other numbers >= 1. A probe whose path ends in `livenessProbe`
 * must have `successThreshold` 1, as Kubernetes requires.
 */
export function checkProbe(value: unknown, at: At): IProbe | undefined {
  const errorsBefore = at.problems.errorCount;
  const fields = checkFields(value, at, PROBE_FIELDS);
  if (fields === undefined) return undefined;
  const probe: IProbe = {};

  const handlers = HANDLERS.filter((h) => fields[h] !== undefined && fields[h] !== null);
  if (handlers.length === 0) {
    report(at, "needs one handler: exec, httpGet or tcpSocket");
  } else if (handlers.length > 1) {
    report(
      at,
      `has ${handlers.join(" and ")}; a probe takes exactly one of exec, httpGet, tcpSocket`,
    );
  }
  if (handlers.includes("httpGet"))
    probe.httpGet = checkHttpGet(fields.httpGet, childAt(at, "httpGet"));
  if (handlers.includes("tcpSocket"))
    probe.tcpSocket = checkTcpSocket(fields.tcpSocket, childAt(at, "tcpSocket"));
  if (handlers.includes("exec")) probe.exec = checkExec(fields.exec, childAt(at, "exec"));

  for (const [key, min] of Object.entries(NUMBERS) as [keyof typeof NUMBERS, number][]) {
    const raw = fields[key];
    if (raw === undefined || raw === null) continue;
    probe[key] = checkInteger(raw, childAt(at, key), min, INT32_MAX);
  }
  if (
    /(^|\.)livenessProbe$/.test(at.path) &&
    probe.successThreshold !== undefined &&
    probe.successThreshold !== 1
  ) {
    report(
      childAt(at, "successThreshold"),
      `must be 1 for a liveness probe, got ${probe.successThreshold}`,
    );
  }
  return at.problems.errorCount === errorsBefore ? probe : undefined;
}
