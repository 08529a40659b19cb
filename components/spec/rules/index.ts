/**
 * The checks shared by CRs, the controller config and the stack settings. Each takes the raw
 * value and where it was found, reports problems, and returns the value typed, or undefined.
 */
import type { Problems, Source } from "../problems";
import type { IMetricSpec, IProbe } from "../types";

/** Where a value was found: the document and the dotted field path inside it. */
export interface At {
  source: Source;
  path: string;
  problems: Problems;
}

/** Go's `strconv.ParseBool` spellings plus YAML booleans; undefined for anything else. */
export declare function parseGoBool(value: unknown): boolean | undefined;
/** Reports an error naming the accepted spellings when `value` is not a boolean. */
export declare function checkBoolean(value: unknown, at: At): boolean | undefined;
/** An integer in [min, max]; reports non-integers (including numeric strings) and out-of-range. */
export declare function checkInteger(value: unknown, at: At, min: number, max: number): number | undefined;
/** A TCP port 1-65535. */
export declare function checkPort(value: unknown, at: At): number | undefined;
/** A Kubernetes quantity (`500m`, `2Gi`, `1.5`, `1e3`), returned as written (numbers as strings). */
export declare function checkQuantity(value: unknown, at: At): string | undefined;
/** The value of a quantity in base units, for comparing requests with limits; undefined if invalid. */
export declare function quantityValue(quantity: string): number | undefined;
/** RFC 1123 label: lower-case alphanumerics and '-', alphanumeric at both ends, at most 63. */
export declare function isDns1123Label(value: string): boolean;
/** RFC 1123 subdomain: labels joined by '.', at most 253. */
export declare function isDns1123Subdomain(value: string): boolean;
/** A container image reference as Docker parses it; undefined if valid, else what is wrong. */
export declare function imageReferenceProblem(value: string): string | undefined;
/** A probe with exactly one handler (exec, httpGet, tcpSocket), known fields, sane numbers. */
export declare function checkProbe(value: unknown, at: At): IProbe | undefined;
/** autoscaling/v2 HPA metrics, a list of MetricSpec. */
export declare function checkMetrics(value: unknown, at: At): IMetricSpec[] | undefined;
/** The closest candidate to `word` (edit distance), when close enough to be a likely typo. */
export declare function didYouMean(word: string, candidates: readonly string[]): string | undefined;
