/**
 * The CR validator and the registry client read every image reference alike, and both read it as
 * Docker does. Generated references, valid and near-valid, go through the validator
 * (`validateIntegration`), the client's parser (`parseImageReference`) and an oracle transcribed
 * independently from distribution/reference (`regexp.go`, `normalize.go`, `reference.go`) and
 * go-digest, narrowed by the restrictions `provider/reference.ts` states. Registry hosts go
 * through both places that read them, references and `imageRefresh.insecureRegistries`, and
 * Node's `net.isIPv6` judges bracketed hosts. Seeded as in test/fuzz.
 */
import { quote } from "../../../components/model/rules/at";
import { imageLoginProblem } from "../../../components/model/rules/imageReference";
import { isIPv6 } from "node:net";
import { expect } from "chai";
import fc from "fast-check";
import { parseImageRefresh } from "../../../components/model/settings/imageRefresh";
import { validateIntegration } from "../../../components/model/integration/validate";
import { Problems, formatProblem } from "../../../components/model/problems";
import {
  formatReference,
  parseImageReference,
  readImageReference,
  registryHostFault,
  type ImageReference,
} from "../../../components/model/rules/imageReference";
import { fuzz } from "../../properties/fuzz/settings";

// distribution/reference's regexp.go, piece by piece.
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_AND_PORT = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(
  `^((?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME})(?::([\\w][\\w.-]{0,127}))?(?:@(${DIGEST}))?$`,
);
const ANCHORED_NAME = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);

/** normalize.go's splitDockerDomain. */
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf("/");
  if (slash < 0) return ["docker.io", `library/${name}`];
  const [maybe, rest] = [name.slice(0, slash), name.slice(slash + 1)];
  let [domain, remainder] = ["docker.io", name];
  if (maybe === "localhost" || /[.:]/.test(maybe) || maybe.toLowerCase() !== maybe) {
    [domain, remainder] = [maybe, rest];
  }
  if (maybe === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !remainder.includes("/")) remainder = `library/${remainder}`;
  return [domain, remainder];
}

/**
 * `ParseNormalizedNamed` with go-digest's digest check, and this project's restrictions: digests
 * sha256/sha512 only, ports 1-65535, a bracketed host an IPv6 address, at most 255 characters
 * counting the registry, and a first component Docker takes for a host must be a valid one
 * (Docker then parses it with no domain).
 */
