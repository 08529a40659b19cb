/**
 * The stack program with image refresh on, under Pulumi's mocks: the `ImageDigest` children, the
 * Deployment built from the digest they output, registered outside `apply` (so previews show
 * it), and no credential anywhere the engine would store.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { SKIP_AWAIT_ANNOTATION } from "../../components/builders";
import { runStackProgram } from "../../components/program";
import { IMAGE_DIGEST_ANNOTATION } from "../../components/model/settings/imageRefresh";
import { IMAGE_DIGEST_TYPE } from "../../provider/imageDigest";
import { crYaml, tempProject } from "../cli/run";
import { captureLog, runProgram, valueOf, type Registration, type StateFor } from "./harness";

const PROJECT = "wso2-mi";
const DIGEST = `sha256:${"c".repeat(64)}`;
const SECRET = "pl4nted-Pa55word-in-config";
const ENV_SECRET = "pl4nted-Pa55word-in-env";
const FILE_SECRET = "pl4nted-Pa55word-in-docker-config";
const INTEGRATION = "wso2:integrations:Integration";

/** What the mock engine returns for an ImageDigest: the inputs with a digest of the image's repo. */
const withDigest: StateFor = (type, inputs) => {
  if (type !== IMAGE_DIGEST_TYPE) return inputs;
  const image = inputs.image as string;
  return {
    ...inputs,
    digest: DIGEST,
    pinned: `${image.slice(0, image.lastIndexOf(":"))}@${DIGEST}`,
  };
};

const pinnedCr = crYaml("pinned").replace(
  "docker.io/wso2/pinned:1.0.0",
  `docker.io/wso2/pinned@sha256:${"d".repeat(64)}`,
);
const optedOut = crYaml("out").replace(
  "  name: out\n",
  '  name: out\n  annotations:\n    integrations.wso2.com/image-refresh: "false"\n',
);

let dir: string;

function config(refresh: object): Record<string, string> {
  return {
    "wso2-mi:crs": JSON.stringify(["crs"]),
    "wso2-mi:namespace": "apps",
    "wso2-mi:imageRefresh": JSON.stringify(refresh),
  };
}

