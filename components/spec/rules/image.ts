/** Container image references, checked by the grammar Docker's `reference` package parses. */

/** One path component of a repository name: lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
export const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** One dot-separated part of a registry host, as a pattern source to compose. */
export const DOMAIN_COMPONENT_SOURCE = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_COMPONENT = new RegExp(`^${DOMAIN_COMPONENT_SOURCE}$`);
/** A tag: a word character, then up to 127 word characters, `.` or `-`. */
export const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const NAME_MAX = 255;

/** Docker treats the first component as a registry host when it has a '.' or ':' or is `localhost`. */
function looksLikeDomain(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

function domainProblem(domain: string): string | undefined {
  const ipv6 = /^\[[0-9a-fA-F:.]+\](?::(\d+))?$/.exec(domain);
  const [host, port] = ipv6 !== null ? ["ipv6", ipv6[1]] : domain.split(":", 2);
  if (
    ipv6 === null &&
    (domain.split(":").length > 2 || !host.split(".").every((c) => DOMAIN_COMPONENT.test(c)))
  ) {
    return `registry host ${JSON.stringify(domain)} is not valid: use a host name such as "registry.example.com" or "localhost:5000"`;
  }
  if (port !== undefined && !/^\d+$/.test(port)) {
    return `registry port ${JSON.stringify(port)} in ${JSON.stringify(domain)} must be a number`;
  }
  return undefined;
}

/** A container image reference as Docker parses it; undefined if valid, else what is wrong. */
export function imageReferenceProblem(value: string): string | undefined {
  if (value.trim() === "") return "must not be empty";
  if (/\s/.test(value)) return "must not contain spaces";
  const scheme = /^[a-z]+:\/\//i.exec(value);
  if (scheme !== null)
    return `remove ${JSON.stringify(scheme[0])}: an image reference has no scheme`;

  let rest = value;
  const at = rest.indexOf("@");
  if (at >= 0) {
    const digest = rest.slice(at + 1);
    if (!DIGEST.test(digest)) {
      return `digest ${JSON.stringify(digest)} is not valid: write "sha256:" and 64 lower-case hex digits`;
    }
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  if (colon >= 0) {
    const tag = rest.slice(colon + 1);
    if (!TAG.test(tag)) {
      return (
        `tag ${JSON.stringify(tag)} is not valid: up to 128 letters, digits, '_', '.' and '-', ` +
        "not starting with '.' or '-'"
      );
    }
    rest = rest.slice(0, colon);
  }
  if (rest === "") return "the repository name is missing";
  if (rest.length > NAME_MAX) return `the repository name is longer than ${NAME_MAX} characters`;

  const components = rest.split("/");
  if (components.length > 1 && looksLikeDomain(components[0])) {
    const problem = domainProblem(components[0]);
    if (problem !== undefined) return problem;
    components.shift();
  }
  for (const component of components) {
    if (PATH_COMPONENT.test(component)) continue;
    if (PATH_COMPONENT.test(component.toLowerCase())) {
      return `the repository name must be lower case: ${JSON.stringify(component)} should be ${JSON.stringify(component.toLowerCase())}`;
    }
    if (component === "")
      return "the repository name has an empty path component ('//' or a '/' at either end)";
    return (
      `${JSON.stringify(component)} is not a valid repository path component: use lower-case letters and ` +
      "digits, separated by '.', '_', '__' or '-'"
    );
  }
  return undefined;
}
