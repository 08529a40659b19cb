/**
 * Rollout of a resolved digest: which integrations refresh their image, and what the Deployment
 * looks like in `digest` and `annotation` mode.
 */
import { expect } from "chai";
import { buildDeployment } from "../../components/builders";
import {
  IMAGE_DIGEST_ANNOTATION,
  IMAGE_REFRESH_ANNOTATION,
} from "../../components/model/settings/imageRefresh";
import { formatProblem, InputError } from "../../components/model/problems";
import { loadStackByName } from "../../components/model/loadStack";
import type { ResolvedIntegration, ResolvedStack } from "../../components/model/types";
import { integration } from "../builders/fixtures";
import { crYaml } from "../cli/run";
import { refreshProject, removeProjects } from "./support";

const DIGEST_A = `sha256:${"a".repeat(64)}`;
const DIGEST_B = `sha256:${"b".repeat(64)}`;

function load(refreshLines: string[], crs: Record<string, string>): ResolvedStack {
  return loadStackByName(refreshProject(refreshLines, crs), "dev");
}

function byName(stack: ResolvedStack, name: string): ResolvedIntegration {
  const found = stack.integrations.find((i) => i.name === name);
  if (found === undefined) throw new Error(`no integration ${name}`);
  return found;
}

/** A CR with `annotations` (key: value lines) under its metadata. */
function annotated(name: string, annotations: Record<string, string>, spec: string[] = []): string {
  const lines = crYaml(name, spec).split("\n");
  const at = lines.indexOf(`  name: ${name}`) + 1;
  lines.splice(
    at,
    0,
    "  annotations:",
    ...Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
  );
  return lines.join("\n");
}

