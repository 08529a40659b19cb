import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IService } from "kubernetes-models/v1/Service";
import type { ResolvedIntegration } from "../model/types";
import { buildDeployment } from "./deployment";
import { buildHpa } from "./hpa";
import { buildService } from "./service";

/** The objects of one integration; `hpa` only when autoscaling is on. */
export interface IntegrationObjects {
  deployment: IDeployment;
  service: IService;
  hpa?: IHorizontalPodAutoscaler;
}

/** The Deployment, the Service and (with autoscaling) the HPA of one integration. */
export function buildIntegrationObjects(integration: ResolvedIntegration): IntegrationObjects {
  const hpa = buildHpa(integration);
  return {
    deployment: buildDeployment(integration),
    service: buildService(integration),
    ...(hpa ? { hpa } : {}),
  };
}
