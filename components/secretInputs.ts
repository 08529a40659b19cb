/**
 * A built object as its resource's inputs, with the values whose names look secret (env variables,
 * probe headers: `looksSecret`) as Pulumi secrets, so that previews show `[secret]` and the state
 * encrypts them. Only those fields: the rest stays plain, so a preview diffs it field by field.
 */
import * as pulumi from "@pulumi/pulumi";
import { isMapping, looksSecret, NAMED_VALUE_LISTS } from "./model/rules";

/** `object` with every secret-looking named value wrapped in `pulumi.secret`; Outputs pass through. */
export function secretInputs<T>(object: T): T {
  return inputsOf(object) as T;
}

function inputsOf(value: unknown): unknown {
  if (pulumi.Output.isInstance(value)) return value;
  if (Array.isArray(value)) return value.map(inputsOf);
  if (!isMapping(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      NAMED_VALUE_LISTS.includes(key) && Array.isArray(field)
        ? field.map((item) => secretNamedValue(inputsOf(item)))
        : inputsOf(field);
  }
  return out;
}

function secretNamedValue(item: unknown): unknown {
  if (!isMapping(item) || typeof item.name !== "string" || typeof item.value !== "string") {
    return item;
  }
  return looksSecret(item.name) ? { ...item, value: pulumi.secret(item.value) } : item;
}
