/**
 * The real-registry test harness: a CNCF distribution registry on loopback (no auth, htpasswd or
 * token auth), an in-test token server, a pusher, a fault-injecting proxy, and silent or dead
 * ports. Installs the registry with apt-get when missing; never skips.
 */
export { FaultProxy, type Fault, type SeenRequest } from "./faultProxy";
export {
  deleteManifest,
  pushImage,
  sha256,
  type ImageKind,
  type Pushed,
  type PushTarget,
} from "./pusher";
export {
  startRegistry,
  type RegistryAuth,
  type StartRegistryOptions,
  type TestRegistry,
} from "./registry";
export { freePort, startSilentServer, type SilentServer } from "./sockets";
export {
  TokenServer,
  type Access,
  type TokenRequest,
  type TokenServerOptions,
} from "./tokenServer";
export { ensureRegistryTools } from "./tools";
