import type { ResolvedIntegration } from "../model/types";

/**
 * The ports an integration exposes, passthrough first, then inbound ports in the CR's order (the
 * operator's: another order would change an adopted pod template), without duplicates and without
 * the passthrough port (validation reports those; the builders never emit a duplicate port, which
 * the API server would reject on the Service).
 */
export function exposedPorts(integration: ResolvedIntegration): {
  passthrough: number;
  inbound: number[];
} {
  const passthrough = integration.passthroPort;
  const inbound = [...new Set(integration.inboundPorts)].filter((p) => p !== passthrough);
  return { passthrough, inbound };
}

/** Every exposed port, passthrough first. */
export function allPorts(integration: ResolvedIntegration): number[] {
  const { passthrough, inbound } = exposedPorts(integration);
  return [passthrough, ...inbound];
}
