/**
 * The floor for the program: the same Kubernetes objects registered at the top level, plain
 * inputs, no components, no outputs: the least any program can ask of the Pulumi runtime to
 * register them. Not a usable program (no identities under a component, nothing exported).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { listObjects, type KubeObject } from "../../components/builders";
import { childName, resourceArgs } from "../../components/integration";
import { currentStackObjects } from "./currentStack";

function register(object: KubeObject): void {
  const name = childName(object);
  switch (object.kind) {
    case "Deployment":
      new k8s.apps.v1.Deployment(name, resourceArgs<k8s.apps.v1.DeploymentArgs>(object));
      return;
    case "Service":
      new k8s.core.v1.Service(name, resourceArgs<k8s.core.v1.ServiceArgs>(object));
      return;
    case "HorizontalPodAutoscaler":
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        name,
        resourceArgs<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>(object),
      );
      return;
    default:
      new k8s.networking.v1.Ingress(name, resourceArgs<k8s.networking.v1.IngressArgs>(object));
  }
}

/** Registers every object of the current stack of the project in `baseDir`. */
export function runBareProgram(baseDir: string): Record<string, pulumi.Output<unknown>> {
  const { objects } = currentStackObjects(baseDir);
  for (const object of listObjects(objects)) register(object);
  return {};
}
