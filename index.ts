/**
 * The Pulumi stack program: deploys the Integration CRs of the current stack
 * (`stacks/Pulumi.<stack>.yaml`). Everything happens in `runStackProgram`.
 */
import { runStackProgram } from "./components/program";

const program = runStackProgram({ baseDir: __dirname });

/** Per integration, keyed `namespace/name`: Service, URLs, kubectl commands and readiness. */
export const integrations = program.integrations;
