/** The operator's own defaults for what neither a CR, the stack nor the controller config sets. */
import type { PullPolicy } from "../types";

/** The container image pull policy when a CR sets none, as the operator does. */
export const DEFAULT_PULL_POLICY: PullPolicy = "Always";
/** The Micro Integrator pass-through port when a CR sets none (`spec.expose.passthroPort`). */
export const DEFAULT_PASSTHRO_PORT = 8290;
/**
 * The shared Ingress's name unless the stack's `ingress.name` gives another: the operator's
 * `eiIngressName`, the one name it ever gave integrations' Ingress (its `ingressResourceName`
 * setting was read only by its API-gateway controllers).
 */
export const DEFAULT_INGRESS_NAME = "ei-operator-ingress";
/** The namespace of CRs that name none, when the stack names none either. */
export const DEFAULT_NAMESPACE = "default";
