/** The `SharedIngress` component: a namespace's one Ingress, with a path per integration port. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackObjects } from "./builders";
import { childName, resourceArgs } from "./integration";

/** An Ingress as the builders make it. */
export type IngressObject = StackObjects["ingresses"][number];

/** Arguments of {@link SharedIngress}. */
export interface SharedIngressArgs {
  /** The Ingress from `buildStackObjects`, registered as is. */
  ingress: IngressObject;
}

/**
 * The Ingress shared by every integration of a namespace (type
 * `wso2:integrations:SharedIngress`): registers the builders' Ingress as a child named
 * `NS/<ingress name>`, and nothing else.
 */
export class SharedIngress extends pulumi.ComponentResource {
  /** The Ingress's namespace. */
  readonly namespace: pulumi.Output<string>;
  /** The Ingress's Kubernetes name. */
  readonly ingressName: pulumi.Output<string>;
  /** The Ingress. */
  readonly ingress: k8s.networking.v1.Ingress;

  constructor(name: string, args: SharedIngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wso2:integrations:SharedIngress", name, {}, opts);
    const child = childName(args.ingress);
    this.ingress = new k8s.networking.v1.Ingress(
      child,
      resourceArgs<k8s.networking.v1.IngressArgs>(args.ingress),
      { parent: this },
    );
    const [namespace, ingressName] = child.split("/");
    this.namespace = pulumi.output(namespace);
    this.ingressName = pulumi.output(ingressName);
    this.registerOutputs({ namespace: this.namespace, ingressName: this.ingressName });
  }
}
