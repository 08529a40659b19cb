/** Whether a field was given: YAML null (`key:` with nothing after it) counts as absent, as in Kubernetes. */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}
