import { expect } from "chai";
import { quote } from "../../../components/model/rules/at";
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  imageReferenceProblem,
  isDns1123Label,
  isDns1123Subdomain,
  isIanaServiceName,
  labelValueProblem,
  qualifiedNameProblem,
} from "../../../components/model/rules";

describe("rules: names", () => {
  it("checks RFC 1123 labels", () => {
    for (const ok of ["a", "hello-world", "a1", "1a", "x".repeat(63)])
      expect(isDns1123Label(ok), ok).to.equal(true);
    for (const bad of ["", "Hello", "a_b", "-a", "a-", "a.b", "x".repeat(64)]) {
      expect(isDns1123Label(bad), bad).to.equal(false);
    }
  });

  it("checks RFC 1123 subdomains", () => {
    for (const ok of ["a", "a.b", "my-map.v1", `${"x".repeat(63)}.${"y".repeat(63)}`]) {
      expect(isDns1123Subdomain(ok), ok).to.equal(true);
    }
    for (const bad of ["", "a..b", ".a", "a.", "A.b", "a_b", `${"x.".repeat(127)}xx`]) {
      expect(isDns1123Subdomain(bad), bad).to.equal(false);
    }
  });

  it("explains a bad name and proposes a fixed one", () => {
    expect(dns1123LabelProblem("Hello_World")).to.equal(
      `"Hello_World" is not a valid name: use only lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. "hello-world"`,
    );
    expect(dns1123SubdomainProblem("My.Map")).to.equal(
      `"My.Map" is not a valid name: use only lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "my.map"`,
    );
    expect(dns1123LabelProblem("")).to.equal("must not be empty");
    expect(dns1123LabelProblem("abcdef", 5)).to.equal(
      "is 6 characters long; at most 5 are allowed",
    );
    expect(dns1123LabelProblem("ok")).to.equal(undefined);
  });

  it("checks IANA service names (named ports)", () => {
    for (const ok of ["http", "mi-health", "h2c", "a".repeat(15)])
      expect(isIanaServiceName(ok), ok).to.equal(true);
    for (const bad of ["8290", "HTTP", "a--b", "a".repeat(16), "-a", ""]) {
      expect(isIanaServiceName(bad), bad).to.equal(false);
    }
  });

  it("checks label keys and values", () => {
    expect(qualifiedNameProblem("app.kubernetes.io/name")).to.equal(undefined);
    expect(qualifiedNameProblem("team")).to.equal(undefined);
    expect(qualifiedNameProblem("Bad_Prefix/x")).to.equal(
      'the prefix "Bad_Prefix" must be a DNS subdomain such as "example.com"',
    );
    expect(qualifiedNameProblem("a b")).to.equal(
      `"a b" must be 1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
    );
    expect(labelValueProblem("")).to.equal(undefined);
    expect(labelValueProblem("v1.2_x")).to.equal(undefined);
    expect(labelValueProblem("-x")).to.equal(
      "a label value must be at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
    );
  });
});

describe("rules: image references", () => {
  it("accepts what Docker accepts", () => {
    const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
    for (const ok of [
      "nginx",
      "nginx:1.25",
      "library/nginx:latest",
      "sajithagimash/test:1.0.0",
      "registry.example.com/team/hello:1.0.0",
      "localhost:5000/hello",
      "registry.example.com:443/a/b/c:v_1.2-rc.3",
      `ghcr.io/org/app@${digest}`,
      `ghcr.io/org/app:1.0@${digest}`,
      "a__b/c-d.e/f---g",
      "[::1]:5000/app:1",
      "Registry.Example.com/app",
      "Foo/bar:1",
      "[::1]/app",
      `ghcr.io/org/app@sha512:${"0123456789abcdef".repeat(8)}`,
    ]) {
      expect(imageReferenceProblem(ok), ok).to.equal(undefined);
    }
  });

  it("says what is wrong", () => {
    const cases: [string, string][] = [
      ["", "must not be empty"],
      ["<Docker image for the Hello World Scenario>", "must not contain spaces"],
      ["https://registry.example.com/app", 'remove "https://": an image reference has no scheme'],
      ["Foo:1", 'the repository name must be lower case: "Foo" should be "foo"'],
      ["My_Team/bar:1", 'the repository name must be lower case: "My_Team" should be "my_team"'],
      [
        "app:-1",
        `tag "-1" is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
      ],
      [
        `app:${"x".repeat(129)}`,
        `tag ${quote("x".repeat(129))} is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
      ],
      [
        "app:",
        `tag "" is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
      ],
      [
        "app@sha256:abc",
        'digest "sha256:abc" is not valid: write "sha256:" and 64 lower-case hex digits',
      ],
      ["a//b", "the repository name has an empty path component ('//' or a '/' at either end)"],
      [
        "team/-app",
        `"-app" is not a valid repository path component: use lower-case letters and digits, separated by '.', '_', '__' or '-'`,
      ],
      [
        "registry.example.com:http/app",
        'registry port "http" in "registry.example.com:http" must be a number',
      ],
      [
        "bad_host.example.com/app",
        'registry host "bad_host.example.com" is not valid: use a host name such as "registry.example.com" or "localhost:5000"',
      ],
      [
        `app@sha384:${"a".repeat(96)}`,
        `digest algorithm "sha384" is not supported: write "sha256:" and 64 lower-case hex digits (or "sha512:" and 128), the algorithms the OCI image spec registers`,
      ],
      [
        "registry.example.com:70000/app",
        'registry port 70000 in "registry.example.com:70000" must be between 1 and 65535',
      ],
      [":1.0", "the repository name is missing"],
      [
        `${"a".repeat(256)}:1`,
        `the repository name is longer than 255 characters: "docker.io/library/aaaaaaaaaaaaaaaaaaaaaa..." has 274, counting the registry`,
      ],
    ];
    for (const [image, problem] of cases)
      expect(imageReferenceProblem(image), image).to.equal(problem);
  });
});