function oracle(s: string): ImageReference | undefined {
  if (/^[a-f0-9]{64}$/.test(s)) return undefined;
  const [domain, remainder] = splitDockerDomain(s);
  const remote = remainder.split(":")[0];
  if (remote.toLowerCase() !== remote) return undefined;
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (match === null) return undefined;
  const [, name, tag, digest] = match;
  const [, parsedDomain, path] = ANCHORED_NAME.exec(name) ?? [];
  if (parsedDomain !== domain || name.length > 255) return undefined;
  const port = /:(\d+)$/.exec(domain)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return undefined;
  const ipv6 = /^\[(.*)\]/.exec(domain)?.[1];
  if (ipv6 !== undefined && !isIPv6(ipv6)) return undefined;
  if (digest !== undefined && !/^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(digest)) {
    return undefined;
  }
  const reference: ImageReference = { registry: domain, repository: path };
  if (tag !== undefined || digest === undefined) reference.tag = tag ?? "latest";
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/** The problems the validator reports for a CR whose only questionable field is `spec.image`. */
function validatorProblems(image: string): string[] {
  const problems = new Problems();
  const cr = {
    apiVersion: "wso2.com/v1alpha2",
    kind: "Integration",
    metadata: { name: "hello" },
    spec: { image },
  };
  validateIntegration(cr, { file: "crs/hello.yaml" }, problems);
  return problems.list.map(formatProblem);
}

const chars = (alphabet: string, maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((list) => list.join(""));

const hexOf = (length: number, upper: boolean): string =>
  (upper ? "0123456789ABCDEF" : "0123456789abcdef").repeat(9).slice(0, length);

/** Mostly `valid`, sometimes `nearValid`: both sides of every decision get cases. */
const mostly = <T>(valid: fc.Arbitrary<T>, nearValid: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: nearValid, weight: 1 });

const registry = mostly(
  fc.constantFrom(
    "docker.io",
    "index.docker.io",
    "localhost",
    "localhost:5000",
    "reg.example.com",
    "Reg.Example.COM:443",
    "Registry",
    "127.0.0.1:5000",
    "[::1]",
    "[::1]:5000",
    "[2001:DB8::1]:443",
    "reg:1",
    "reg:65535",
  ),
  fc.oneof(
    fc.constantFrom(
      "My_Team",
      "a_b.c",
      "[::ffff:1.2.3.4]:5000",
      "[fe80::1%eth0]",
      "[::1",
      "reg:0",
      "reg:65536",
      "reg:",
      "reg:port",
      "reg:5000:1",
      "-reg.io",
      "reg-.io",
      "https:",
      "",
    ),
    fc
      .tuple(chars("abAZ09-_", 6), fc.constantFrom("", ".", ".io", ":", ":80", ":099999"))
      .map(([host, suffix]) => host + suffix),
  ),
);
const component = mostly(
  fc.oneof(
    fc.constantFrom("app", "library", "team", "a__b", "a---b", "a.b", "nginx", hexOf(64, false)),
    fc.stringMatching(/^[a-z0-9]{1,3}(?:(?:[._]|__|-+)[a-z0-9]{1,3}){0,2}$/),
  ),
  chars("abz09._-AZ", 7),
);
const tag = mostly(
  fc.oneof(
    fc.stringMatching(/^\w[\w.-]{0,8}$/),
    fc.constantFrom(127, 128).map((n) => `v${"1".repeat(n - 1)}`),
  ),
  fc.oneof(chars("aZ09_.-:@/ ", 4), fc.constant(`v${"1".repeat(128)}`)),
);
const digest = mostly(
  fc.constantFrom(`sha256:${hexOf(64, false)}`, `sha512:${hexOf(128, false)}`),
  fc
    .tuple(
      fc.constantFrom("sha256", "sha384", "sha512", "md5", "blake3", "SHA256", "sha256+b64", ""),
      fc.constantFrom(0, 31, 32, 63, 64, 65, 95, 96, 127, 128, 129),
      fc.boolean(),
    )
    .map(([algorithm, length, upper]) => `${algorithm}:${hexOf(length, upper)}`),
);

/** References built from valid and near-valid parts: every combination the grammar decides on. */
const assembled = fc
  .record({
    registry: fc.option(registry, { nil: undefined }),
    path: fc.array(component, { minLength: 0, maxLength: 4 }),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined, freq: 2 }),
  })
  .map(({ registry: host, path, tag: t, digest: d }) => {
    const name = [...(host === undefined ? [] : [host]), ...path].join("/");
    return `${name}${t === undefined ? "" : `:${t}`}${d === undefined ? "" : `@${d}`}`;
  });

/** Short strings over the characters the grammar gives a meaning to. */
const scrambled = chars("ab0A/:.@_-[]", 14);

/** Names around the 255-character limit, with and without a registry. */
const lengthy = fc
  .tuple(
    fc.constantFrom("", "reg.io/", "localhost:5000/", "docker.io/"),
    fc.integer({ min: 230, max: 262 }),
  )
  .map(([prefix, length]) => `${prefix}${"a".repeat(length - prefix.length)}:1`);

function agree(reference: string): void {
  const problems = validatorProblems(reference);
  const reading = readImageReference(reference);
  let parsed: ImageReference | undefined;
  try {
    parsed = parseImageReference(reference);
  } catch (error) {
    // A reference is quoted as every value in a message is: at most 60 characters.
    // ... and one that holds a login not at all.
    const shown = imageLoginProblem(reference) === undefined ? ` ${quote(reference)}` : "";
    expect((error as Error).message).to.equal(
      `Invalid image reference${shown}: ${reading.problem}.`,
    );
  }
  expect(problems.length === 0, `validator accepts ${JSON.stringify(reference)}`).to.equal(
    parsed !== undefined,
  );
  expect(parsed, `parsed as Docker parses ${JSON.stringify(reference)}`).to.deep.equal(
    oracle(reference),
  );
  if (parsed === undefined) {
    expect(problems).to.deep.equal([
      `error: crs/hello.yaml: spec.image: ${imageLoginProblem(reference) === undefined ? `${quote(reference)} is` : "is"} not a valid image reference: ${reading.problem}`,
    ]);
    return;
  }
  const full = formatReference(parsed);
  expect(parseImageReference(full), `round trip through ${full}`).to.deep.equal(parsed);
  expect(validatorProblems(full)).to.deep.equal([]);
}

