/** Objects whose delete leaves them in the cluster: the program registers them with `retainOnDelete`. */

/** A kind the program retains, and why the cluster keeps it. */
interface RetainedKind {
  group: string;
  kind: string;
  why: string;
}

/** As `IntegrationStack` registers them (`createNamespace`). */
const RETAINED_KINDS: RetainedKind[] = [
  {
    group: "",
    kind: "Namespace",
    why:
      "Pulumi stops managing it and leaves it in the cluster with everything in it " +
      "(retainOnDelete: deleting a namespace would delete its Secrets too)",
  },
];

/**
 * Why deleting an object of `group` and `kind` leaves it in the cluster (Pulumi's
 * `delete[retain]`); undefined when the delete removes it.
 */
export function retainReason(group: string, kind: string): string | undefined {
  return RETAINED_KINDS.find((r) => r.group === group && r.kind === kind)?.why;
}
