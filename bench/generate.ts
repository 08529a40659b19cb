/**
 * Generated benchmark projects: a Pulumi project folder with a stack `bench` whose CR folder
 * holds `count` varied Integration CRs (one file each), deterministic for a given count and
 * variant, so that every run and every peer reads the very same files.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dump } from "js-yaml";

/** The stack every generated project defines. */
export const BENCH_STACK = "bench";

/** The namespaces integrations are spread over (one shared Ingress each). */
export const BENCH_NAMESPACES = ["payments", "orders", "customers", "partners", "internal"];

/** The stack's Ingress host and class, which the peers use too. */
export const BENCH_INGRESS = { host: "integrations.bench.example.com", className: "nginx" };

/** A project folder written by {@link generateProject}. */
export interface BenchProject {
  /** The project folder (holds `Pulumi.yaml`). */
  dir: string;
  /** The CR folder, `stacks/bench`. */
  crDir: string;
  count: number;
  /** Integrations that differ from variant 0 (only in variant 1). */
  changed: number;
}

/** Options of {@link generateProject}. */
export interface GenerateOptions {
  /**
   * 0: the base set. 1: the same set with every tenth integration changed (image tag, replicas,
   * an extra env var and inbound port), for plan. Default: 0.
   */
  variant?: 0 | 1;
  /** Where to create the folder. Default: a new folder under the OS temp folder. */
  dir?: string;
}

/** mulberry32: a small seeded PRNG, so that integration `i` is the same in every project. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Tree = null | boolean | number | string | Tree[] | { [key: string]: Tree };

const WORDS = ["orders", "billing", "crm", "erp", "stock", "hr", "sms", "mail", "iot", "ledger"];

/** A probe as a CR writes it, or undefined to take the controller config's. */
function probe(pick: () => number, readiness: boolean): Tree | undefined {
  const timing = { initialDelaySeconds: 5 + Math.floor(pick() * 40), periodSeconds: 5 };
  const kind = Math.floor(pick() * 4);
  if (kind === 0) return undefined;
  if (kind === 1) return { tcpSocket: { port: 8290 }, ...timing };
  if (kind === 2) {
    return { httpGet: { path: readiness ? "/healthz" : "/live", port: 9201 }, ...timing };
  }
  return { exec: { command: ["sh", "-c", "test -f /tmp/ready"] }, ...timing };
}

/** The `i`th Integration CR of a project, as a YAML tree. */
export function benchIntegration(i: number, variant: 0 | 1 = 0): Tree {
  const pick = prng(i + 1);
  const changed = variant === 1 && i % 10 === 0;
  const name = `${WORDS[i % WORDS.length]}-${String(i).padStart(5, "0")}`;
  const namespace = BENCH_NAMESPACES[i % BENCH_NAMESPACES.length];
  const minReplicas = 1 + Math.floor(pick() * 3) + (changed ? 1 : 0);
  const deploySpec: Record<string, Tree> = { minReplicas };
  if (pick() < 0.6) {
    deploySpec.requestCPU = `${100 * (1 + Math.floor(pick() * 5))}m`;
    deploySpec.reqMemory = `${256 * (1 + Math.floor(pick() * 4))}Mi`;
    deploySpec.cpuLimit = "2000m";
    deploySpec.memoryLimit = "2048Mi";
  }
  const liveness = probe(pick, false);
  if (liveness !== undefined) deploySpec.livenessProbe = liveness;
  const readiness = probe(pick, true);
  if (readiness !== undefined) deploySpec.readinessProbe = readiness;
  if (pick() < 0.3) deploySpec.pullPolicy = "IfNotPresent";
  if (pick() < 0.2) {
    deploySpec.configmapDetails = [
      { name: `${name}-conf`, mountPath: "/home/wso2carbon/conf", fileName: "deployment.toml" },
    ];
  }
  const inbound = Math.floor(pick() * 4) + (changed ? 1 : 0);
  const inboundPorts = Array.from({ length: inbound }, (_, k) => 8000 + k * 1000 + (i % 7));
  const env: Tree[] = [];
  const envCount = Math.floor(pick() * 6) + (changed ? 1 : 0);
  for (let k = 0; k < envCount; k++) {
    const kind = k % 3;
    const varName = `VAR_${k}`;
    if (kind === 0) env.push({ name: varName, value: `https://backend-${i}.example.com/${k}` });
    else if (kind === 1)
      env.push({
        name: varName,
        valueFrom: { secretKeyRef: { name: `${name}-secret`, key: `k${k}` } },
      });
    else
      env.push({
        name: varName,
        valueFrom: { configMapKeyRef: { name: `${name}-env`, key: `k${k}` } },
      });
  }
  const spec: Record<string, Tree> = {
    image: `registry.example.com/team-${i % 20}/${name}:1.${i % 7}.${changed ? 1 : 0}`,
    deploySpec,
    expose: { passthroPort: 8290, ...(inboundPorts.length > 0 ? { inboundPorts } : {}) },
  };
  if (pick() < 0.2) spec.imagePullSecret = "registry-credentials";
  if (pick() < 0.4) spec.autoScale = { enabled: "true", maxReplicas: minReplicas + 2 };
  if (env.length > 0) spec.env = env;
  if (pick() < 0.3) spec.envFrom = [{ configMapRef: { name: `${name}-config` } }];
  return {
    apiVersion: "wso2.com/v1alpha2",
    kind: "Integration",
    metadata: { name, namespace },
    spec,
  };
}

/** The controller config of every generated project: the repository's example one. */
function controllerConfigText(): string {
  return fs.readFileSync(
    path.join(__dirname, "..", "stacks", "integration_controller_conf.yaml"),
    "utf8",
  );
}

/** Writes a project with `count` integrations: Pulumi.yaml, the stack file, config and CRs. */
export function generateProject(count: number, options: GenerateOptions = {}): BenchProject {
  const variant = options.variant ?? 0;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `mi-bench-${count}-`));
  const crDir = path.join(dir, "stacks", BENCH_STACK);
  fs.mkdirSync(crDir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: wso2-mi\nruntime:\n  name: nodejs\nstackConfigDir: stacks\n",
  );
  fs.writeFileSync(
    path.join(dir, "stacks", "integration_controller_conf.yaml"),
    controllerConfigText(),
  );
  const stack = {
    config: {
      "wso2-mi:crs": [`stacks/${BENCH_STACK}`],
      "wso2-mi:controllerConfig": "stacks/integration_controller_conf.yaml",
      "wso2-mi:ingress": BENCH_INGRESS,
    },
  };
  fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${BENCH_STACK}.yaml`), dump(stack));
  let changed = 0;
  for (let i = 0; i < count; i++) {
    if (variant === 1 && i % 10 === 0) changed++;
    const file = path.join(crDir, `integration-${String(i).padStart(5, "0")}.yaml`);
    fs.writeFileSync(file, dump(benchIntegration(i, variant), { lineWidth: -1 }));
  }
  return { dir, crDir, count, changed };
}

/** Removes a generated project. */
export function removeProject(project: BenchProject): void {
  fs.rmSync(project.dir, { recursive: true, force: true });
}
