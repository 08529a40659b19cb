/**
 * The `pulumi import --file` document for a stack: every Kubernetes object the stack manages, under
 * the components the program registers them in, so that `pulumi import` adopts the objects the
 * operator created and the next `pulumi up` finds them in the state instead of creating them.
 *
 * The format (Pulumi CLI 3.94 or later): `resources` entries of `type`, `name` (the entry's
 * handle in this file), `logicalName` (the Pulumi name), `id` (the Kubernetes `namespace/name`,
 * or `name` for a Namespace), `parent` (another entry's `name`), `component: true` for a
 * component (created empty, no id), and `provider` naming a `nameTable` entry (a URN).
 */
import {
  integrationObjectList,
  type KubeObject,
  type StackObjects,
} from "../../components/builders";
import { childName } from "../../components/builders/objects";

/** One resource of a `pulumi import --file` document. */
export interface ImportResource {
  type: string;
  /** The entry's handle: unique in the file, and what `parent` names. */
  name: string;
  /** The resource's Pulumi name, as the program registers it. */
  logicalName: string;
  /** The id the provider reads the object by; absent for components. */
  id?: string;
  /** The `name` of the parent entry; absent for a child of the stack. */
  parent?: string;
  /** Present (`true`) for a component, which `pulumi import` creates empty. */
  component?: true;
  /** The `nameTable` entry of the explicit provider; absent for the default provider. */
  provider?: string;
  /** The Kubernetes provider's version, for the default provider. */
  version?: string;
}

/** A `pulumi import --file` document. */
export interface ImportFile {
  /** Names of resources that already exist in the stack's state, to their URNs. */
  nameTable?: Record<string, string>;
  resources: ImportResource[];
}

/** The type tokens the program registers, by role. */
export const TYPES = {
  stack: "wso2:integrations:IntegrationStack",
  integration: "wso2:integrations:Integration",
  sharedIngress: "wso2:integrations:SharedIngress",
  provider: "pulumi:providers:kubernetes",
} as const;

/** The Kubernetes type token of each kind the builders make. */
export const KUBERNETES_TYPES: Record<KubeObject["kind"], string> = {
  Deployment: "kubernetes:apps/v1:Deployment",
  Service: "kubernetes:core/v1:Service",
  HorizontalPodAutoscaler: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  Ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  Namespace: "kubernetes:core/v1:Namespace",
  PodDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
  ConfigMap: "kubernetes:core/v1:ConfigMap",
  ServiceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
  HTTPRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
};

/** The logical name of the stack component, and its entry's handle. */
export const STACK_COMPONENT_NAME = "integrations";

/** The explicit provider's logical name, and its `nameTable` entry. */
export const PROVIDER_ENTRY = "kubernetes";

/** Which stack the file is for, and how its Kubernetes objects are reached. */
export interface ImportFileOptions {
  /** The project's name, for the provider's URN. */
  project: string;
  /** The stack's name (the last segment of `org/project/stack`), for the provider's URN. */
  stack: string;
  /** Whether the stack uses its explicit provider `kubernetes` (its `kubernetes` settings). */
  explicitProvider: boolean;
  /** The `@pulumi/kubernetes` version the program uses, for the default provider. */
  kubernetesVersion: string;
}

/** The URN of the stack's explicit provider, a child of the stack. */
export function providerUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::${TYPES.provider}::${PROVIDER_ENTRY}`;
}

/** The entry's handle of a resource: its kind in lower case, then its logical name. */
function handle(kind: string, logicalName: string): string {
  return `${kind.toLowerCase()}:${logicalName}`;
}

/**
 * The import document for a stack's `objects` (from `buildStackObjects`): the stack component
 * `integrations`; each Namespace it creates; per integration the component `NS/N` with its
 * Deployment, Service and HPA; per Ingress the component `NS/<name>` with the Ingress. Logical
 * names and parents are the program's, so the URNs are the ones `pulumi up` registers.
 */
export function buildImportFile(objects: StackObjects, options: ImportFileOptions): ImportFile {
  const resources: ImportResource[] = [
    {
      type: TYPES.stack,
      name: STACK_COMPONENT_NAME,
      logicalName: STACK_COMPONENT_NAME,
      component: true,
    },
  ];
  const cluster: Pick<ImportResource, "provider" | "version"> = options.explicitProvider
    ? { provider: PROVIDER_ENTRY }
    : { version: options.kubernetesVersion };
  const add = (object: KubeObject, parent: string): void => {
    const namespaced = object.kind !== "Namespace";
    const logicalName = namespaced ? childName(object) : (object.metadata?.name ?? "");
    resources.push({
      type: KUBERNETES_TYPES[object.kind],
      name: handle(object.kind, logicalName),
      logicalName,
      id: logicalName,
      parent,
      ...cluster,
    });
  };
  const component = (type: string, kind: string, logicalName: string): string => {
    const name = handle(kind, logicalName);
    resources.push({ type, name, logicalName, parent: STACK_COMPONENT_NAME, component: true });
    return name;
  };

  for (const namespace of objects.namespaces) add(namespace, STACK_COMPONENT_NAME);
  for (const { integration, objects: built } of objects.integrations) {
    const logicalName = `${integration.namespace}/${integration.name}`;
    const parent = component(TYPES.integration, "Integration", logicalName);
    for (const object of integrationObjectList(built)) add(object, parent);
  }
  for (const ingress of objects.ingresses) {
    const parent = component(TYPES.sharedIngress, "SharedIngress", childName(ingress));
    add(ingress, parent);
  }
  const file: ImportFile = { resources };
  if (options.explicitProvider) {
    file.nameTable = { [PROVIDER_ENTRY]: providerUrn(options.project, options.stack) };
  }
  return file;
}
