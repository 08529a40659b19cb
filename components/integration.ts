/** The `Integration` component: one integration's Deployment, Service and optional HPA. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ImageDigest } from "../provider/imageDigest";
import { buildIntegrationObjects, integrationEndpoints } from "./builders";
import { childName } from "./builders/objects";
import type { ResolvedIngress, ResolvedIntegration } from "./model/types";
import { secretInputs } from "./secretInputs";

/** `Running` when the Deployment has an available pod, as `kubectl get integration` showed. */
export type Readiness = "Running" | "NotRunning";

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
  readiness: Readiness;
}

/** Arguments of {@link Integration}. */
export interface IntegrationArgs {
  /** The integration, resolved: one of `loadStack(...).integrations`. */
  integration: ResolvedIntegration;
  /** The shared Ingress settings, for the URLs. Default: none (no Ingress URLs). */
  ingress?: ResolvedIngress;
  /**
   * The stack's `kubernetes.skipAwait`: Pulumi does not wait for the objects to become ready.
   * Default: false.
   */
  skipAwait?: boolean;
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
  /** `Running` when the Deployment's `status.availableReplicas > 0`, else `NotRunning`. */
  readonly readiness: pulumi.Output<Readiness>;
  /** The Deployment `N-deployment`. */
  readonly deployment: k8s.apps.v1.Deployment;
  /** The Service `N-service`. */
  readonly service: k8s.core.v1.Service;
  /** The HPA `N-hpa`, when autoscaling is on. */
  readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
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
    const { deployment, service, hpa } = buildIntegrationObjects(integration, {
      skipAwait: args.skipAwait ?? false,
      ...(this.imageDigest === undefined
        ? {}
        : { digest: { digest: this.imageDigest.digest, pinned: this.imageDigest.pinned } }),
    });
    this.deployment = new k8s.apps.v1.Deployment(
      childName(deployment),
      secretInputs(resourceArgs<k8s.apps.v1.DeploymentArgs>(deployment)),
      child,
    );
    this.service = new k8s.core.v1.Service(
      childName(service),
      resourceArgs<k8s.core.v1.ServiceArgs>(service),
      child,
    );
    if (hpa !== undefined) {
      this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        childName(hpa),
        resourceArgs<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>(hpa),
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
    this.readiness = this.deployment.status.apply((status) =>
      (status?.availableReplicas ?? 0) > 0 ? "Running" : "NotRunning",
    );
    // Everything but readiness is known now: plain values, so that the summary and the
    // component's outputs wait on one Output, not seven (bench/RESULTS.md, program).
    const known: Omit<IntegrationSummary, "readiness"> = {
      namespace: args.integration.namespace,
      serviceName: endpoints.serviceName,
      inboundUrls: endpoints.inboundUrls,
      portForward: endpoints.portForward,
      logs: endpoints.logs,
      ...(endpoints.ingressUrl === undefined ? {} : { ingressUrl: endpoints.ingressUrl }),
    };
    this.summaryOutput = this.readiness.apply((readiness) => ({ ...known, readiness }));
    this.registerOutputs({ ...known, readiness: this.readiness });
  }

  /** Every output in one value, as `IntegrationStack` exports it per integration. */
  summary(): pulumi.Output<IntegrationSummary> {
    return this.summaryOutput;
  }
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
