/**
 * The checks shared by CRs, the controller config and the stack settings. Each takes the raw
 * value and where it was found, reports problems, and returns the value typed, or undefined.
 */
export type { At } from "./at";
export {
  childAt,
  childPath,
  describeAt,
  describeHidden,
  describeValue,
  quote,
  SHOWN_CHARACTERS,
  isMapping,
  itemAt,
  itemPath,
  ownValue,
  parentPath,
  report,
  reportsErrors,
  warn,
} from "./at";
export { GO_BOOL_SPELLINGS, checkBoolean, parseGoBool } from "./boolean";
export {
  checkChoice,
  checkFields,
  checkRequired,
  checkStrictBoolean,
  checkString,
  checkStringList,
  reportUnknown,
  withoutUndefined,
} from "./fields";
export { imageReferenceProblem } from "./image";
export { LABEL_SELECTOR_OPERATORS, METRIC_SPEC_SCHEMA, checkMetrics } from "./metrics";
export {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  isDns1123Label,
  isDns1123Subdomain,
  isIanaServiceName,
  labelValueProblem,
  qualifiedNameProblem,
} from "./names";
export { INT32_MAX, checkInteger, checkPort } from "./numbers";
export { checkProbe } from "./probe";
export {
  MAX_ANNOTATION_BYTES,
  MI_RESERVED_PORTS,
  SUPPORTED_KUBERNETES,
  annotationSizeProblem,
  envVarNameProblem,
  isIpAddress,
} from "./kubernetes";
export { checkMemoryQuantity, checkQuantity, quantityValue } from "./quantity";
export {
  NAMED_VALUE_LISTS,
  looksSecret,
  plainSecretWarning,
  secretTypeProblem,
} from "./secretNames";
export { type SchemaNode, checkSchema } from "./schema";
export { didYouMean, editDistance, oneOf, suggestion } from "./suggest";
