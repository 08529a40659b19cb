/**
 * The builders: pure functions from the resolved model to plain Kubernetes objects. They read no
 * files and no config, and the same input always gives deep-equal output.
 */
export {
  buildDeployment,
  configMapVolumeName,
  joinPath,
  mountFilePath,
  PRE_STOP_COMMAND,
  SPREAD_TOPOLOGY_KEYS,
} from "./deployment";
export { ANY_HOST_PLACEHOLDER, integrationEndpoints, type IntegrationEndpoints } from "./endpoints";
export { buildHpa } from "./hpa";
export { buildIngress, buildIngresses, ingressPaths } from "./ingress";
export {
  buildIntegrationObjects,
  integrationObjectList,
  mapIntegrationObjects,
  type IntegrationBuildOptions,
  type IntegrationObject,
  type IntegrationObjects,
} from "./integration";
export { buildPodDisruptionBudget } from "./pdb";
export { buildConfigFilesConfigMap, CONFIG_FILES_VOLUME, configFilesName } from "./configFiles";
export {
  CONTAINER_NAME,
  deploymentName,
  hpaName,
  pdbName,
  inboundPathPrefix,
  ingressPathPattern,
  selectorLabels,
  serviceName,
  servicePathPrefix,
  servicePortName,
} from "./names";
export { compareStrings } from "./objects";
export { buildNamespace, buildNamespaces, SKIP_AWAIT_ANNOTATION, withSkipAwait } from "./namespace";
export { buildService } from "./service";
export {
  buildSharedObjects,
  buildStackObjects,
  listObjects,
  type KubeObject,
  type SharedObjects,
  type StackObjects,
} from "./stack";
