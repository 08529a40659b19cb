/** The short text `npm start` prints: what a stack deploys, counted as `pulumi up` registers it. */
import { integrationEndpoints, type KubeObject } from "../../components/builders";
import { compareStrings } from "../../components/builders/objects";
import { refreshingIntegrations } from "../../components/model/settings/imageRefresh";
import { usesExplicitProvider } from "../../components/model/settings/kubernetes";
import type { StackInput } from "./stackInput";

/** Aligns rows of cells into columns two spaces apart; trailing blanks are trimmed. */
export function table(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  }
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );
}

/** `4 Deployment, 4 Service, 1 Ingress`: objects counted per kind, kinds sorted. */
export function kindCounts(objects: readonly KubeObject[]): string {
  const counts = new Map<string, number>();
  for (const object of objects) counts.set(object.kind, (counts.get(object.kind) ?? 0) + 1);
  return [...counts.keys()]
    .sort(compareStrings)
    .map((kind) => `${counts.get(kind)} ${kind}`)
    .join(", ");
}

/**
 * Every resource the Pulumi program registers for the stack, counted as `pulumi preview` lists
 * them: the stack itself, the components (`IntegrationStack`, one `Integration` per integration,
 * one `SharedIngress` per Ingress), the Kubernetes objects, one `ImageDigest` per integration whose
 * image is resolved, and the explicit Kubernetes provider when the stack asks for one.
 */
export function resourceCounts(input: StackInput): { total: number; parts: string[] } {
  const integrations = input.objects.integrations.length;
  const ingresses = input.objects.ingresses.length;
  const digests = refreshingIntegrations(input.resolved).length;
  const provider = usesExplicitProvider(input.resolved.kubernetes) ? 1 : 0;
  const counted: [number, string, string][] = [
    [1, "the stack", "the stack"],
    [1, "IntegrationStack", "IntegrationStack"],
    [integrations, "Integration", "Integration"],
    [ingresses, "SharedIngress", "SharedIngress"],
    [input.list.length, "Kubernetes object", "Kubernetes objects"],
    [digests, "ImageDigest", "ImageDigest"],
    [provider, "Kubernetes provider", "Kubernetes providers"],
  ];
  const shown = counted.filter(([count], i) => count > 0 || i === 4);
  return {
    total: counted.reduce((sum, [count]) => sum + count, 0),
    parts: shown.map(([count, one, many], i) =>
      i === 0 ? one : `${count} ${count === 1 ? one : many}`,
    ),
  };
}

/**
 * The summary of a rendered stack, ending with where to go next. Offline there is no state: it
 * says what the stack holds, and that only a first `pulumi up` creates all of it.
 */
export function stackSummary(stack: string, file: string, input: StackInput): string {
  const integrations = input.objects.integrations.length;
  const lines: string[] = [
    `Stack ${stack} (${file}), rendered offline: ${integrations} integration` +
      `${integrations === 1 ? "" : "s"}, ${input.list.length} Kubernetes object` +
      `${input.list.length === 1 ? "" : "s"}.`,
  ];
  const namespaces = [...new Set(input.objects.integrations.map((i) => i.integration.namespace))];
  for (const namespace of namespaces) {
    lines.push("", `Namespace ${namespace}`);
    const rows = [["INTEGRATION", "IMAGE", "REPLICAS", "PORTS", "INGRESS URL"]];
    for (const { integration, objects } of input.objects.integrations) {
      if (integration.namespace !== namespace) continue;
      const { deployment, service, hpa } = objects;
      const replicas = hpa
        ? `HPA ${hpa.spec?.minReplicas ?? 1}-${hpa.spec?.maxReplicas}`
        : String(deployment.spec?.replicas ?? 1);
      const image = deployment.spec?.template.spec?.containers[0]?.image ?? "";
      const ports = (service.spec?.ports ?? []).map((p) => p.port).join(",");
      const url =
        integrationEndpoints(integration, input.resolved.ingress ?? input.resolved.gateway)
          .ingressUrl ?? "-";
      rows.push([integration.name, image, replicas, ports, url]);
    }
    lines.push(...table(rows).map((row) => `  ${row}`));
    for (const ingress of input.objects.ingresses) {
      if (ingress.metadata?.namespace !== namespace) continue;
      const hosts = (ingress.spec?.rules ?? []).map((r) => r.host ?? "*").join(", ");
      lines.push(`  Ingress ${ingress.metadata?.name}: host ${hosts === "" ? "*" : hosts}`);
    }
  }
  if (namespaces.length === 0) lines.push("", "No integrations: the stack's CR folders are empty.");
  const { total, parts } = resourceCounts(input);
  lines.push(
    "",
    `Objects: ${input.list.length === 0 ? "none" : kindCounts(input.list)}`,
    `Pulumi resources: ${total} (${parts.join(", ")}); the first \`pulumi up --stack ${stack}\` ` +
      "creates them all, a later one what changed (`pulumi preview` shows which)",
    "",
    "Next:",
    ...table([
      [`npm run render -- --stack ${stack}`, "every manifest, as YAML"],
      [
        `pulumi preview --stack ${stack}`,
        "the same objects as a diff against a cluster (needs the Pulumi CLI and a cluster)",
      ],
    ]).map((row) => `  ${row}`),
  );
  return `${lines.join("\n")}\n`;
}
