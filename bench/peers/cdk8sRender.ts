/**
 * The peer renderer: what a TypeScript user would write with cdk8s-plus instead of this project.
 * It reads the same CR files with js-yaml (no validation, no line numbers), takes the example
 * controller config's defaults as constants, and builds the same objects (Deployment, Service,
 * optional HPA, one Ingress per namespace) with cdk8s-plus constructs, then synthesises YAML.
 *
 * Where cdk8s-plus adds fields of its own (security context, HPA scaling rules, a
 * `cdk8s.io/metadata.addr` label), they are left as cdk8s-plus makes them: that is what its
 * users get, and it costs cdk8s the same work either way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App, Chart, Duration, Size } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import { Construct } from "constructs";
import { load } from "js-yaml";

/** The parts of a CR this renderer reads; the rest of the file is ignored. */
interface ProbeSpec {
  tcpSocket?: { port: number };
  httpGet?: { path: string; port: number };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
}
interface EnvSpec {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface CrSpec {
  metadata: { name: string; namespace?: string };
  spec: {
    image: string;
    imagePullSecret?: string;
    deploySpec?: {
      minReplicas?: number;
      requestCPU?: string;
      reqMemory?: string;
      cpuLimit?: string;
      memoryLimit?: string;
      livenessProbe?: ProbeSpec;
      readinessProbe?: ProbeSpec;
      pullPolicy?: string;
      configmapDetails?: { name: string; mountPath: string; fileName: string }[];
    };
    autoScale?: { enabled?: string | boolean; maxReplicas?: number };
    expose?: { passthroPort?: number; inboundPorts?: number[] };
    env?: EnvSpec[];
    envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  };
}

/** The example controller config's values, as a cdk8s user would copy them into code. */
const DEFAULTS = {
  minReplicas: 1,
  maxReplicas: 5,
  requestCPU: "250m",
  reqMemory: "512Mi",
  cpuLimit: "1000m",
  memoryLimit: "1024Mi",
  livenessProbe: { tcpSocket: { port: 8290 }, initialDelaySeconds: 10, periodSeconds: 5 },
  readinessProbe: {
    httpGet: { path: "/healthz", port: 9201 },
    initialDelaySeconds: 10,
    periodSeconds: 5,
  },
  ingressName: "ei-operator-ingress",
  annotations: {
    "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
    "nginx.ingress.kubernetes.io/ssl-redirect": "false",
  },
} as const;

function cpu(quantity: string): kplus.Cpu {
  return quantity.endsWith("m")
    ? kplus.Cpu.millis(Number(quantity.slice(0, -1)))
    : kplus.Cpu.units(Number(quantity));
}

function memory(quantity: string): Size {
  return quantity.endsWith("Gi")
    ? Size.gibibytes(Number(quantity.slice(0, -2)))
    : Size.mebibytes(Number(quantity.slice(0, -2)));
}

function probe(spec: ProbeSpec): kplus.Probe {
  const timing = {
    ...(spec.initialDelaySeconds === undefined
      ? {}
      : { initialDelaySeconds: Duration.seconds(spec.initialDelaySeconds) }),
    ...(spec.periodSeconds === undefined
      ? {}
      : { periodSeconds: Duration.seconds(spec.periodSeconds) }),
  };
  if (spec.tcpSocket) return kplus.Probe.fromTcpSocket({ port: spec.tcpSocket.port, ...timing });
  if (spec.httpGet) {
    return kplus.Probe.fromHttpGet(spec.httpGet.path, { port: spec.httpGet.port, ...timing });
  }
  return kplus.Probe.fromCommand(spec.exec?.command ?? [], timing);
}

function envValue(scope: Construct, env: EnvSpec): kplus.EnvValue {
  const secret = env.valueFrom?.secretKeyRef;
  if (secret) {
    return kplus.EnvValue.fromSecretValue({
      secret: kplus.Secret.fromSecretName(scope, `secret-${env.name}`, secret.name),
      key: secret.key,
    });
  }
  const configMap = env.valueFrom?.configMapKeyRef;
  if (configMap) {
    return kplus.EnvValue.fromConfigMap(
      kplus.ConfigMap.fromConfigMapName(scope, `cm-${env.name}`, configMap.name),
      configMap.key,
    );
  }
  return kplus.EnvValue.fromValue(env.value ?? "");
}

/** One integration: Deployment, Service, optional HPA. Returns the Service and its ports. */
function integration(chart: Chart, cr: CrSpec): { service: kplus.Service; ports: number[] } {
  const { name } = cr.metadata;
  const namespace = cr.metadata.namespace ?? "default";
  const scope = new Construct(chart, `${namespace}-${name}`);
  const deploy = cr.spec.deploySpec ?? {};
  const labels = { app: "integration", integration_cr: name };
  const passthrough = cr.spec.expose?.passthroPort ?? 8290;
  const ports = [passthrough, ...(cr.spec.expose?.inboundPorts ?? [])];
  const autoscale = String(cr.spec.autoScale?.enabled ?? "false") === "true";
  const minReplicas = deploy.minReplicas ?? DEFAULTS.minReplicas;
  const envVariables: Record<string, kplus.EnvValue> = {};
  for (const env of cr.spec.env ?? []) envVariables[env.name] = envValue(scope, env);
  const envFrom = (cr.spec.envFrom ?? []).map((source, k) =>
    source.secretRef
      ? kplus.Env.fromSecret(kplus.Secret.fromSecretName(scope, `ef-${k}`, source.secretRef.name))
      : kplus.Env.fromConfigMap(
          kplus.ConfigMap.fromConfigMapName(scope, `ef-${k}`, source.configMapRef?.name ?? ""),
        ),
  );

  const deployment = new kplus.Deployment(scope, "deployment", {
    metadata: { name: `${name}-deployment`, namespace, labels },
    ...(autoscale ? {} : { replicas: minReplicas }),
    select: false,
    podMetadata: { labels },
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
    securityContext: { ensureNonRoot: false },
    ...(cr.spec.imagePullSecret === undefined
      ? {}
      : {
          dockerRegistryAuth: kplus.Secret.fromSecretName(scope, "pull", cr.spec.imagePullSecret),
        }),
  });
  deployment.select(kplus.LabelSelector.of({ labels }));
  const container = deployment.addContainer({
    name: "micro-integrator",
    image: cr.spec.image,
    imagePullPolicy: (deploy.pullPolicy ?? "Always") as kplus.ImagePullPolicy,
    ports: ports.map((number) => ({ number })),
    envVariables,
    envFrom,
    liveness: probe(deploy.livenessProbe ?? DEFAULTS.livenessProbe),
    readiness: probe(deploy.readinessProbe ?? DEFAULTS.readinessProbe),
    lifecycle: {
      preStop: kplus.Handler.fromCommand([
        "sh",
        "-c",
        "${WSO2_SERVER_HOME}/bin/micro-integrator.sh stop",
      ]),
    },
    resources: {
      cpu: {
        request: cpu(deploy.requestCPU ?? DEFAULTS.requestCPU),
        limit: cpu(deploy.cpuLimit ?? DEFAULTS.cpuLimit),
      },
      memory: {
        request: memory(deploy.reqMemory ?? DEFAULTS.reqMemory),
        limit: memory(deploy.memoryLimit ?? DEFAULTS.memoryLimit),
      },
    },
    securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
  });
  (deploy.configmapDetails ?? []).forEach((mount, k) => {
    const volume = kplus.Volume.fromConfigMap(
      scope,
      `volume-${k}`,
      kplus.ConfigMap.fromConfigMapName(scope, `mount-${k}`, mount.name),
      { name: `volume-${mount.name}` },
    );
    container.mount(path.posix.join(mount.mountPath, mount.fileName), volume, {
      subPath: mount.fileName,
    });
  });

  const service = new kplus.Service(scope, "service", {
    metadata: { name: `${name}-service`, namespace, labels },
    ports: ports.map((port) => ({ name: `${name}${port}`, port, targetPort: port })),
  });
  for (const [key, value] of Object.entries(labels)) service.selectLabel(key, value);
  if (autoscale) {
    new kplus.HorizontalPodAutoscaler(scope, "hpa", {
      metadata: { name: `${name}-hpa`, namespace, labels },
      target: deployment,
      minReplicas,
      maxReplicas: cr.spec.autoScale?.maxReplicas ?? DEFAULTS.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
  }
  return { service, ports };
}

/**
 * Reads every CR file in `crDir` (sorted), builds the chart and returns its YAML.
 */
export function renderWithCdk8s(
  crDir: string,
  ingress: { host: string; className: string },
): string {
  const app = new App({ outdir: path.join(crDir, "..", "cdk8s.out") });
  const chart = new Chart(app, "integrations");
  const routes = new Map<string, kplus.IngressRule[]>();
  for (const file of fs.readdirSync(crDir).sort()) {
    if (!file.endsWith(".yaml")) continue;
    const cr = load(fs.readFileSync(path.join(crDir, file), "utf8")) as CrSpec;
    const namespace = cr.metadata.namespace ?? "default";
    const { service, ports } = integration(chart, cr);
    const rules = routes.get(namespace) ?? [];
    const name = cr.metadata.name;
    ports.forEach((port, k) => {
      rules.push({
        host: ingress.host,
        path: k === 0 ? `/${name}-service(/|$)(.*)` : `/${name}-inbound/${port}(/|$)(.*)`,
        pathType: kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC,
        backend: kplus.IngressBackend.fromService(service, { port }),
      });
    });
    routes.set(namespace, rules);
  }
  for (const [namespace, rules] of routes) {
    new kplus.Ingress(chart, `ingress-${namespace}`, {
      metadata: { name: DEFAULTS.ingressName, namespace, annotations: DEFAULTS.annotations },
      className: ingress.className,
      rules,
    });
  }
  return app.synthYaml();
}
