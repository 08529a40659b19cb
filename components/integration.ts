/** The `Integration` component: one integration's Deployment, Service and optional HPA. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ImageDigest } from "../provider/imageDigest";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import {
  buildIntegrationObjects,
  integrationEndpoints,
  placeImageDigest,
  type IntegrationObjects,
} from "./builders";
import { childName } from "./builders/objects";
import { findConfigSecrets } from "./model/rules/configSecrets";
import type { ImageDigestValue, ResolvedIngress, ResolvedIntegration } from "./model/types";
import { secretInputs } from "./secretInputs";

/**
 * The Deployment's state when `pulumi up` last created or updated it, as `kubectl get
 * integration` showed it then: `Running` with an available pod, `NotRunning` without, and
 * `NotAwaited` when Pulumi did not wait for it (`kubernetes.skipAwait`). Not refreshed by
 * `pulumi refresh` alone (which does not run the program): `pulumi up --refresh` updates it.
 */
export type Readiness = "Running" | "NotRunning" | "NotAwaited";

/** The field manager of the `DeploymentPatch` that holds `spec.replicas` during a handover. */
export const REPLICAS_HANDOVER_MANAGER = "wso2-mi-replicas-handover";

/** What an integration exposes, as plain values: the fields of {@link Integration}'s outputs. */
export interface IntegrationSummary {
  namespace: string;
  /** The Service's name, `N-service`. */
  serviceName: string;
  /** The passthrough URL on the shared Ingress; undefined when there is no Ingress. */
  ingressUrl?: string;
  /** Inbound port (as a string) to its URL on the shared Ingress; empty without an Ingress. */
  inboundUrls: Record<string, string>;
  /** A `kubectl port-forward` command reaching the passthrough port. */
  portForward: string;
  /** A `kubectl logs` command for the integration's pods. */
  logs: string;
  /** The Deployment's readiness at the last `pulumi up` (see {@link Readiness}). */
  readinessAtLastUp: Readiness;
}

/** Arguments of {@link Integration}. */
export interface IntegrationArgs {
  /** The integration, resolved: one of `loadStack(...).integrations`. */
  integration: ResolvedIntegration;
  /**
   * Where users reach the integration, for the URLs: the shared Ingress's host and scheme (or,
   * with `routing: gateway`, the Gateway's). Default: none (no URLs).
   */
  ingress?: Pick<ResolvedIngress, "host" | "scheme">;
  /**
   * The stack's `kubernetes.skipAwait`: Pulumi does not wait for the objects to become ready.
   * Default: false.
   */
  skipAwait?: boolean;
  /**
   * Autoscaling is being switched on or off in this update (`kubernetes.replicasHandover`): a
   * `DeploymentPatch` holds `spec.replicas` at `minReplicas` under its own field manager while
   * the Deployment and the HPA hand the field over, and the Deployment waits for it. Default: false.
   */
  replicasHandover?: boolean;
  /**
   * The integration's objects as `buildStackObjects` made them (with the stack's Gateway route and
   * patches); the component places the image digest in them. Default: built from `integration`
   * with `skipAwait`.
   */
  objects?: IntegrationObjects;
}

/**
 * One WSO2 Micro Integrator integration (type `wso2:integrations:Integration`): builds its
 * Deployment, Service and HPA with the pure builders and registers them as children named
 * `NS/<object name>` (the Kubernetes `namespace/name`, which is also the id `pulumi import`
 * takes). When the integration refreshes its image, an `ImageDigest` child `NS/N-image` resolves
 * the tag, and the Deployment takes the digest it outputs. Env values whose names look secret
 * reach the engine as Pulumi secrets.
 */
