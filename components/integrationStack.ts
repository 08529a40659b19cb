/** The `IntegrationStack` component: every integration and shared Ingress of one stack. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildSharedObjects } from "./builders";
import { kubernetesChildren, readinessTimeouts } from "./clusterOptions";
import { childName, Integration, type IntegrationSummary } from "./integration";
import { compareByNamespaceAndName } from "./model/rules/order";
import { SharedIngress } from "./sharedIngress";
import type { Problem } from "./model/problems";
import type { ResolvedStack } from "./model/types";

/** Arguments of {@link IntegrationStack}. */
export interface IntegrationStackArgs {
  /** The stack, loaded and resolved by `loadStack`: components never read or parse files. */
  resolved: ResolvedStack;
}

/**
 * A stack's integrations (type `wso2:integrations:IntegrationStack`): one {@link Integration}
 * named `NS/N` per integration and one {@link SharedIngress} named `NS/<ingress name>` per
 * namespace's Ingress. With the stack's `createNamespace`, a Namespace named `NS` per namespace,
 * which Pulumi never deletes (deleting a namespace deletes everything in it) and which every
 * object in it depends on; with `kubernetes.readinessTimeoutSeconds`, that timeout on every
 * Kubernetes object. The explicit provider `kubernetes.context` / `serverSideApply` ask for is
 * the caller's to pass (`opts.providers`, from `kubernetesProvider`), as `runStackProgram` does.
 */
export class IntegrationStack extends pulumi.ComponentResource {
  /** Per integration, keyed `NS/N`: its namespace, Service, URLs, commands and readiness at the last `up`. */
  readonly integrations: pulumi.Output<Record<string, IntegrationSummary>>;
  /** Warnings and notes found while loading, for the caller to print. */
  readonly advice: Problem[];
  /** The stack the components were built from. */
  readonly resolved: ResolvedStack;
  /** The Integration components, keyed `NS/N`. */
  readonly components: Record<string, Integration> = {};
  /** The SharedIngress components, keyed `NS/<ingress name>`. */
  readonly ingresses: Record<string, SharedIngress> = {};
  /** The Namespaces the stack creates, keyed by name; empty without `createNamespace`. */
  readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};

  constructor(name: string, args: IntegrationStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const { resolved } = args;
    const objects = buildSharedObjects(resolved);
    const created = new Map<string, k8s.core.v1.Namespace>();
    const children = kubernetesChildren(readinessTimeouts(resolved.kubernetes), created);
    super(
      "wso2:integrations:IntegrationStack",
      name,
      {},
      {
        ...opts,
        transformations: [...(opts?.transformations ?? []), children],
      },
    );
    this.resolved = resolved;
    this.advice = resolved.advice;

    for (const namespace of objects.namespaces) {
      const key = namespace.metadata?.name ?? "";
      const args: k8s.core.v1.NamespaceArgs = namespace;
      const resource = new k8s.core.v1.Namespace(key, args, { parent: this, retainOnDelete: true });
      created.set(key, resource);
      this.namespaces[key] = resource;
    }

    const summaries: Record<string, pulumi.Output<IntegrationSummary>> = {};
    const skipAwait = resolved.kubernetes?.skipAwait === true;
    const handover = new Set(resolved.kubernetes?.replicasHandover ?? []);
    for (const integration of [...resolved.integrations].sort(compareByNamespaceAndName)) {
      const key = `${integration.namespace}/${integration.name}`;
      const component = new Integration(
        key,
        {
          integration,
          ...(resolved.ingress === undefined ? {} : { ingress: resolved.ingress }),
          ...(skipAwait ? { skipAwait } : {}),
          ...(handover.has(key) ? { replicasHandover: true } : {}),
        },
        { parent: this },
      );
      this.components[key] = component;
      summaries[key] = component.summary();
    }
    for (const ingress of objects.ingresses) {
      const key = childName(ingress);
      this.ingresses[key] = new SharedIngress(key, { ingress }, { parent: this });
    }
    this.integrations = pulumi.all(summaries);
    this.registerOutputs({ integrations: this.integrations });
  }
}