function deploymentOf(
  run: { registrations: Registration[] },
  name: string,
): Record<string, unknown> {
  const found = run.registrations.find(
    (r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === `apps/${name}-deployment`,
  );
  if (found === undefined) throw new Error(`no Deployment for ${name}`);
  return found.inputs;
}

interface PodTemplate {
  metadata: { annotations?: Record<string, string> };
  spec: { containers: { image: string; imagePullPolicy: string }[] };
}

function template(deployment: Record<string, unknown>): PodTemplate {
  return (deployment.spec as { template: PodTemplate }).template;
}

describe("the stack program with image refresh", () => {
  beforeEach(() => {
    dir = tempProject({
      "crs/hello.yaml": crYaml("hello"),
      "crs/pinned.yaml": pinnedCr,
      "crs/out.yaml": optedOut,
    });
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("registers an ImageDigest child NS/N-image for each integration that refreshes, and nothing else new", async () => {
    const run = await runProgram(dir, PROJECT, "dev", config({ enabled: true }), withDigest);
    const digests = run.registrations
      .filter((r) => r.type === IMAGE_DIGEST_TYPE)
      .map(({ name, parent }) => ({ name, parent }));
    expect(digests).to.deep.equal([
      { name: "apps/hello-image", parent: `${INTEGRATION}::apps/hello` },
    ]);
    const identities = run.registrations.map((r) => `${r.type}::${r.name}`).sort();
    expect(identities).to.deep.equal(
      [
        "pulumi:pulumi:Stack::wso2-mi-dev",
        "wso2:integrations:IntegrationStack::integrations",
        "wso2:integrations:SharedIngress::apps/ei-operator-ingress",
        "kubernetes:networking.k8s.io/v1:Ingress::apps/ei-operator-ingress",
        `${IMAGE_DIGEST_TYPE}::apps/hello-image`,
        ...["hello", "out", "pinned"].flatMap((n) => [
          `${INTEGRATION}::apps/${n}`,
          `kubernetes:apps/v1:Deployment::apps/${n}-deployment`,
          `kubernetes:core/v1:Service::apps/${n}-service`,
        ]),
      ].sort(),
    );
    const hello = run.registrations.find((r) => r.type === IMAGE_DIGEST_TYPE);
    const owner = run.registrations.find((r) => r.type === INTEGRATION && r.name === "apps/hello");
    expect(hello?.parentUrn).to.be.a("string").and.to.equal(owner?.urn);
  });

  it("gives the provider the image and non-secret settings only", async () => {
    const run = await runProgram(
      dir,
      PROJECT,
      "dev",
      config({
        enabled: true,
        onUnreachable: "keep",
        insecureRegistries: ["r.local:5000"],
        timeoutSeconds: 4,
      }),
      withDigest,
    );
    const digest = run.registrations.find((r) => r.type === IMAGE_DIGEST_TYPE);
    const { __provider: provider, ...inputs } = digest?.inputs ?? {};
    expect(inputs).to.deep.equal({
      image: "docker.io/wso2/hello:1.0.0",
      onUnreachable: "keep",
      insecureRegistries: ["r.local:5000"],
      timeoutMs: 4000,
    });
    expect(provider).to.be.a("string").and.to.include("exports.handler");
  });

  it("runs the pinned reference the provider returns, in digest mode", async () => {
    const run = await runProgram(dir, PROJECT, "dev", config({ enabled: true }), withDigest);
    const images = ["hello", "out", "pinned"].map(
      (n) => template(deploymentOf(run, n)).spec.containers[0].image,
    );
    expect(images).to.deep.equal([
      `docker.io/wso2/hello@${DIGEST}`,
      "docker.io/wso2/out:1.0.0",
      `docker.io/wso2/pinned@sha256:${"d".repeat(64)}`,
    ]);
    expect(template(deploymentOf(run, "hello")).metadata.annotations).to.equal(undefined);
  });

  it("keeps the tag and annotates the digest, pulling Always, in annotation mode", async () => {
    const run = await runProgram(
      dir,
      PROJECT,
      "dev",
      config({ enabled: true, mode: "annotation" }),
      withDigest,
    );
    const hello = template(deploymentOf(run, "hello"));
    expect(hello.spec.containers.map((c) => [c.image, c.imagePullPolicy])).to.deep.equal([
      ["docker.io/wso2/hello:1.0.0", "Always"],
    ]);
    expect(hello.metadata.annotations).to.deep.equal({ [IMAGE_DIGEST_ANNOTATION]: DIGEST });
    expect(template(deploymentOf(run, "out")).metadata.annotations).to.equal(undefined);
  });

  for (const mode of ["digest", "annotation"]) {
    it(`keeps values that hold U+0000 as written, in ${mode} mode`, async () => {
      const odd = ["a\u0000b", "\u0000digest\u0000", "\u0000pinned\u0000"];
      fs.writeFileSync(
        path.join(dir, "crs/hello.yaml"),
        crYaml("hello", [
          "env:",
          ...odd.map((v, i) => `  - {name: V${i}, value: ${JSON.stringify(v)}}`),
        ]),
      );
      const run = await runProgram(
        dir,
        PROJECT,
        "dev",
        config({ enabled: true, mode }),
        withDigest,
      );
      const env = (
        deploymentOf(run, "hello").spec as {
          template: { spec: { containers: { env: unknown }[] } };
        }
      ).template.spec.containers[0].env;
      expect(env).to.deep.equal(odd.map((value, i) => ({ name: `V${i}`, value })));
    });
  }

  it("keeps the Deployment's skipAwait annotation when it takes the digest", async () => {
    const run = await runProgram(
      dir,
      PROJECT,
      "dev",
      { ...config({ enabled: true }), "wso2-mi:kubernetes": JSON.stringify({ skipAwait: true }) },
      withDigest,
    );
    const metadata = deploymentOf(run, "hello").metadata as { annotations?: object };
    expect(metadata.annotations).to.deep.equal({ [SKIP_AWAIT_ANNOTATION]: "true" });
    expect(template(deploymentOf(run, "hello")).spec.containers[0].image).to.equal(
      `docker.io/wso2/hello@${DIGEST}`,
    );
  });

  it("registers no ImageDigest when the stack does not enable refresh", async () => {
    const run = await runProgram(dir, PROJECT, "dev", config({ enabled: false }), withDigest);
    expect(run.registrations.filter((r) => r.type === IMAGE_DIGEST_TYPE)).to.deep.equal([]);
    expect(template(deploymentOf(run, "hello")).spec.containers[0].image).to.equal(
      "docker.io/wso2/hello:1.0.0",
    );
  });

  it("stores no credential: not in inputs, outputs or the serialized provider", async () => {
    const dockerDir = fs.mkdtempSync(path.join(dir, "docker-"));
    fs.writeFileSync(
      path.join(dockerDir, "config.json"),
      JSON.stringify({
        auths: { "docker.io": { auth: Buffer.from(`ci:${FILE_SECRET}`).toString("base64") } },
      }),
    );
    const saved = {
      DOCKER_CONFIG: process.env.DOCKER_CONFIG,
      PASSWORD: process.env.REGISTRY_PASSWORD,
    };
    process.env.DOCKER_CONFIG = dockerDir;
    process.env.REGISTRY_PASSWORD = ENV_SECRET;
    try {
      const run = await runProgram(
        dir,
        PROJECT,
        "dev",
        {
          ...config({ enabled: true }),
          "wso2-mi:registryCredentials": JSON.stringify({
            "docker.io": { username: "ci", password: SECRET },
          }),
        },
        withDigest,
      );
      const everything = JSON.stringify(run);
      expect(everything).to.include("exports.handler");
      for (const secret of [
        SECRET,
        ENV_SECRET,
        FILE_SECRET,
        Buffer.from(`ci:${FILE_SECRET}`).toString("base64"),
      ]) {
        expect(everything).not.to.include(secret);
      }
      expect(run.log.errors).to.deep.equal([]);
    } finally {
      for (const [key, value] of [
        ["DOCKER_CONFIG", saved.DOCKER_CONFIG],
        ["REGISTRY_PASSWORD", saved.PASSWORD],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("registers the Deployment during a preview, with only its image unknown while the digest is", async () => {
    const registered = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.set(`${args.type}::${args.name}`, args.inputs as Record<string, unknown>);
          return { id: args.name, state: args.inputs as Record<string, unknown> };
        },
        call: (args) => {
          throw new Error(`unexpected call to ${args.token}`);
        },
      },
      PROJECT,
      "dev",
      true,
    );
    pulumi.runtime.setAllConfig(config({ enabled: true }));
    const resources: pulumi.Resource[] = [];
    await pulumi.runtime.runInPulumiStack(() => {
      pulumi.runtime.registerStackTransformation((args) => {
        resources.push(args.resource);
        return undefined;
      });
      runStackProgram({ baseDir: dir, log: captureLog() });
      return Promise.resolve({});
    });
    await Promise.all(resources.map((r) => valueOf(r.urn)));
    const deployment = registered.get("kubernetes:apps/v1:Deployment::apps/hello-deployment");
    expect(deployment).to.not.equal(undefined);
    expect(deployment?.metadata).to.deep.equal({
      name: "hello-deployment",
      namespace: "apps",
      labels: { app: "integration", integration_cr: "hello" },
    });
    // Only the field that holds the digest waits for it; the rest of the spec diffs as usual.
    const spec = deployment?.spec as { template: PodTemplate; replicas: number };
    expect(pulumi.isUnknown(spec)).to.equal(false);
    expect(spec.replicas).to.equal(1);
    const [container] = spec.template.spec.containers;
    expect(pulumi.isUnknown(container.image)).to.equal(true);
    expect(container.imagePullPolicy).to.equal("Always");
    expect(registered.has(`${IMAGE_DIGEST_TYPE}::apps/hello-image`)).to.equal(true);
    const out = registered.get("kubernetes:apps/v1:Deployment::apps/out-deployment");
    expect(pulumi.isUnknown(out?.spec)).to.equal(false);
  });
});