export class Integration extends pulumi.ComponentResource {
  /** The Kubernetes namespace. */
  readonly namespace: pulumi.Output<string>;
  /** The Service's name, `N-service`. */
  readonly serviceName: pulumi.Output<string>;
  /** The passthrough URL on the shared Ingress; undefined without an Ingress. */
  readonly ingressUrl: pulumi.Output<string | undefined>;
  /** Inbound port to URL on the shared Ingress. */
  readonly inboundUrls: pulumi.Output<Record<string, string>>;
  /** A `kubectl port-forward` command reaching the passthrough port. */
  readonly portForward: pulumi.Output<string>;
  /** A `kubectl logs` command for the integration's pods. */
  readonly logs: pulumi.Output<string>;
  /** The Deployment's readiness at the last `pulumi up` (see {@link Readiness}). */
  readonly readinessAtLastUp: pulumi.Output<Readiness>;
  /** The Deployment `N-deployment`. */
  readonly deployment: k8s.apps.v1.Deployment;
  /** The Service `N-service`. */
  readonly service: k8s.core.v1.Service;
  /** The HPA `N-hpa`, when autoscaling is on. */
  readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  /** The patch `NS/N-deployment-replicas` that holds `spec.replicas`, during a handover. */
  readonly replicasHandover?: k8s.apps.v1.DeploymentPatch;
  /** The PodDisruptionBudget `N-pdb`, when `availability.disruptionBudget` asks for one. */
  readonly podDisruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
  /** The ConfigMaps of `configFiles` (`N-files-<hash>`); empty without any. */
  readonly configMaps: k8s.core.v1.ConfigMap[] = [];
  /** The prometheus-operator ServiceMonitor `N-metrics`, when `metrics.serviceMonitor` asks. */
  readonly serviceMonitor?: k8s.apiextensions.CustomResource;
  /** The Gateway API HTTPRoute `N-route`, with `routing` `gateway` or `both`. */
  readonly httpRoute?: k8s.apiextensions.CustomResource;
  /** Every output in one value: {@link Integration.summary}. */
  private readonly summaryOutput: pulumi.Output<IntegrationSummary>;
  /** The image's digest `NS/N-image`, when the integration refreshes its image. */
  readonly imageDigest?: ImageDigest;

  constructor(name: string, args: IntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wso2:integrations:Integration", name, {}, opts);
    const child = { parent: this };
    const { integration } = args;
    if (integration.imageRefresh !== undefined) {
      this.imageDigest = new ImageDigest(
        `${integration.namespace}/${integration.name}-image`,
        { image: integration.image, refresh: integration.imageRefresh },
        child,
      );
    }
    // Registered here, not inside `apply`, so that previews show the Deployment.
    const built =
      args.objects ?? buildIntegrationObjects(integration, { skipAwait: args.skipAwait ?? false });
    const objects =
      this.imageDigest === undefined
        ? built
        : {
            ...built,
            deployment: placeImageDigest(
              built.deployment,
              integration,
              imageDigestValue(this.imageDigest, integration),
            ),
          };
    const { deployment, service, hpa } = objects;
    if (args.replicasHandover === true) {
      this.replicasHandover = replicasHandoverPatch(integration, childName(deployment), child);
    }
    this.deployment = new k8s.apps.v1.Deployment(
      childName(deployment),
      secretInputs(resourceArgs<k8s.apps.v1.DeploymentArgs>(deployment)),
      this.replicasHandover === undefined
        ? child
        : { ...child, dependsOn: [this.replicasHandover] },
    );
    // The API server allocates the cluster IP; `pulumi import` stores it among the inputs, and a
    // change to it replaces the Service (a new IP): it is never the program's to diff.
    this.service = new k8s.core.v1.Service(
      childName(service),
      resourceArgs<k8s.core.v1.ServiceArgs>(service),
      { ...child, ignoreChanges: [...SERVICE_IGNORED_FIELDS] },
    );
    if (hpa !== undefined) {
      this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        childName(hpa),
        resourceArgs<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>(hpa),
        child,
      );
    }
    for (const configMap of objects.configMaps ?? []) {
      const resource = new k8s.core.v1.ConfigMap(
        childName(configMap),
        configMapInputs(configMap),
        child,
      );
      this.configMaps.push(resource);
    }
    const { httpRoute } = objects;
    if (httpRoute !== undefined) {
      this.httpRoute = new k8s.apiextensions.CustomResource(childName(httpRoute), httpRoute, child);
    }
    const { serviceMonitor } = objects;
    if (serviceMonitor !== undefined) {
      this.serviceMonitor = new k8s.apiextensions.CustomResource(
        childName(serviceMonitor),
        serviceMonitor,
        child,
      );
    }
    const { podDisruptionBudget: pdb } = objects;
    if (pdb !== undefined) {
      this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
        childName(pdb),
        resourceArgs<k8s.policy.v1.PodDisruptionBudgetArgs>(pdb),
        child,
      );
    }

    const endpoints = integrationEndpoints(args.integration, args.ingress);
    this.namespace = pulumi.output(args.integration.namespace);
    this.serviceName = pulumi.output(endpoints.serviceName);
    this.ingressUrl = pulumi.output(endpoints.ingressUrl);
    this.inboundUrls = pulumi.output(endpoints.inboundUrls);
    this.portForward = pulumi.output(endpoints.portForward);
    this.logs = pulumi.output(endpoints.logs);
    this.readinessAtLastUp = args.skipAwait
      ? pulumi.output<Readiness>("NotAwaited")
      : this.deployment.status.apply((status) =>
          (status?.availableReplicas ?? 0) > 0 ? "Running" : "NotRunning",
        );
    // Everything but readiness is known now: plain values, so that the summary and the
    // component's outputs wait on one Output, not seven (bench/RESULTS.md, program).
    const known: Omit<IntegrationSummary, "readinessAtLastUp"> = {
      namespace: args.integration.namespace,
      serviceName: endpoints.serviceName,
      inboundUrls: endpoints.inboundUrls,
      portForward: endpoints.portForward,
      logs: endpoints.logs,
      ...(endpoints.ingressUrl === undefined ? {} : { ingressUrl: endpoints.ingressUrl }),
    };
    this.summaryOutput = this.readinessAtLastUp.apply((readinessAtLastUp) => ({
      ...known,
      readinessAtLastUp,
    }));
    this.registerOutputs({ ...known, readinessAtLastUp: this.readinessAtLastUp });
  }

  /** Every output in one value, as `IntegrationStack` exports it per integration. */
  summary(): pulumi.Output<IntegrationSummary> {
    return this.summaryOutput;
  }
}

