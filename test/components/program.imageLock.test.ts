/**
 * The stack program with an image lock, under Pulumi's mocks: each locked `ImageDigest` gets the
 * lock in its inputs (the answer known before any provider runs), the Deployment runs the locked
 * digest and still waits on the `ImageDigest` (whose update checks the digest at `up`), and the
 * program registers exactly what `render` prints.
 */
import * as fs from "node:fs";
import { expect } from "chai";
import { loadAll } from "js-yaml";
import { main as render } from "../../cli/render/main";
import { formatImageLock } from "../../components/model/imageLock/format";
import { IMAGE_DIGEST_TYPE } from "../../provider/imageDigest";
import { crYaml, run, tempProject } from "../cli/run";
import { runProgram, type Registration, type StateFor } from "./harness";

const PROJECT = "wso2-mi";
const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const HELLO = "docker.io/wso2/hello:1.0.0";
const ORDERS = "registry.example.com/team/orders:2.4.0";

/** The mock engine answers an ImageDigest with its inputs, as the provider's `check` does for a lock. */
const asChecked: StateFor = (_type, inputs) => inputs;

function deploymentOf(registrations: Registration[], name: string): Record<string, unknown> {
  const found = registrations.find(
    (r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === `apps/${name}-deployment`,
  );
  if (found === undefined) throw new Error(`no Deployment for ${name}`);
  return found.inputs;
}

function containerImage(deployment: Record<string, unknown>): string {
  return (deployment.spec as { template: { spec: { containers: { image: string }[] } } }).template
    .spec.containers[0].image;
}

describe("the stack program with an image lock", () => {
  let dir: string;
  const config = (policy?: object): Record<string, string> => ({
    "wso2-mi:crs": JSON.stringify(["crs"]),
    "wso2-mi:namespace": "apps",
    "wso2-mi:imageRefresh": JSON.stringify({ enabled: true, ...(policy ? { policy } : {}) }),
  });

  beforeEach(() => {
    dir = tempProject({
      "Pulumi.yaml": "name: wso2-mi\nruntime: nodejs\nstackConfigDir: stacks\n",
      "crs/hello.yaml": crYaml("hello"),
      "crs/orders.yaml": crYaml("orders").replace("docker.io/wso2/orders:1.0.0", ORDERS),
      "stacks/Pulumi.dev.yaml": [
        "config:",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:imageRefresh:",
        "    enabled: true",
        "",
      ].join("\n"),
      "stacks/dev.images.lock.yaml": formatImageLock("dev", {
        [HELLO]: {
          tag: "1.0.0",
          digest: A,
          registry: "docker.io",
          changed: "2026-12-01T00:00:00Z",
        },
      }),
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gives the locked ImageDigest its lock, and the Deployment the locked digest", async () => {
    const program = await runProgram(dir, PROJECT, "dev", config(), asChecked);
    const digests = program.registrations.filter((r) => r.type === IMAGE_DIGEST_TYPE);
    expect(digests.length).to.equal(2);
    const hello = digests.find((r) => r.name === "apps/hello-image");
    const { __provider: provider, ...inputs } = hello?.inputs ?? {};
    expect(provider).to.be.a("string");
    expect(inputs).to.deep.equal({
      image: HELLO,
      onUnreachable: "fail",
      lock: { tag: "1.0.0", digest: A, pinned: `docker.io/wso2/hello:1.0.0@${A}` },
      digest: A,
      pinned: `docker.io/wso2/hello:1.0.0@${A}`,
    });
    const orders = digests.find((r) => r.name === "apps/orders-image");
    expect(orders?.inputs.lock).to.equal(undefined);
    expect(containerImage(deploymentOf(program.registrations, "hello"))).to.equal(
      `docker.io/wso2/hello:1.0.0@${A}`,
    );
  });

  it("registers exactly the objects render prints for a locked stack, the Deployment named by the policy's tag", async () => {
    fs.writeFileSync(
      `${dir}/stacks/Pulumi.dev.yaml`,
      [
        "config:",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:imageRefresh:",
        "    enabled: true",
        "    policy:",
        '      semver: "^2.4.0"',
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      `${dir}/crs/hello.yaml`,
      crYaml("hello").replace(HELLO, "docker.io/wso2/hello:2.4.0"),
    );
    fs.writeFileSync(
      `${dir}/stacks/dev.images.lock.yaml`,
      formatImageLock("dev", {
        [ORDERS]: {
          tag: "2.4.9",
          digest: B,
          registry: "registry.example.com",
          changed: "2026-12-01T00:00:00Z",
        },
        "docker.io/wso2/hello:2.4.0": {
          tag: "2.5.1",
          digest: A,
          registry: "docker.io",
          changed: "2026-12-01T00:00:00Z",
        },
      }),
    );
    const program = await runProgram(dir, PROJECT, "dev", config({ semver: "^2.4.0" }), asChecked);
    const rendered = run(render, ["--stack", "dev"], dir);
    expect([rendered.code, rendered.stderr]).to.deep.equal([0, ""]);
    const printed = (
      loadAll(rendered.stdout) as { kind: string; metadata: { name: string } }[]
    ).filter((o) => o.kind === "Deployment");
    expect(printed.length).to.equal(2);
    for (const object of printed) {
      const name = object.metadata.name.replace(/-deployment$/, "");
      expect(deploymentOf(program.registrations, name)).to.deep.equal(object);
    }
    const orders = deploymentOf(program.registrations, "orders");
    expect((orders.metadata as { annotations: unknown }).annotations).to.deep.equal({
      "integrations.wso2.com/image-tag": "2.4.9",
    });
    expect(containerImage(orders)).to.equal(`registry.example.com/team/orders:2.4.9@${B}`);
  });

  it("takes an integration's own tag policy from its override, as render does", async () => {
    const override = { "apps/orders": { imageRefresh: { policy: { semver: "^2.4.0" } } } };
    fs.writeFileSync(
      `${dir}/stacks/Pulumi.dev.yaml`,
      [
        "config:",
        "  wso2-mi:crs: [crs]",
        "  wso2-mi:namespace: apps",
        "  wso2-mi:imageRefresh:",
        "    enabled: true",
        "  wso2-mi:integrations:",
        "    apps/orders:",
        "      imageRefresh:",
        "        policy:",
        '          semver: "^2.4.0"',
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      `${dir}/stacks/dev.images.lock.yaml`,
      formatImageLock("dev", {
        [HELLO]: {
          tag: "1.0.0",
          digest: A,
          registry: "docker.io",
          changed: "2026-12-01T00:00:00Z",
        },
        [ORDERS]: {
          tag: "2.4.9",
          digest: B,
          registry: "registry.example.com",
          changed: "2026-12-01T00:00:00Z",
        },
      }),
    );
    const program = await runProgram(
      dir,
      PROJECT,
      "dev",
      { ...config(), "wso2-mi:integrations": JSON.stringify(override) },
      asChecked,
    );
    const digests = program.registrations.filter((r) => r.type === IMAGE_DIGEST_TYPE);
    expect(digests.length).to.equal(2);
    const policyOf = (name: string): unknown =>
      digests.find((r) => r.name === `apps/${name}-image`)?.inputs.policy;
    expect(policyOf("orders")).to.deep.equal({
      kind: "semver",
      range: "^2.4.0",
      prereleases: false,
    });
    expect(policyOf("hello")).to.equal(undefined);
    const orders = deploymentOf(program.registrations, "orders");
    expect((orders.metadata as { annotations?: unknown }).annotations).to.deep.equal({
      "integrations.wso2.com/image-tag": "2.4.9",
    });
    expect(containerImage(orders)).to.equal(`registry.example.com/team/orders:2.4.9@${B}`);
    const hello = deploymentOf(program.registrations, "hello");
    expect((hello.metadata as { annotations?: unknown }).annotations).to.equal(undefined);
    const rendered = run(render, ["--stack", "dev"], dir);
    expect([rendered.code, rendered.stderr]).to.deep.equal([0, ""]);
    const printed = (
      loadAll(rendered.stdout) as { kind: string; metadata: { name: string } }[]
    ).filter((o) => o.kind === "Deployment");
    expect(printed.length).to.equal(2);
    for (const object of printed) {
      const name = object.metadata.name.replace(/-deployment$/, "");
      expect(deploymentOf(program.registrations, name)).to.deep.equal(object);
    }
  });
});
