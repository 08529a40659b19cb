/**
 * The image lock as an input: its text (written byte-stable, read back), every mistake with its
 * line and field, and how it reaches the resolved stack and the objects built from it.
 */
import { expect } from "chai";
import { buildStackObjects, listObjects } from "../../../components/builders";
import { formatImageLock } from "../../../components/model/imageLock/format";
import { imageLockFile, parseImageLock } from "../../../components/model/imageLock/read";
import { loadStackByName } from "../../../components/model/loadStack";
import { formatProblem, InputError, Problems } from "../../../components/model/problems";
import type { LockedImage, ResolvedStack } from "../../../components/model/types";
import { crYaml, tempProject } from "../../cli/run";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const HELLO = "docker.io/wso2/hello:1.0.0";
const ORDERS = "registry.example.com/team/orders:2.4.0";
const WHEN = "2026-11-02T08:00:00Z";

const IMAGES: Record<string, LockedImage> = {
  [ORDERS]: { tag: "2.4.3", digest: B, registry: "registry.example.com", changed: WHEN },
  [HELLO]: { tag: "1.0.0", digest: A, registry: "docker.io", changed: WHEN },
};

function parse(text: string): { lock: unknown; problems: string[] } {
  const problems = new Problems();
  const lock = parseImageLock(text, "stacks/dev.images.lock.yaml", problems);
  return { lock, problems: problems.list.map(formatProblem) };
}

describe("image lock: the file", () => {
  it("is written sorted, every value quoted, and read back as written", () => {
    const text = formatImageLock("dev", IMAGES);
    expect(text.split("\n").slice(4)).to.deep.equal([
      "images:",
      `  "${HELLO}":`,
      '    tag: "1.0.0"',
      `    digest: "${A}"`,
      '    registry: "docker.io"',
      `    changed: "${WHEN}"`,
      `  "${ORDERS}":`,
      '    tag: "2.4.3"',
      `    digest: "${B}"`,
      '    registry: "registry.example.com"',
      `    changed: "${WHEN}"`,
      "",
    ]);
    expect(text.startsWith("# The image lock of stack dev:")).to.equal(true);
    expect(formatImageLock("dev", { [ORDERS]: IMAGES[ORDERS], [HELLO]: IMAGES[HELLO] })).to.equal(
      text,
    );
    const read = parse(text);
    expect(read.problems).to.deep.equal([]);
    expect((read.lock as { images: unknown }).images).to.deep.equal(IMAGES);
    expect(parse(formatImageLock("dev", {}))).to.deep.include({ problems: [] });
  });

  it("keeps a tag that YAML would read as a number a string", () => {
    const images = { "docker.io/wso2/x:1.10": { ...IMAGES[HELLO], tag: "1.10" } };
    const read = parse(formatImageLock("dev", images));
    expect((read.lock as { images: unknown }).images).to.deep.equal(images);
  });

  it("reports every mistake at once, with its line and field", () => {
    const text = [
      "images:",
      '  "docker.io/wso2/ok:1":',
      "    tag: 1",
      `    digest: "sha256:abc"`,
      '    registry: "quay.io"',
      '    changed: "yesterday"',
      '  "Bad Image":',
      '    tag: "1"',
      '  "docker.io/wso2/pinned@' + A + '":',
      '    tag: "1"',
      '  "docker.io/wso2/short:1":',
      '    tag: "1"',
      '    digst: "x"',
      "extra: true",
      "",
    ].join("\n");
    const file = "error: stacks/dev.images.lock.yaml";
    expect(parse(text)).to.deep.equal({
      lock: undefined,
      problems: [
        `${file}:14: extra: unknown field; the known fields are images`,
        `${file}:3: images["docker.io/wso2/ok:1"].tag: expected a string, got 1; quote it: "1"`,
        `${file}:4: images["docker.io/wso2/ok:1"].digest: expected "sha256:" and 64 lower-case hex digits, got "sha256:abc"`,
        `${file}:5: images["docker.io/wso2/ok:1"].registry: is "quay.io", but the image is on "docker.io"; rewrite the lock with \`npm run images -- --update\``,
        `${file}:6: images["docker.io/wso2/ok:1"].changed: expected a UTC time like "2026-01-31T09:00:00Z", got "yesterday"`,
        `${file}:7: images["Bad Image"]: is not an image reference: must not contain spaces`,
        `${file}:9: images["${`docker.io/wso2/pinned@${A}`.slice(0, 60)}…"]: is pinned by digest already, so it needs no lock; remove it`,
        `${file}:13: images["docker.io/wso2/short:1"].digst: unknown field; did you mean "digest"?`,
        `${file}:11: images["docker.io/wso2/short:1"].digest: required field is missing`,
        `${file}:11: images["docker.io/wso2/short:1"].registry: required field is missing`,
        `${file}:11: images["docker.io/wso2/short:1"].changed: required field is missing`,
      ],
    });
    expect(parse("images: [a]\n").problems).to.deep.equal([
      `${file}:1: images: expected a mapping of image to its lock, got a list`,
    ]);
    expect(parse("images: {\n").problems.length).to.equal(1);
  });

  it("sits beside the stack file, and only a stack file has one", () => {
    const settings = { stack: "prod", source: { file: "stacks/Pulumi.prod.yaml" } };
    expect(imageLockFile(settings as never)).to.equal("stacks/prod.images.lock.yaml");
    const flags = { stack: "render", source: { file: "command line" } };
    expect(imageLockFile(flags as never)).to.equal(undefined);
  });
});

