/** Gateway API: one HTTPRoute per integration, serving exactly the URLs the Ingress serves. */
import * as path from "node:path";
import { expect } from "chai";
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { buildHttpRoute, buildIngress } from "../../components/builders";
import { loadStackInput } from "../../cli/common/stackInput";
import type { ResolvedGateway } from "../../components/model/types";
import { schemaProblems } from "../support/schema";
import { ingress, integration } from "./fixtures";

const GATEWAY: ResolvedGateway = {
  name: "shared",
  namespace: "gateway-system",
  sectionName: "https",
  host: "mi.example.com",
  scheme: "https",
};

/** `[host, prefix, service, port]` for each URL an HTTPRoute serves. */
function routeUrls(route: IHTTPRoute): string[] {
  return (route.spec.rules ?? []).map((rule) => {
    const prefix = rule.matches?.[0].path?.value;
    const rewrite = rule.filters?.[0].urlRewrite?.path;
    expect(rule.matches?.[0].path?.type).to.equal("PathPrefix");
    expect(rewrite).to.deep.equal({ type: "ReplacePrefixMatch", replacePrefixMatch: "/" });
    const backend = rule.backendRefs?.[0];
    return `${route.spec.hostnames?.[0] ?? "*"} ${prefix} ${backend?.name}:${backend?.port}`;
  });
}

/** The same for an Ingress: its regex paths, which rewrite-target /$2 strips to `/`. */
function ingressUrls(object: ReturnType<typeof buildIngress>): string[] {
  return (object.spec?.rules ?? []).flatMap((rule) =>
    (rule.http?.paths ?? []).map((p) => {
      const prefix = (p.path ?? "").replace("(/|$)(.*)", "");
      const service = p.backend.service;
      return `${rule.host ?? "*"} ${prefix} ${service?.name}:${service?.port?.number}`;
    }),
  );
}

describe("HTTPRoutes (routing: gateway or both)", () => {
  it("builds N-route on the Gateway: PathPrefix and URLRewrite per port, no regex, no annotations, ports in the CR's order as on the Ingress", () => {
    const route = buildHttpRoute(integration({ inboundPorts: [9000, 8000] }), GATEWAY);
    expect(route).to.deep.equal({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: {
        name: "hello-route",
        namespace: "apps",
        labels: { app: "integration", integration_cr: "hello" },
      },
      spec: {
        parentRefs: [
          {
            group: "gateway.networking.k8s.io",
            kind: "Gateway",
            name: "shared",
            namespace: "gateway-system",
            sectionName: "https",
          },
        ],
        hostnames: ["mi.example.com"],
        rules: ["/hello-service", "/hello-inbound/9000", "/hello-inbound/8000"].map(
          (prefix, i) => ({
            matches: [{ path: { type: "PathPrefix", value: prefix } }],
            filters: [
              {
                type: "URLRewrite",
                urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } },
              },
            ],
            backendRefs: [{ name: "hello-service", port: [8290, 9000, 8000][i] }],
          }),
        ),
      },
    });
    expect(schemaProblems(route)).to.deep.equal([]);
    expect(JSON.stringify(route)).to.not.match(/\(|\$|nginx/);
  });

  it("serves the same URLs as the Ingress, for every integration of the prod stack", () => {
    const input = loadStackInput(path.resolve(__dirname, "../.."), { stack: "prod" });
    const routes = input.list.filter((o): o is IHTTPRoute => o.kind === "HTTPRoute");
    const ingresses = input.objects.ingresses;
    expect(routes).to.have.length(input.objects.integrations.length);
    expect(ingresses).to.have.length(1);
    expect(routes.flatMap(routeUrls).sort()).to.deep.equal(ingressUrls(ingresses[0]).sort());
    for (const route of routes) expect(schemaProblems(route)).to.deep.equal([]);
  });

  it("drops the rule of a removed inbound port, and sets no hostname for an empty host", () => {
    const before = buildHttpRoute(integration({ inboundPorts: [8000, 9000] }), GATEWAY);
    const after = buildHttpRoute(integration({ inboundPorts: [9000] }), { ...GATEWAY, host: "" });
    expect(routeUrls(before)).to.deep.equal([
      "mi.example.com /hello-service hello-service:8290",
      "mi.example.com /hello-inbound/8000 hello-service:8000",
      "mi.example.com /hello-inbound/9000 hello-service:9000",
    ]);
    expect(routeUrls(after)).to.deep.equal([
      "* /hello-service hello-service:8290",
      "* /hello-inbound/9000 hello-service:9000",
    ]);
    const sameAsIngress = ingressUrls(
      buildIngress(ingress({ host: "mi.example.com" }), "apps", [
        integration({ inboundPorts: [8000, 9000] }),
      ]),
    );
    expect(routeUrls(before).sort()).to.deep.equal(sameAsIngress.sort());
  });
});
