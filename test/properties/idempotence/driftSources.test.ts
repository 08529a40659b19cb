/**
 * Nothing in the built objects makes `pulumi preview` show a change forever: an HPA's
 * Deployment leaves `spec.replicas` to it, lists whose order means nothing are sorted, nothing
 * depends on the clock or on chance, no value is generated (no timestamps or UUIDs the input did
 * not hold, no names left to Pulumi's auto-naming), and no field the API server owns is set.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { KubeObject } from "../../../components/builders";
import { dumpStyle } from "../fuzz/arbitraries";
import { type PipelineInput, runPipeline } from "../fuzz/pipeline";
import { fuzz } from "../fuzz/settings";
import { asInput, stackTrees } from "./support";

/** Fields the API server sets: sent by a client, they differ from the live object at once. */
const SERVER_FIELDS = new Set([
  "status",
  "creationTimestamp",
  "deletionTimestamp",
  "resourceVersion",
  "uid",
  "generation",
  "managedFields",
  "selfLink",
  "generateName",
]);

const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Every string, key and null in `value`, with its path. */
function* leaves(value: unknown, at = ""): Generator<[string, unknown, string?]> {
  if (value === null || typeof value !== "object") {
    yield [at, value];
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`;
    if (!Array.isArray(value)) yield [here, undefined, key];
    yield* leaves(child, here);
  }
}

/** Every way `objects` could keep a preview from ever being clean. */
function driftSources(objects: KubeObject[], input: PipelineInput): string[] {
  const out: string[] = [];
  const inputText = [
    ...input.crs.map((f) => f.text),
    input.controllerConfig?.text ?? "",
    ...Object.values(input.config ?? {}),
  ].join("\n");
  const scaled = new Set(
    objects.flatMap((o) =>
      o.kind === "HorizontalPodAutoscaler"
        ? [`${o.metadata?.namespace}/${o.spec?.scaleTargetRef.name}`]
        : [],
    ),
  );
  for (const object of objects) {
    const id = `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`;
    if (object.metadata?.name === undefined || object.metadata.name === "") {
      out.push(`${id}: no metadata.name, so Pulumi would generate one`);
    }
    if (object.kind === "Deployment") {
      const owned = scaled.has(`${object.metadata?.namespace}/${object.metadata?.name}`);
      const replicas = object.spec?.replicas;
      if (owned && replicas !== undefined) out.push(`${id}: sets replicas an HPA owns`);
      if (!owned && replicas === undefined) out.push(`${id}: no replicas and no HPA`);
    }
    if (object.kind === "Ingress") {
      for (const rule of object.spec?.rules ?? []) {
        const paths = (rule.http?.paths ?? []).map((p) => p.path ?? "");
        const sorted = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        if (paths.join("\n") !== sorted.join("\n")) out.push(`${id}: paths not sorted`);
      }
    }
    for (const [at, value, key] of leaves(object)) {
      if (key !== undefined && SERVER_FIELDS.has(key)) out.push(`${id}${at}: set by the server`);
      if (value === null) out.push(`${id}${at}: null`);
      if (typeof value !== "string") continue;
      for (const pattern of [TIMESTAMP, UUID]) {
        const found = pattern.exec(value)?.[0];
        if (found !== undefined && !inputText.includes(found)) {
          out.push(`${id}${at}: ${JSON.stringify(found)} is in no input`);
        }
      }
    }
  }
  return out;
}

/**
 * Runs `work` with another clock (`Date.now()` and `new Date()`) and other `Math.random()`
 * numbers, then puts them back. (Generated identifiers are looked for in the output instead.)
 */
function inAnotherWorld<T>(offsetMs: number, work: () => T): T {
  const RealDate = Date;
  const random = Math.random;
  const now = RealDate.now() + offsetMs;
  class ShiftedDate extends RealDate {
    constructor(...args: [] | [string | number | Date]) {
      if (args.length === 0) super(now);
      else super(args[0]);
    }
    static override now(): number {
      return now;
    }
  }
  let counter = offsetMs;
  try {
    globalThis.Date = ShiftedDate as DateConstructor;
    Math.random = () => (counter++ % 997) / 997;
    return work();
  } finally {
    globalThis.Date = RealDate;
    Math.random = random;
  }
}

describe("idempotence: no source of perpetual diffs in the built objects", () => {
  it("finds the drift sources it looks for", () => {
    const forged = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "", namespace: "a", creationTimestamp: "2031-01-01T00:00:00Z" },
      spec: { selector: {}, template: { metadata: { annotations: { x: null } } } },
    } as unknown as KubeObject;
    expect(driftSources([forged], { crs: [] })).to.deep.equal([
      "Deployment a/: no metadata.name, so Pulumi would generate one",
      "Deployment a/: no replicas and no HPA",
      "Deployment a/.metadata.creationTimestamp: set by the server",
      'Deployment a/.metadata.creationTimestamp: "2031-01-01T00:00" is in no input',
      "Deployment a/.spec.template.metadata.annotations.x: null",
    ]);
  });

  it("has none in generated stacks, and builds the same objects at another time and with other random numbers (400 cases)", () => {
    let checked = 0;
    fuzz(
      fc.property(stackTrees, dumpStyle, (stack, style) => {
        const input = asInput(stack, style, 2);
        const now = runPipeline(input);
        if (now.objects === undefined) return;
        expect(driftSources(now.objects, input)).to.deep.equal([]);
        const later = inAnotherWorld(400 * 24 * 3600 * 1000, () => runPipeline(input));
        expect(JSON.stringify(later.objects)).to.equal(JSON.stringify(now.objects));
        expect(later.yaml).to.equal(now.yaml);
        checked++;
      }),
      400,
    );
    expect(checked).to.be.greaterThan(300);
  });
});