/** Whether the stack's `imageRefresh.insecureRegistries` takes `host`. */
function insecureRegistryTaken(host: string): boolean {
  const problems = new Problems();
  const at = { source: { file: "Pulumi.dev.yaml" }, path: "wso2-mi:imageRefresh", problems };
  parseImageRefresh({ insecureRegistries: [host] }, at);
  return problems.list.length === 0;
}

/**
 * The registry `host` names in a reference, `host/app`, or undefined when the reference is
 * refused; `host` itself when Docker would read it as a Docker Hub namespace (`reg/app`), as it
 * is then no registry: `host` is read once more with a port, which makes it a registry.
 */
function referenceRegistry(host: string): string | undefined {
  const reading = readImageReference(`${host}/app`);
  if (
    reading.reference?.registry === "docker.io" &&
    reading.reference.repository !== "library/app"
  ) {
    return readImageReference(`${host}:1/app`).reference === undefined ? undefined : host;
  }
  return reading.reference?.registry;
}

/** Registry hosts, ports and bracketed IPv6 addresses, valid and near-valid. */
const registryHost = fc.oneof(
  registry,
  fc
    .tuple(
      fc.oneof(
        chars("aZ09-.", 8),
        chars("0123456789abcdefABCDEF:", 18).map((inner) => `[${inner}]`),
        fc.ipV6().map((address) => `[${address}]`),
        fc.constantFrom("[::ffff:1.2.3.4]", "[fe80::1%eth0]", "::1", "reg.io.", "Reg.IO"),
      ),
      fc.constantFrom("", ":", ":0", ":1", ":080", ":00000", ":65535", ":65536", ":x"),
    )
    .map(([host, port]) => host + port),
);

describe("registry hosts: references and insecureRegistries agree", () => {
  it("on generated hosts: one is taken in a reference exactly when it is taken as an insecure registry", () => {
    fuzz(
      fc.property(registryHost, (host) => {
        const registry = referenceRegistry(host);
        const taken = insecureRegistryTaken(host);
        expect(taken, `insecureRegistries: [${JSON.stringify(host)}]`).to.equal(
          registry !== undefined,
        );
        expect(taken, JSON.stringify(host)).to.equal(registryHostFault(host) === undefined);
      }),
      3_000,
    );
  });

  it("on bracketed hosts: an IPv6 address exactly when Node's net.isIPv6 says so", () => {
    const inner = fc.oneof(fc.ipV6(), chars("0123456789abcdefABCDEF:", 20));
    fuzz(
      fc.property(inner, (address) => {
        const expected = /^[0-9a-fA-F:]+$/.test(address) && isIPv6(address);
        expect(registryHostFault(`[${address}]`) === undefined, address).to.equal(expected);
      }),
      2_000,
    );
  });
});

describe("image references: the validator, the client and Docker agree", () => {
  it("on references built from near-valid parts", () => {
    fuzz(fc.property(assembled, agree), 6_000);
  });

  it("on scrambled strings of the grammar's characters", () => {
    fuzz(fc.property(scrambled, agree), 4_000);
  });

  it("on names around the 255-character limit", () => {
    fuzz(fc.property(lengthy, agree), 300);
  });

  it("on the cases that decide the grammar", () => {
    const sha = (algorithm: string, length: number): string =>
      `${algorithm}:${"0123456789abcdef".repeat(8).slice(0, length)}`;
    const decided: [string, boolean][] = [
      ["Registry/app", true],
      ["Foo/bar:1", true],
      ["Foo:1", false],
      ["My_Team/app", false],
      ["a_b.c/app", false],
      [`app@${sha("sha256", 64)}`, true],
      [`app@${sha("sha512", 128)}`, true],
      [`app@${sha("sha384", 96)}`, false],
      ["[::1]:5000/app", true],
      ["[::1]/app", true],
      ["[::1]:5000", false],
      ["reg:65536/app", false],
      ["localhost:5000", true],
      ["f".repeat(64), false],
      ["f".repeat(63), true],
      [`docker.io/library/${"f".repeat(64)}`, true],
      [`${"a".repeat(237)}`, true],
      [`${"a".repeat(238)}`, false],
    ];
    for (const [reference, valid] of decided) {
      agree(reference);
      expect(readImageReference(reference).problem === undefined, reference).to.equal(valid);
    }
  });
});
