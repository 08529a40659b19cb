/** The one order used wherever output is serialised, so renders do not depend on the locale. */

/** Locale-independent string order (by UTF-16 code unit). */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** Integrations (or anything with a namespace and a name): by namespace, then name. */
export function compareByNamespaceAndName(
  a: { namespace: string; name: string },
  b: { namespace: string; name: string },
): number {
  return compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);
}
