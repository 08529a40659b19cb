import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IService } from "kubernetes-models/v1/Service";
import type { ImageDigestValue, ResolvedIntegration } from "../model/types";
import { buildDeployment } from "./deployment";
import { buildHpa } from "./hpa";
import { withSkipAwait } from "./namespace";
import { buildService } from "./service";

/** The objects of one integration; `hpa` only when autoscaling is on. */
export interface IntegrationObjects {
  deployment: IDeployment;
  service: IService;
  hpa?: IHorizontalPodAutoscaler;
}

/** How {@link buildIntegrationObjects} builds. */
export interface IntegrationBuildOptions<V = string> {
  /** The stack's `kubernetes.skipAwait`: each object gets `pulumi.com/skipAwait`. Default: false. */
  skipAwait?: boolean;
  /** The resolved image, when the integration refreshes it (see `buildDeployment`). Default: none. */
  digest?: ImageDigestValue<V>;
}

/** The Deployment, the Service and (with autoscaling) the HPA of one integration. */
export function buildIntegrationObjects<V = string>(
  integration: ResolvedIntegration,
  options: IntegrationBuildOptions<V> = {},
): IntegrationObjects {
  const skip = options.skipAwait === true;
  const hpa = buildHpa(integration);
  return {
    deployment: withSkipAwait(buildDeployment(integration, options.digest), skip),
    service: withSkipAwait(buildService(integration), skip),
    ...(hpa ? { hpa: withSkipAwait(hpa, skip) } : {}),
  };
}
