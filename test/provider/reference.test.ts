import { expect } from "chai";
import fc from "fast-check";
import {
  formatPinned,
  formatReference,
  isLoopbackRegistry,
  isValidDigest,
  parseImageReference,
  registryApiHost,
  type ImageReference,
} from "../../provider/reference";

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

  const invalid: [string, string][] = [
    ["", "it is empty"],
    ["Nginx", "the repository name must be lowercase"],
    ["reg.io/Team/app", "the repository name must be lowercase"],
    [
      "nginx:",
      `the tag "" should be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
    ],
    [
      "nginx:-x",
      `the tag "-x" should be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
    ],
    [
      `nginx:${"a".repeat(129)}`,
      `the tag "${"a".repeat(129)}" should be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'`,
    ],
    [
      "nginx@sha256:abc",
      `the digest "sha256:abc" should be sha256: followed by 64 lowercase hex digits`,
    ],
    [
      `nginx@md5:${"a".repeat(32)}`,
      `the digest "md5:${"a".repeat(32)}" should be sha256: followed by 64 lowercase hex digits`,
    ],
    [
      "reg.io/team//app",
      `"" is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')`,
    ],
    [
      "reg.io/team/-app",
      `"-app" is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')`,
    ],
    [
      "reg.io/team/a___b",
      `"a___b" is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')`,
    ],
    ["-reg.io/app", `"-reg.io" is not a valid registry host[:port]`],
    ["reg.io:port/app", `"reg.io:port" is not a valid registry host[:port]`],
    ["reg.io/", "the repository name is empty"],
    ["f".repeat(64), "a 64-character hexadecimal string is an image ID, not a reference"],
    [`reg.io/${"a".repeat(250)}`, "the name is longer than 255 characters"],
    [
      "nginx latest",
      `"nginx latest" is not a valid repository path component (lowercase letters and digits, separated by '.', '_', '__' or '-')`,
    ],
  ];
  for (const [ref, why] of invalid) {
    it(`rejects ${JSON.stringify(ref.length > 40 ? `${ref.slice(0, 40)}...` : ref)}`, () => {
      expect(() => parseImageReference(ref)).to.throw(
        Error,
        `Invalid image reference "${ref}": ${why}.`,
      );
    });
  }

  it("pins with the registry written out and no tag", () => {
    expect(formatPinned(parseImageReference("nginx:1.25"), DIGEST)).to.equal(
      `docker.io/library/nginx@${DIGEST}`,
    );
    expect(formatPinned(parseImageReference(`localhost:5000/a/b:v1@${DIGEST}`), DIGEST)).to.equal(
      `localhost:5000/a/b@${DIGEST}`,
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
