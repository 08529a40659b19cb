/** Validating one Integration CR: every problem at once, then the normalized {@link IntegrationCR}. */
import { crdFields } from "./crdSchema";
import { imageLoginProblem } from "../rules/imageReference";
import { checkAutoScale, checkDeploySpec, checkExpose } from "./deploySpec";
import { checkEnv, checkEnvFrom } from "./env";
import { checkMetadata } from "./metadata";
import { present } from "../rules/present";
import type { Problems, Source } from "../problems";
import {
  type At,
  checkFields,
  checkString,
  childAt,
  describeHidden,
  describeValue,
  didYouMean,
  dns1123SubdomainProblem,
  imageReferenceProblem,
  isMapping,
  oneOf,
  report,
  reportsErrors,
  quote,
} from "../rules";
import {
  INTEGRATION_API_VERSIONS,
  type IntegrationApiVersion,
  type IntegrationCR,
  type IntegrationSpec,
} from "../types";

const KIND = "Integration";

/**
 * Whether to go on checking after `kind`: a missing kind or a case slip of "Integration" is
 * reported and checked as an Integration; another kind is one error and nothing more.
 */
function checkKind(value: unknown, at: At): boolean {
  if (value === KIND) return true;
  if (!present(value)) {
    report(at, `required field is missing; write kind: ${KIND}`);
    return true;
  }
  const text = typeof value === "string" ? quote(value) : describeValue(value);
  const slip = typeof value === "string" && didYouMean(value, [KIND]) !== undefined;
  report(at, `expected "${KIND}", got ${text}${slip ? `; did you mean "${KIND}"?` : ""}`);
  return slip;
}

function checkApiVersion(value: unknown, at: At): IntegrationApiVersion | undefined {
  if (!present(value)) {
    report(at, `required field is missing; write apiVersion: ${INTEGRATION_API_VERSIONS[0]}`);
    return undefined;
  }
  if ((INTEGRATION_API_VERSIONS as readonly unknown[]).includes(value)) {
    return value as IntegrationApiVersion;
  }
  const text = typeof value === "string" ? quote(value) : describeValue(value);
  report(at, `expected ${oneOf(INTEGRATION_API_VERSIONS)}, got ${text}`);
  return undefined;
}

function checkImage(value: unknown, at: At): string | undefined {
  if (!present(value)) {
    report(
      at,
      "required field is missing; give the integration's image, e.g. registry.example.com/team/hello:1.0.0",
    );
    return undefined;
  }
  const image = checkString(value, at);
  if (image === undefined) return undefined;
  if (/^<.*>$/s.test(image.trim())) {
    report(
      at,
      `${JSON.stringify(image)} is a placeholder from the operator's documentation; write the ` +
        "image your integration was pushed as, e.g. registry.example.com/team/hello:1.0.0",
    );
    return undefined;
  }
  const problem = imageReferenceProblem(image);
  if (problem === undefined) return image;
  // A reference that holds a login is never quoted: the problem says so without it.
  const shown = imageLoginProblem(image) === undefined ? `${quote(image)} is` : "is";
  report(at, `${shown} not a valid image reference: ${problem}`);
  return undefined;
}

function checkSpec(value: unknown, at: At): IntegrationSpec | undefined {
  if (!present(value)) {
    report(at, "required field is missing; give at least spec.image");
    return undefined;
  }
  const fields = checkFields(value, at, crdFields("spec"));
  if (fields === undefined) return undefined;
  const image = checkImage(fields.image, childAt(at, "image"));
  const spec: IntegrationSpec = {
    image: image ?? "",
    deploySpec: present(fields.deploySpec)
      ? checkDeploySpec(fields.deploySpec, childAt(at, "deploySpec"))
      : {},
    autoScale: present(fields.autoScale)
      ? checkAutoScale(fields.autoScale, childAt(at, "autoScale"))
      : {},
    expose: present(fields.expose) ? checkExpose(fields.expose, childAt(at, "expose")) : {},
    env: present(fields.env) ? checkEnv(fields.env, childAt(at, "env")) : [],
    envFrom: present(fields.envFrom) ? checkEnvFrom(fields.envFrom, childAt(at, "envFrom")) : [],
  };
  if (present(fields.imagePullSecret)) {
    const here = childAt(at, "imagePullSecret");
    const secret = checkString(fields.imagePullSecret, here);
    const problem = secret === undefined ? undefined : dns1123SubdomainProblem(secret);
    if (problem !== undefined) report(here, `not a Secret name: ${problem}`);
    else if (secret !== undefined) spec.imagePullSecret = secret;
  }
  return spec;
}

/**
 * Checks one YAML document as an Integration CR (the operator's CRD, v1alpha2) and reports every
 * problem at once. Returns the CR normalized (absent objects `{}`, absent lists `[]`, booleans
 * parsed, quantities as strings, the docs' spellings converted), or undefined if it had errors.
 */
export function validateIntegration(
  value: unknown,
  source: Source,
  problems: Problems,
): IntegrationCR | undefined {
  const checked = checkIntegration(value, source, problems);
  return checked?.valid === true ? checked.cr : undefined;
}

/** An Integration CR as far as it could be read, and whether it is valid. */
export interface CheckedIntegration {
  /**
   * The CR normalized as {@link validateIntegration} returns it; when it is not valid, the
   * parts with errors are left out or empty (a missing name is ""), so that the checks that
   * need defaults applied can still run on the rest and every problem is reported at once.
   */
  cr: IntegrationCR;
  /** Whether no error was found in it. */
  valid: boolean;
}

/**
 * {@link validateIntegration}, keeping a CR with errors as far as it could be read; undefined
 * when the document is no Integration at all (not a mapping, or another kind).
 */
export function checkIntegration(
  value: unknown,
  source: Source,
  problems: Problems,
): CheckedIntegration | undefined {
  const at: At = { source, path: "", problems };
  let cr: IntegrationCR | undefined;
  let complete = false;
  const failed = reportsErrors(problems, () => {
    if (!isMapping(value)) {
      // A document that is no mapping may be anything, a `.env` line saved as a CR among them.
      report(at, `expected a mapping (an ${KIND} resource), got ${describeHidden(value)}`);
      return;
    }
    if (!checkKind(value.kind, childAt(at, "kind"))) return;
    const fields = checkFields(value, at, crdFields()) ?? {};
    const apiVersion = checkApiVersion(fields.apiVersion, childAt(at, "apiVersion"));
    const metadata = checkMetadata(fields.metadata, childAt(at, "metadata"));
    const spec = checkSpec(fields.spec, childAt(at, "spec"));
    complete = apiVersion !== undefined && metadata !== undefined && spec !== undefined;
    cr = {
      source,
      apiVersion: apiVersion ?? INTEGRATION_API_VERSIONS[0],
      metadata: metadata ?? { name: "" },
      spec: spec ?? { image: "", deploySpec: {}, autoScale: {}, expose: {}, env: [], envFrom: [] },
    };
  });
  return cr === undefined ? undefined : { cr, valid: complete && !failed };
}
