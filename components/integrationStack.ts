/** The `IntegrationStack` component: every integration and shared Ingress of one stack. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildStackObjects } from "./builders";
import { kubernetesChildren, readinessTimeouts } from "./clusterOptions";
import { childName, Integration, type IntegrationSummary } from "./integration";
import { SharedIngress } from "./sharedIngress";
import type { Problem } from "./model/problems";
import { loadStack } from "./model/loadStack";
import type { ResolvedStack, StackSettings } from "./model/types";

/**
 * Arguments of {@link IntegrationStack}: the stack's settings and the project folder its paths
 * are relative to (the CR files are read synchronously, before anything is registered), or a
 * stack already loaded with `loadStack`.
 */
export type IntegrationStackArgs =
  { baseDir: string; settings: StackSettings } | { resolved: ResolvedStack };

/**
 * A stack's integrations (type `wso2:integrations:IntegrationStack`): one {@link Integration}
 * named `NS/N` per integration and one {@link SharedIngress} named `NS/<ingress name>` per
 * namespace's Ingress. With the stack's `createNamespace`, a Namespace named `NS` per namespace,
 * which Pulumi never deletes (deleting a namespace deletes everything in it) and which every
 * object in it depends on; with `kubernetes.readinessTimeoutSeconds`, that timeout on every
 * Kubernetes object. The explicit provider `kubernetes.context` / `serverSideApply` ask for is
 * the caller's to pass (`opts.providers`, from `kubernetesProvider`), as `runStackProgram` does.
 * Invalid input throws `InputError`, with every problem, before anything is registered.
 */
export class IntegrationStack extends pulumi.ComponentResource {
  /** Per integration, keyed `NS/N`: its namespace, Service, URLs, commands and readiness. */
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
    const resolved = "resolved" in args ? args.resolved : loadStack(args);
    const objects = buildStackObjects(resolved);
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
    for (const { integration, objects: built } of objects.integrations) {
      const key = `${integration.namespace}/${integration.name}`;
      const component = new Integration(
        key,
        { integration, objects: built, ingress: resolved.ingress ?? resolved.gateway },
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