/** A project whose stack `dev` (root folder) runs `crs` with `refresh` lines and a lock `lock`. */
function project(refresh: string[], crs: Record<string, string>, lock?: string): string {
  const files: Record<string, string> = {
    "Pulumi.dev.yaml": [
      "config:",
      "  wso2-mi:crs: crs",
      "  wso2-mi:namespace: apps",
      ...(refresh.length > 0 ? ["  wso2-mi:imageRefresh:"] : []),
      ...refresh.map((l) => `    ${l}`),
      "",
    ].join("\n"),
  };
  for (const [name, image] of Object.entries(crs)) {
    files[`crs/${name}.yaml`] = crYaml(name).replace(`docker.io/wso2/${name}:1.0.0`, image);
  }
  if (lock !== undefined) files["dev.images.lock.yaml"] = lock;
  return tempProject(files);
}

function images(stack: ResolvedStack): Record<string, string | undefined> {
  const objects = listObjects(buildStackObjects(stack));
  return Object.fromEntries(
    objects
      .filter((o) => o.kind === "Deployment")
      .map((o) => [
        o.metadata?.name ?? "",
        (o as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template
          .spec.containers[0].image,
      ]),
  );
}

describe("image lock: the resolved stack", () => {
  it("gives each refreshing integration its locked digest, which the objects deploy", () => {
    const dir = project(
      ["enabled: true"],
      { hello: HELLO, other: HELLO, orders: ORDERS },
      formatImageLock("dev", IMAGES),
    );
    const stack = loadStackByName(dir, "dev");
    expect(stack.integrations.length).to.equal(3);
    expect(stack.integrations.map((i) => [i.name, i.imageRefresh?.locked])).to.deep.equal([
      ["hello", { tag: "1.0.0", digest: A, pinned: `docker.io/wso2/hello:1.0.0@${A}` }],
      // orders' lock holds 2.4.3, which its policy (digest: the tag as written, 2.4.0) never deploys.
      ["orders", undefined],
      ["other", { tag: "1.0.0", digest: A, pinned: `docker.io/wso2/hello:1.0.0@${A}` }],
    ]);
    expect(stack.imageLock?.file).to.equal("dev.images.lock.yaml");
    expect(images(stack)).to.deep.equal({
      "hello-deployment": `docker.io/wso2/hello:1.0.0@${A}`,
      "orders-deployment": ORDERS,
      "other-deployment": `docker.io/wso2/hello:1.0.0@${A}`,
    });
    expect(stack.advice.map(formatProblem)).to.deep.equal([
      `warning: dev.images.lock.yaml:12: images["${ORDERS}"].tag: "2.4.3" is not a tag the policy of apps/orders (digest) deploys, so the image is resolved at every preview until \`npm run images -- --stack dev --update\` locks it again`,
    ]);
  });

  it("deploys a policy's locked tag, and the Deployment names it", () => {
    const dir = project(
      ["enabled: true", "policy:", '  semver: "^2.4.0"'],
      { orders: ORDERS },
      formatImageLock("dev", { [ORDERS]: IMAGES[ORDERS] }),
    );
    const stack = loadStackByName(dir, "dev");
    expect(stack.advice).to.deep.equal([]);
    const [deployment] = listObjects(buildStackObjects(stack));
    expect(deployment.metadata?.annotations).to.deep.equal({
      "integrations.wso2.com/image-tag": "2.4.3",
    });
    expect(images(stack)).to.deep.equal({
      "orders-deployment": `registry.example.com/team/orders:2.4.3@${B}`,
    });
  });

  it("notes an image the lock does not hold, and an entry no integration runs", () => {
    const dir = project(
      ["enabled: true"],
      { hello: "docker.io/wso2/hello:2.0.0" },
      formatImageLock("dev", { [HELLO]: IMAGES[HELLO] }),
    );
    const stack = loadStackByName(dir, "dev");
    expect(stack.integrations[0].imageRefresh?.locked).to.equal(undefined);
    expect(images(stack)).to.deep.equal({ "hello-deployment": "docker.io/wso2/hello:2.0.0" });
    expect(stack.advice.map(formatProblem)).to.deep.equal([
      "note: crs/hello.yaml:6: spec.image: docker.io/wso2/hello:2.0.0 is not in dev.images.lock.yaml: its digest is resolved at every preview until `npm run images -- --stack dev --update` locks it",
      `note: dev.images.lock.yaml:6: images["${HELLO}"]: no integration of the stack refreshes this image; \`npm run images -- --stack dev --update\` removes it`,
    ]);
  });

  it("is not read, with a warning, when the stack does not refresh images", () => {
    const dir = project([], { hello: HELLO }, formatImageLock("dev", { [HELLO]: IMAGES[HELLO] }));
    const stack = loadStackByName(dir, "dev");
    expect(stack.imageLock).to.equal(undefined);
    expect(images(stack)).to.deep.equal({ "hello-deployment": HELLO });
    expect(stack.advice.map(formatProblem)).to.deep.equal([
      "warning: dev.images.lock.yaml:5: is not read: the stack's imageRefresh is not enabled, so its images deploy as the CRs write them",
    ]);
  });

  it("stops the stack when invalid, with every other problem", () => {
    const dir = project(["enabled: true"], { hello: HELLO }, "images:\n  x: 1\n");
    let thrown: unknown;
    try {
      loadStackByName(dir, "dev");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(InputError);
    expect((thrown as InputError).problems.map(formatProblem)).to.deep.equal([
      "error: dev.images.lock.yaml:2: images.x: expected a mapping, got 1",
    ]);
  });
});
