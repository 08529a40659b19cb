import { expect } from "chai";
import { quote } from "../../../components/model/rules/at";
import fc from "fast-check";
import {
  formatPinned,
  formatReference,
  isLoopbackRegistry,
  isValidDigest,
  parseImageReference,
  pinnedDigest,
  readImageReference,
  registryApiHost,
  registryHostFault,
  type ImageReference,
} from "../../../components/model/rules/imageReference";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("image references (Docker's normalisation)", () => {
  const cases: [string, ImageReference][] = [
    ["nginx", { registry: "docker.io", repository: "library/nginx", tag: "latest" }],
    ["nginx:1.25", { registry: "docker.io", repository: "library/nginx", tag: "1.25" }],
    ["wso2/wso2mi:4.2.0", { registry: "docker.io", repository: "wso2/wso2mi", tag: "4.2.0" }],
    ["docker.io/nginx", { registry: "docker.io", repository: "library/nginx", tag: "latest" }],
    [
      "index.docker.io/library/nginx:1",
      { registry: "docker.io", repository: "library/nginx", tag: "1" },
    ],
    ["localhost/app", { registry: "localhost", repository: "app", tag: "latest" }],
    [
      "localhost:5000/team/app:v1",
      { registry: "localhost:5000", repository: "team/app", tag: "v1" },
    ],
    [
      "127.0.0.1:5000/a/b/c/d:x_Y.z-1",
      { registry: "127.0.0.1:5000", repository: "a/b/c/d", tag: "x_Y.z-1" },
    ],
    ["[::1]:5000/app", { registry: "[::1]:5000", repository: "app", tag: "latest" }],
    ["Registry/app", { registry: "Registry", repository: "app", tag: "latest" }],
    [
      "my.registry.example.com/team/sub/app:2",
      { registry: "my.registry.example.com", repository: "team/sub/app", tag: "2" },
    ],
    ["gcr.io/p/app__x.y-z:t", { registry: "gcr.io", repository: "p/app__x.y-z", tag: "t" }],
    [`nginx@${DIGEST}`, { registry: "docker.io", repository: "library/nginx", digest: DIGEST }],
    [
      `reg:443/app:1.0@${DIGEST}`,
      { registry: "reg:443", repository: "app", tag: "1.0", digest: DIGEST },
    ],
    ["localhost:5000", { registry: "docker.io", repository: "library/localhost", tag: "5000" }],
  ];
  for (const [ref, expected] of cases) {
    it(`parses ${ref}`, () => {
      expect(parseImageReference(ref)).to.deep.equal(expected);
    });
  }

  const lengthy = `reg.io/${"a".repeat(250)}`;
  const invalid: [string, string][] = [
    ["", "must not be empty"],
    ["nginx latest", "must not contain spaces"],
    ["Nginx", 'the repository name must be lower case: "Nginx" should be "nginx"'],
    ["reg.io/Team/app", 'the repository name must be lower case: "Team" should be "team"'],
    [
      "nginx:",
      `tag "" is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
    ],
    [
      "nginx:-x",
      `tag "-x" is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
    ],
    [
      `nginx:${"a".repeat(129)}`,
      `tag ${quote("a".repeat(129))} is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
    ],
    [
      "nginx@sha256:abc",
      `digest "sha256:abc" is not valid: write "sha256:" and 64 lower-case hex digits`,
    ],
    [
      `nginx@md5:${"a".repeat(32)}`,
      `digest algorithm "md5" is not supported: write "sha256:" and 64 lower-case hex digits (or "sha512:" and 128), the algorithms the OCI image spec registers`,
    ],
    [
      "reg.io/team//app",
      "the repository name has an empty path component ('//' or a '/' at either end)",
    ],
    [
      "reg.io/team/-app",
      `"-app" is not a valid repository path component: use lower-case letters and digits, separated by '.', '_', '__' or '-'`,
    ],
    [
      "reg.io/team/a___b",
      `"a___b" is not a valid repository path component: use lower-case letters and digits, separated by '.', '_', '__' or '-'`,
    ],
    [
      "-reg.io/app",
      'registry host "-reg.io" is not valid: use a host name such as "registry.example.com" or "localhost:5000"',
    ],
    ["reg.io:port/app", 'registry port "port" in "reg.io:port" must be a number'],
    ["reg.io/", "the repository name has an empty path component ('//' or a '/' at either end)"],
    ["f".repeat(64), "a 64-character hexadecimal string is an image ID, not a reference"],
    [
      lengthy,
      `the repository name is longer than 255 characters: "${lengthy.slice(0, 40)}..." has 257, counting the registry`,
    ],
  ];
  for (const [ref, why] of invalid) {
    it(`rejects ${JSON.stringify(ref.length > 40 ? `${ref.slice(0, 40)}...` : ref)}`, () => {
      expect(() => parseImageReference(ref)).to.throw(
        Error,
        `Invalid image reference ${quote(ref)}: ${why}.`,
      );
    });
  }

  it("pins with the registry written out and the tag kept", () => {
    expect(formatPinned(parseImageReference("nginx:1.25"), DIGEST)).to.equal(
      `docker.io/library/nginx:1.25@${DIGEST}`,
    );
    expect(formatPinned(parseImageReference(`localhost:5000/a/b:v1@${DIGEST}`), DIGEST)).to.equal(
      `localhost:5000/a/b:v1@${DIGEST}`,
    );
    expect(formatPinned(parseImageReference("ghcr.io/org/app"), DIGEST)).to.equal(
      `ghcr.io/org/app:latest@${DIGEST}`,
    );
    expect(formatPinned(parseImageReference(`ghcr.io/org/app@${DIGEST}`), DIGEST)).to.equal(
      `ghcr.io/org/app@${DIGEST}`,
    );
  });

  it("gives Docker Hub's API host, and every other registry as it is", () => {
    expect(registryApiHost("docker.io")).to.equal("registry-1.docker.io");
    expect(registryApiHost("localhost:5000")).to.equal("localhost:5000");
    expect(registryApiHost("ghcr.io")).to.equal("ghcr.io");
  });

  it("tells loopback registries, which Docker reaches over plain HTTP", () => {
    const loopback = [
      "localhost",
      "localhost:5000",
      "127.0.0.1:5000",
      "127.1.2.3",
      "[::1]:5000",
      "[::1]",
    ];
    const remote = [
      "docker.io",
      "localhost.example.com",
      "10.0.0.1:5000",
      "128.0.0.1",
      "[::2]:5000",
      "registry",
    ];
    expect(loopback.filter(isLoopbackRegistry)).to.deep.equal(loopback);
    expect(remote.filter(isLoopbackRegistry)).to.deep.equal([]);
  });

  it("checks digests: algorithm and length", () => {
    expect(isValidDigest(DIGEST)).to.equal(true);
    expect(isValidDigest(`sha512:${"a".repeat(128)}`)).to.equal(true);
    expect(isValidDigest(DIGEST.toUpperCase())).to.equal(false);
    expect(isValidDigest(`${DIGEST}0`)).to.equal(false);
    expect(isValidDigest(`sha512:${"a".repeat(64)}`)).to.equal(false);
    expect(isValidDigest("sha256")).to.equal(false);
    expect(isValidDigest(`sha384:${"a".repeat(96)}`)).to.equal(false);
  });

  it("round-trips every valid reference through its full form", () => {
    const component = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)?$/);
    const reference = fc.record({
      registry: fc.constantFrom("docker.io", "localhost:5000", "reg.example.com", "[::1]:443"),
      repository: fc
        .array(component, { minLength: 2, maxLength: 4 })
        .map((parts) => parts.join("/")),
      tag: fc.option(fc.stringMatching(/^\w[\w.-]{0,20}$/), { nil: undefined }),
      digest: fc.option(fc.constant(DIGEST), { nil: undefined }),
    });
    fc.assert(
      fc.property(reference, (ref) => {
        const expected: ImageReference = { registry: ref.registry, repository: ref.repository };
        if (ref.tag !== undefined || ref.digest === undefined) expected.tag = ref.tag ?? "latest";
        if (ref.digest !== undefined) expected.digest = ref.digest;
        expect(parseImageReference(formatReference(ref))).to.deep.equal(expected);
      }),
    );
  });
});

/** The grammar's decisions, where Docker's parser, the OCI image spec and a pull could disagree. */
describe("image references: the decisions", () => {
  const problem = (ref: string): string | undefined => readImageReference(ref).problem;
  const parts = (ref: string): (string | undefined)[] => {
    const { registry, repository, tag, digest } = parseImageReference(ref);
    return [registry, repository, tag, digest].filter((part) => part !== undefined);
  };
  const SHA512 = `sha512:${"0123456789abcdef".repeat(8)}`;
  const SHA384 = `sha384:${"0123456789abcdef".repeat(6)}`;
  const UNSUPPORTED = (algorithm: string): string =>
    `digest algorithm "${algorithm}" is not supported: write "sha256:" and 64 lower-case hex digits (or "sha512:" and 128), the algorithms the OCI image spec registers`;

  it("reads an upper-case first component as a registry host, as Docker does", () => {
    expect(parts("Registry/app")).to.deep.equal(["Registry", "app", "latest"]);
    expect(parts("Foo/bar:1")).to.deep.equal(["Foo", "bar", "1"]);
    expect(parts("Registry.Example.com/team/app")).to.deep.equal([
      "Registry.Example.com",
      "team/app",
      "latest",
    ]);
  });

  it("says lower case when upper case is in the repository, or made an impossible host", () => {
    expect(problem("Nginx:1")).to.equal(
      'the repository name must be lower case: "Nginx" should be "nginx"',
    );
    expect(problem("My_Team/app")).to.equal(
      'the repository name must be lower case: "My_Team" should be "my_team"',
    );
    expect(problem("Registry/App")).to.equal(
      'the repository name must be lower case: "App" should be "app"',
    );
  });

  it("accepts sha512 digests, registered by the OCI image spec", () => {
    expect(parseImageReference(`ghcr.io/org/app@${SHA512}`)).to.deep.equal({
      registry: "ghcr.io",
      repository: "org/app",
      digest: SHA512,
    });
    expect(problem(`app@sha512:${"a".repeat(64)}`)).to.equal(
      `digest ${quote(`sha512:${"a".repeat(64)}`)} is not valid: write "sha512:" and 128 lower-case hex digits`,
    );
  });

  it("rejects sha384 and other unregistered algorithms, which registries need not verify", () => {
    expect(problem(`app@${SHA384}`)).to.equal(UNSUPPORTED("sha384"));
    expect(problem(`app@blake3:${"a".repeat(64)}`)).to.equal(UNSUPPORTED("blake3"));
    expect(problem(`app@SHA256:${"a".repeat(64)}`)).to.equal(UNSUPPORTED("SHA256"));
    expect(problem(`app@sha256:${"A".repeat(64)}`)).to.equal(
      `digest ${quote(`sha256:${"A".repeat(64)}`)} is not valid: write "sha256:" and 64 lower-case hex digits`,
    );
    expect(() => parseImageReference(`app@${SHA384}`)).to.throw(
      Error,
      `Invalid image reference ${quote(`app@${SHA384}`)}: ${UNSUPPORTED("sha384")}.`,
    );
  });

  it("takes IPv6 registry hosts in brackets, with or without a port", () => {
    expect(parts("[::1]:5000/team/app:v1")).to.deep.equal(["[::1]:5000", "team/app", "v1"]);
    expect(parts("[2001:DB8::1]/app")).to.deep.equal(["[2001:DB8::1]", "app", "latest"]);
    const host = (registry: string): string =>
      `registry host "${registry}" is not valid: use a host name such as "registry.example.com" or "localhost:5000"`;
    expect(problem("[fe80::1%eth0]:5000/app")).to.equal(host("[fe80::1%eth0]:5000"));
    expect(problem("[::ffff:10.0.0.1]/app")).to.equal(host("[::ffff:10.0.0.1]"));
    expect(problem("[::1/app")).to.equal(host("[::1"));
    expect(problem("[::1]:5000")).to.equal(
      'the repository name is missing: write it after the registry, as in "[::1]:5000/team/app"',
    );
  });

  it("takes only IPv6 addresses in brackets: no zone, no IPv4-mapped form, no stray colons", () => {
    const host = (registry: string): string =>
      `registry host "${registry}" is not valid: use a host name such as "registry.example.com" or "localhost:5000"`;
    for (const registry of ["[:]", "[1:2:3]", "[1::2::3]", "[:::1]", "[1:2:3:4:5:6:7:8:9]"]) {
      expect(problem(`${registry}/app`), registry).to.equal(host(registry));
    }
    expect(parts("[::]:80/app")).to.deep.equal(["[::]:80", "app", "latest"]);
    expect(parts("[1:2:3:4:5:6:7:8]/app")).to.deep.equal(["[1:2:3:4:5:6:7:8]", "app", "latest"]);
  });

  it("takes registry ports 1 to 65535", () => {
    expect(parseImageReference("reg:65535/app").registry).to.equal("reg:65535");
    expect(parseImageReference("reg:1/app").registry).to.equal("reg:1");
    expect(problem("reg:0/app")).to.equal('registry port 0 in "reg:0" must be between 1 and 65535');
    expect(problem("reg:65536/app")).to.equal(
      'registry port 65536 in "reg:65536" must be between 1 and 65535',
    );
    expect(problem("reg:/app")).to.equal('registry port "" in "reg:" must be a number');
    expect(parseImageReference("reg:00080/app").registry).to.equal("reg:00080");
    expect(problem("reg:000000/app")).to.equal(
      'registry port 000000 in "reg:000000" must be between 1 and 65535',
    );
  });

  it("counts Docker Hub's docker.io/library/ in the 255-character limit, as Docker does", () => {
    const longest = "a".repeat(255 - "docker.io/library/".length);
    expect(parseImageReference(longest).repository).to.equal(`library/${longest}`);
    expect(problem(`${longest}a`)).to.equal(
      `the repository name is longer than 255 characters: "docker.io/library/aaaaaaaaaaaaaaaaaaaaaa..." has 256, counting the registry`,
    );
  });
});

describe("registry hosts: one grammar for image references and insecureRegistries", () => {
  it("takes DNS names in any case, IPv6 addresses in brackets, and ports 1 to 65535", () => {
    const hosts = ["Reg.Example.COM", "localhost", "10.0.0.7:5000", "[::1]", "[2001:DB8::1]:443"];
    expect(hosts.map(registryHostFault)).to.deep.equal(hosts.map(() => undefined));
    expect(registryHostFault("reg:065535")).to.equal(undefined);
  });

  it("names the part at fault, and the port as written", () => {
    expect(
      ["reg.io.", "a..b", "a_b.c", "-reg", "::1", "[::ffff:1.2.3.4]", "[fe80::1%eth0]", ""].map(
        registryHostFault,
      ),
    ).to.deep.equal(Array.from({ length: 8 }, () => ({ part: "host" })));
    const port = (text: string, reason: string): object => ({ part: "port", port: text, reason });
    expect(["reg:port", "[::1]:", "reg:0", "reg:099999"].map(registryHostFault)).to.deep.equal([
      port("port", "not a number"),
      port("", "not a number"),
      port("0", "out of range"),
      port("099999", "out of range"),
    ]);
  });
});

describe("pinned images", () => {
  it("are those whose reference names a digest, with or without a tag", () => {
    expect(pinnedDigest(`app@${DIGEST}`)).to.equal(DIGEST);
    expect(pinnedDigest(`reg.io:5000/team/app:1.0@${DIGEST}`)).to.equal(DIGEST);
    expect(pinnedDigest("app:1.0")).to.equal(undefined);
  });

  it("never are references that do not parse, whatever follows their '@'", () => {
    const images = ["app@latest", `app@x@${DIGEST}`, `App@${DIGEST}`, `@${DIGEST}`];
    expect(images.map(pinnedDigest)).to.deep.equal([undefined, undefined, undefined, undefined]);
  });
});