describe("image refresh: which integrations refresh", () => {
  after(removeProjects);

  it("refreshes none when the stack does not enable it", () => {
    const stack = load([], { hello: crYaml("hello") });
    expect(byName(stack, "hello").imageRefresh).to.equal(undefined);
    expect(load(["enabled: false"], { hello: crYaml("hello") }).integrations[0].imageRefresh).to.be
      .undefined;
  });

  it("refreshes every tag when enabled, with the stack's settings", () => {
    const stack = load(
      [
        "enabled: true",
        "onUnreachable: keep",
        "insecureRegistries: [registry.local:5000]",
        "timeoutSeconds: 7",
      ],
      { hello: crYaml("hello"), bye: crYaml("bye") },
    );
    const expected = {
      mode: "digest",
      onUnreachable: "keep",
      insecureRegistries: ["registry.local:5000"],
      timeoutSeconds: 7,
    };
    expect(byName(stack, "hello").imageRefresh).to.deep.equal(expected);
    expect(byName(stack, "bye").imageRefresh).to.deep.equal(expected);
    expect(stack.advice).to.deep.equal([]);
  });

  it('leaves out a CR annotated image-refresh: "false", and one pinned by digest', () => {
    const pinned = crYaml("pinned").replace(
      "docker.io/wso2/pinned:1.0.0",
      `docker.io/wso2/pinned@${DIGEST_A}`,
    );
    const tagged = crYaml("tagged").replace(
      "docker.io/wso2/tagged:1.0.0",
      `wso2/tagged:1.0.0@${DIGEST_B}`,
    );
    const stack = load(["enabled: true"], {
      hello: crYaml("hello"),
      out: annotated("out", { [IMAGE_REFRESH_ANNOTATION]: "false" }),
      in: annotated("in", { [IMAGE_REFRESH_ANNOTATION]: "true" }),
      pinned,
      tagged,
    });
    expect(
      Object.fromEntries(stack.integrations.map((i) => [i.name, i.imageRefresh !== undefined])),
    ).to.deep.equal({ hello: true, in: true, out: false, pinned: false, tagged: false });
    expect(byName(stack, "pinned").image).to.equal(`docker.io/wso2/pinned@${DIGEST_A}`);
    expect(byName(stack, "tagged").image).to.equal(`wso2/tagged:1.0.0@${DIGEST_B}`);
  });

  it("reports an annotation that is neither true nor false, at its line", () => {
    const dir = refreshProject(["enabled: true"], {
      hello: annotated("hello", { [IMAGE_REFRESH_ANNOTATION]: "no" }),
    });
    let thrown: unknown;
    try {
      loadStackByName(dir, "dev");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(InputError);
    expect((thrown as InputError).problems.map(formatProblem)).to.deep.equal([
      'error: crs/hello.yaml:6: metadata.annotations["integrations.wso2.com/image-refresh"]: ' +
        'expected "true" or "false", got "no"; "false" keeps this CR\'s image tag as written ' +
        "when the stack refreshes images",
    ]);
  });

  it("makes the pull policy Always in annotation mode, warning when the CR said otherwise", () => {
    const stack = load(["enabled: true", "mode: annotation"], {
      cached: crYaml("cached", ["deploySpec:", "  pullPolicy: IfNotPresent"]),
      plain: crYaml("plain"),
    });
    expect(byName(stack, "cached").pullPolicy).to.equal("Always");
    expect(byName(stack, "plain").pullPolicy).to.equal("Always");
    expect(stack.advice.map(formatProblem)).to.deep.equal([
      "warning: crs/cached.yaml:8: spec.deploySpec.pullPolicy: IfNotPresent is replaced by " +
        'Always: with the stack\'s imageRefresh.mode "annotation" the tag stays in the image, ' +
        "and only Always makes new pods pull the digest the annotation names",
    ]);
  });

  it("keeps the CR's pull policy in digest mode", () => {
    const stack = load(["enabled: true"], {
      cached: crYaml("cached", ["deploySpec:", "  pullPolicy: IfNotPresent"]),
    });
    expect(byName(stack, "cached").pullPolicy).to.equal("IfNotPresent");
    expect(stack.advice).to.deep.equal([]);
  });
});

describe("image refresh: the Deployment of a resolved digest", () => {
  const image = "registry.example.com/team/hello:1.0.0";
  const pinnedA = `registry.example.com/team/hello@${DIGEST_A}`;
  const pinnedB = `registry.example.com/team/hello@${DIGEST_B}`;
  const refresh = {
    mode: "digest" as const,
    onUnreachable: "fail" as const,
    insecureRegistries: [],
  };

  it("runs the pinned reference in digest mode", () => {
    const hello = integration({ imageRefresh: refresh });
    const deployment = buildDeployment(hello, { digest: DIGEST_A, pinned: pinnedA });
    const template = deployment.spec?.template;
    expect(template?.spec?.containers.map((c) => [c.image, c.imagePullPolicy])).to.deep.equal([
      [pinnedA, "Always"],
    ]);
    expect(template?.metadata).to.deep.equal({
      labels: { app: "integration", integration_cr: "hello" },
    });
    expect(deployment.spec?.strategy).to.deep.equal({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
  });

  it("keeps the tag and annotates the pod template with the digest in annotation mode", () => {
    const hello = integration({ imageRefresh: { ...refresh, mode: "annotation" } });
    const deployment = buildDeployment(hello, { digest: DIGEST_A, pinned: pinnedA });
    const template = deployment.spec?.template;
    expect(template?.spec?.containers.map((c) => [c.image, c.imagePullPolicy])).to.deep.equal([
      [image, "Always"],
    ]);
    expect(template?.metadata).to.deep.equal({
      labels: { app: "integration", integration_cr: "hello" },
      annotations: { [IMAGE_DIGEST_ANNOTATION]: DIGEST_A },
    });
    expect(deployment.spec?.selector).to.deep.equal({
      matchLabels: { app: "integration", integration_cr: "hello" },
    });
  });

  for (const mode of ["digest", "annotation"] as const) {
    it(`changes the pod template, and nothing else, when the digest moves (${mode} mode)`, () => {
      const hello = integration({ imageRefresh: { ...refresh, mode } });
      const a = buildDeployment(hello, { digest: DIGEST_A, pinned: pinnedA });
      const b = buildDeployment(hello, { digest: DIGEST_B, pinned: pinnedB });
      expect(a.spec?.template).not.to.deep.equal(b.spec?.template);
      expect({ ...a.spec, template: undefined }).to.deep.equal({ ...b.spec, template: undefined });
      expect(a.metadata).to.deep.equal(b.metadata);
    });
  }

  it("leaves an integration that does not refresh unchanged", () => {
    const hello = integration();
    expect(buildDeployment(hello, { digest: DIGEST_A, pinned: pinnedA })).to.deep.equal(
      buildDeployment(hello),
    );
    expect(buildDeployment(hello).spec?.template?.spec?.containers[0].image).to.equal(image);
  });
});