/** The Service fields the API server owns, left out of every diff (`ignoreChanges`). */
export const SERVICE_IGNORED_FIELDS = ["spec.clusterIP", "spec.clusterIPs"] as const;

/**
 * The patch that holds the Deployment's `spec.replicas` at `minReplicas` under the field manager
 * {@link REPLICAS_HANDOVER_MANAGER}, forcing it over the HPA controller's: with it, neither
 * switching autoscaling on (the Deployment stops applying `replicas`, which would fall back to 1)
 * nor off (the Deployment applies `replicas` the HPA controller owns: a conflict) moves the pods.
 * Server-side apply shares a field whose value two managers apply alike, so the Deployment takes
 * it back without a conflict; deleting the patch in the next update releases it.
 */
function replicasHandoverPatch(
  integration: ResolvedIntegration,
  deploymentChild: string,
  opts: pulumi.CustomResourceOptions,
): k8s.apps.v1.DeploymentPatch {
  const [namespace, name] = deploymentChild.split("/");
  return new k8s.apps.v1.DeploymentPatch(
    `${deploymentChild}-replicas`,
    {
      metadata: {
        name,
        namespace,
        annotations: {
          "pulumi.com/patchFieldManager": REPLICAS_HANDOVER_MANAGER,
          "pulumi.com/patchForce": "true",
        },
      },
      spec: { replicas: integration.minReplicas },
    },
    opts,
  );
}

/**
 * What the Deployment takes of an `ImageDigest`: its digest and pinned reference, and the tag a
 * policy chose (only with a policy, so that other Deployments stay as they were).
 */
function imageDigestValue(
  resource: ImageDigest,
  integration: ResolvedIntegration,
): ImageDigestValue<pulumi.Output<string>> {
  const value: ImageDigestValue<pulumi.Output<string>> = {
    digest: resource.digest,
    pinned: resource.pinned,
  };
  if (integration.imageRefresh?.policy !== undefined) {
    value.tag = resource.tag.apply((tag) => tag ?? "");
  }
  return value;
}

/**
 * A ConfigMap's inputs: each file whose text holds a secret-looking value written out
 * (`findConfigSecrets`) is a Pulumi secret, so that previews show `[secret]` and the state
 * encrypts it; the other files stay plain and diff line by line.
 */
function configMapInputs(configMap: IConfigMap): k8s.core.v1.ConfigMapArgs {
  const data: Record<string, pulumi.Input<string>> = {};
  for (const [key, text] of Object.entries(configMap.data ?? {})) {
    data[key] = findConfigSecrets(text).length > 0 ? pulumi.secret(text) : text;
  }
  return { ...configMap, data };
}

/** A child's logical name (`namespace/name`); kept with the builders, which load no Pulumi. */
export { childName } from "./builders/objects";

/**
 * A built object as the arguments of its Pulumi resource, unchanged. kubernetes-models types
 * quantities as `string | number` where Pulumi's input types say `string`; the API server
 * accepts both, and the value is passed through as built, so render and the program agree.
 */
export function resourceArgs<A>(object: { kind: string; spec?: unknown }): A {
  if (object.spec === undefined) throw new Error(`a built ${object.kind} lacks spec`);
  return object as unknown as A;
}
