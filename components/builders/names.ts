/**
 * Kubernetes names and labels derived from an Integration's name, exactly as the operator derives
 * them. They are identity: renaming one replaces the object in the cluster.
 */

/** The one container of every integration's pod. */
export const CONTAINER_NAME = "micro-integrator";

/** The Deployment's name: `N-deployment`. */
export function deploymentName(name: string): string {
  return `${name}-deployment`;
}

/** The Service's name: `N-service`; also the first segment of the Ingress passthrough path. */
export function serviceName(name: string): string {
  return `${name}-service`;
}

/** The HorizontalPodAutoscaler's name: `N-hpa`. */
export function hpaName(name: string): string {
  return `${name}-hpa`;
}

/** The PodDisruptionBudget's name: `N-pdb`. */
export function pdbName(name: string): string {
  return `${name}-pdb`;
}

/** A Service port's name: the CR name then the port digits (`hello8290`), as the operator does. */
export function servicePortName(name: string, port: number): string {
  return `${name}${port}`;
}

/**
 * The operator's two labels: `app: integration`, `integration_cr: N`. They are the Deployment's
 * selector, which is immutable, so nothing is ever added to them. A fresh object on every call.
 */
export function selectorLabels(name: string): Record<string, string> {
  return { app: "integration", integration_cr: name };
}

/** The URL path prefix of an integration's passthrough port behind the Ingress: `/N-service`. */
export function servicePathPrefix(name: string): string {
  return `/${serviceName(name)}`;
}

/** The URL path prefix of an inbound port behind the Ingress: `/N-inbound/<port>`. */
export function inboundPathPrefix(name: string, port: number): string {
  return `/${name}-inbound/${port}`;
}

/**
 * An Ingress path for a prefix: the regular expression ingress-nginx's `rewrite-target: /$2`
 * expects, so that `/N-service/services/X` reaches `/services/X`.
 */
export function ingressPathPattern(prefix: string): string {
  return `${prefix}(/|$)(.*)`;
}
