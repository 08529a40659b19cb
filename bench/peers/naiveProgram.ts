/**
 * The naive peer of the stack program: the same files, loading and builders, but written the way
 * Pulumi programs often are: every object wrapped in an Output and registered inside its own
 * `apply`, every exported value derived through further `apply`s of resource outputs, no
 * components. It registers the same Kubernetes resources with the same inputs; the difference is
 * only in how much Output and promise machinery carries them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName, resourceArgs } from "../../components/integration";
import { currentStackObjects } from "./currentStack";

/** What the naive program exports per integration, as Outputs. */
interface NaiveSummary {
  serviceName: pulumi.Output<string>;
  ingressUrl: pulumi.Output<string | undefined>;
  inboundUrls: pulumi.Output<Record<string, string>>;
  portForward: pulumi.Output<string>;
  logs: pulumi.Output<string>;
  readiness: pulumi.Output<string>;
}

/** Runs the naive program for the current stack of the project in `baseDir`. */
export function runNaiveProgram(baseDir: string): Record<string, pulumi.Output<unknown>> {
  const { resolved, objects } = currentStackObjects(baseDir);
  const host = resolved.ingress?.host;
  const summaries: Record<string, NaiveSummary> = {};
  for (const { integration, objects: built } of objects.integrations) {
    const key = `${integration.namespace}/${integration.name}`;
    const deployment = pulumi
      .output(built.deployment)
      .apply(
        (d) =>
          new k8s.apps.v1.Deployment(childName(d), resourceArgs<k8s.apps.v1.DeploymentArgs>(d)),
      );
    const service = pulumi
      .output(built.service)
      .apply(
        (s) => new k8s.core.v1.Service(childName(s), resourceArgs<k8s.core.v1.ServiceArgs>(s)),
      );
    if (built.hpa !== undefined) {
      pulumi
        .output(built.hpa)
        .apply(
          (h) =>
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(
              childName(h),
              resourceArgs<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>(h),
            ),
        );
    }
    const serviceName = service.apply((s) => s.metadata.name);
    const ports = service.apply((s) => s.spec.ports);
    const namespace = service.apply((s) => s.metadata.namespace);
    summaries[key] = {
      serviceName,
      ingressUrl: serviceName.apply((name) =>
        host === undefined ? undefined : `http://${host}/${name}`,
      ),
      inboundUrls: pulumi.all([ports, serviceName]).apply(([list, name]) => {
        const urls: Record<string, string> = {};
        for (const port of list.slice(1)) {
          if (host !== undefined) urls[String(port.port)] = `http://${host}/${name}/${port.port}`;
        }
        return urls;
      }),
      portForward: pulumi
        .all([namespace, serviceName, ports])
        .apply(
          ([ns, name, list]) => `kubectl port-forward -n ${ns} service/${name} ${list[0].port}`,
        ),
      logs: namespace.apply((ns) => `kubectl logs -n ${ns} -l integration_cr=${integration.name}`),
      readiness: deployment
        .apply((d) => d.status)
        .apply((status) => ((status?.availableReplicas ?? 0) > 0 ? "Running" : "NotRunning")),
    };
  }
  for (const ingress of objects.ingresses) {
    pulumi
      .output(ingress)
      .apply(
        (i) =>
          new k8s.networking.v1.Ingress(
            childName(i),
            resourceArgs<k8s.networking.v1.IngressArgs>(i),
          ),
      );
  }
  return { integrations: pulumi.output(summaries) };
}
