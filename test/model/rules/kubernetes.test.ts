/**
 * What the API server of a supported Kubernetes version refuses, refused here first (issue 15):
 * environment variable names, IP addresses as hosts, the annotations' total size, int32 bounds,
 * Micro Integrator's own ports; and what it accepts but fails later, warned of: memory in
 * milli-units. `.inf` and `.nan` are named as what they are, and a value with two problems gets
 * both in one message.
 */
import { expect } from "chai";
import {
  MAX_ANNOTATION_BYTES,
  MI_RESERVED_PORTS,
  SUPPORTED_KUBERNETES,
  annotationSizeProblem,
  checkInteger,
  checkMemoryQuantity,
  checkPort,
  checkQuantity,
  describeValue,
  envVarNameProblem,
  isIpAddress,
} from "../../../components/model/rules";
import { place, reported } from "../support";

const STRICT =
  "is not an environment variable name Kubernetes before 1.32 (the supported range is " +
  "Kubernetes 1.30 to 1.36) accepts: use letters, digits, '_', '-' and '.', not starting with a digit";

describe("rules: what the supported Kubernetes versions refuse", () => {
  it("states the supported range", () => {
    expect(SUPPORTED_KUBERNETES).to.equal("Kubernetes 1.30 to 1.36");
  });

  it("takes environment variable names as Kubernetes before 1.32 does", () => {
    const what = "an environment variable name";
    for (const good of ["A", "_a", "my.env-name", "MY_ENV.NAME", "MyEnvName1", ".a", "-x"]) {
      expect(envVarNameProblem(good, what), good).to.equal(undefined);
    }
    // Printable ASCII without "=", which 1.32 accepts and 1.30 and 1.31 refuse.
    for (const bad of ["1A", "my var", "a:b", "a/b", "é", "a\tb"]) {
      expect(envVarNameProblem(bad, what), bad).to.equal(STRICT);
    }
    for (const bad of [".", "..", "..a"]) {
      expect(envVarNameProblem(bad, what), bad).to.match(
        /must not be "\." or "\.\.", nor start with "\.\."$/,
      );
    }
    expect(envVarNameProblem("", what)).to.equal("must not be empty");
  });

  it("knows IP addresses, which no Ingress host may be", () => {
    for (const ip of ["10.0.0.1", "192.168.1.250", "::1", "fe80::1", "[::1]"]) {
      expect(isIpAddress(ip), ip).to.equal(true);
    }
    for (const host of ["example.com", "10.example.com", "a1.b2", "localhost"]) {
      expect(isIpAddress(host), host).to.equal(false);
    }
  });

  it("counts an object's annotations, keys and values, against 256 KiB", () => {
    const half = "v".repeat(MAX_ANNOTATION_BYTES / 2 - 1);
    expect(annotationSizeProblem({ a: half, b: half }, "the annotations")).to.equal(undefined);
    expect(annotationSizeProblem({ a: half, bb: half }, "the annotations")).to.equal(
      `the annotations hold ${MAX_ANNOTATION_BYTES + 1} bytes (keys and values); the API ` +
        "server refuses an object whose annotations hold more than 262144 (256 KiB)",
    );
    // UTF-8 bytes, not characters.
    expect(annotationSizeProblem({ a: "\u00e9".repeat(MAX_ANNOTATION_BYTES / 2) }, "x")).to.match(
      /^x hold 262145 bytes/,
    );
  });

  it("says an int32 above its bound must be at most the largest 32-bit integer", () => {
    const at = place("n");
    checkInteger(2147483648, at, 0, 2147483647);
    checkInteger(-1, at, 1, 2147483647);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: n: must be at most 2147483647 (the largest 32-bit integer, as Kubernetes requires), got 2147483648",
      "error: x.yaml: n: must be at least 1, got -1",
    ]);
  });

  it("names .inf and .nan as what they are", () => {
    expect([Infinity, -Infinity, NaN].map(describeValue)).to.deep.equal([
      ".inf (infinity)",
      "-.inf (minus infinity)",
      ".nan (not a number)",
    ]);
    const at = place("n");
    checkInteger(Infinity, at, 0, 10);
    checkPort(NaN, at);
    checkQuantity(-Infinity, at);
    expect(reported(at)).to.deep.equal([
      "error: x.yaml: n: expected a whole number, got .inf (infinity)",
      "error: x.yaml: n: expected a whole number, got .nan (not a number)",
      'error: x.yaml: n: expected a quantity such as "500m" or "512Mi", got -.inf (minus infinity)',
    ]);
  });

  it("reports both problems of a value that is also negative or out of range", () => {
    const at = place("n");
    checkPort("-1", at);
    checkInteger("3000000000", at, 0, 2147483647);
    checkInteger(-0.5, at, 0, 2147483647);
    checkQuantity("-512MB", at);
    expect(reported(at)).to.deep.equal([
      'error: x.yaml: n: expected an integer, got the string "-1"; write -1 without quotes, and it must be between 1 and 65535',
      'error: x.yaml: n: expected an integer, got the string "3000000000"; write 3000000000 without quotes, and it must be at most 2147483647 (the largest 32-bit integer, as Kubernetes requires)',
      "error: x.yaml: n: expected a whole number, got -0.5, and it must be at least 0",
      'error: x.yaml: n: "-512MB" is not a Kubernetes quantity; did you mean "512Mi" (powers of 1024) or "512M" (powers of 1000)?; and it must not be negative',
    ]);
  });

  it("warns of memory in milli-units, which no pod runs with", () => {
    const at = place("reqMemory");
    expect(checkMemoryQuantity("512m", at)).to.equal("512m");
    expect(checkMemoryQuantity("512Mi", at)).to.equal("512Mi");
    expect(checkMemoryQuantity("1.5m", at)).to.equal("1.5m");
    expect(reported(at)).to.deep.equal([
      'warning: x.yaml: reqMemory: "512m" is 0.512 bytes: "m" means thousandths, not megabytes; write "512Mi" (mebibytes) or "512M" (megabytes)',
      'warning: x.yaml: reqMemory: "1.5m" is 0.0015 bytes: "m" means thousandths, not megabytes; write "1.5Mi" (mebibytes) or "1.5M" (megabytes)',
    ]);
  });

  it("lists Micro Integrator's own ports", () => {
    expect([...MI_RESERVED_PORTS.keys()]).to.deep.equal([8253, 9164, 9201]);
  });
});
