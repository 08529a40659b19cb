import { expect } from "chai";
import { buildIngresses } from "../../components/builders";
import { schemaProblems } from "../support/schema";
import { ingress, integration, stack } from "./fixtures";

const servicePath = (name: string, port: number) => ({
  path: `/${name}-service(/|$)(.*)`,
  pathType: "ImplementationSpecific",
  backend: { service: { name: `${name}-service`, port: { number: port } } },
});
const inboundPath = (name: string, port: number) => ({
  path: `/${name}-inbound/${port}(/|$)(.*)`,
  pathType: "ImplementationSpecific",
  backend: { service: { name: `${name}-service`, port: { number: port } } },
});

describe("buildIngresses", () => {
  it("builds the exact Ingress of a small integration", () => {
    const ingresses = buildIngresses(stack([integration()]));
    expect(ingresses).to.deep.equal([
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
          name: "ei-operator-ingress",
          namespace: "apps",
          annotations: {
            "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
            "nginx.ingress.kubernetes.io/ssl-redirect": "false",
          },
        },
        spec: {
          ingressClassName: "nginx",
          rules: [
            { host: "wso2ei.ingress.wso2.com", http: { paths: [servicePath("hello", 8290)] } },
          ],
        },
      },
    ]);
    expect(schemaProblems(ingresses[0])).to.deep.equal([]);
  });

  it("sorts annotation keys", () => {
    const [built] = buildIngresses(
      stack([integration()], ingress({ annotations: { b: "2", a: "1", "c/x": "3" } })),
    );
    expect(Object.keys(built.metadata?.annotations ?? {})).to.deep.equal(["a", "b", "c/x"]);
  });

  it("keeps annotation values containing ':' whole", () => {
    const value = 'more_set_headers "X-A: b"';
    const [built] = buildIngresses(
      stack(
        [integration()],
        ingress({ annotations: { "nginx.ingress.kubernetes.io/configuration-snippet": value } }),
      ),
    );
    expect(built.metadata?.annotations).to.deep.equal({
      "nginx.ingress.kubernetes.io/configuration-snippet": value,
    });
  });

  it("leaves annotations out when there are none, and the class out when unset", () => {
    const [built] = buildIngresses(
      stack([integration()], ingress({ annotations: {}, className: undefined })),
    );
    expect(built.metadata).to.deep.equal({ name: "ei-operator-ingress", namespace: "apps" });
    expect(built.spec).to.deep.equal({
      rules: [{ host: "wso2ei.ingress.wso2.com", http: { paths: [servicePath("hello", 8290)] } }],
    });
    expect(schemaProblems(built)).to.deep.equal([]);
  });

  it("uses spec.ingressClassName, never the deprecated annotation", () => {
    const [built] = buildIngresses(
      stack([integration()], ingress({ className: "internal-nginx" })),
    );
    expect(built.spec?.ingressClassName).to.equal("internal-nginx");
    expect(built.metadata?.annotations).to.not.have.property("kubernetes.io/ingress.class");
  });

  it("adds TLS for the host when a TLS secret is set", () => {
    const [built] = buildIngresses(
      stack(
        [integration()],
        ingress({ tlsSecretName: "mi-tls", scheme: "https", host: "mi.example.com" }),
      ),
    );
    expect(built.spec?.tls).to.deep.equal([{ hosts: ["mi.example.com"], secretName: "mi-tls" }]);
    expect(Object.keys(built.spec ?? {})).to.deep.equal(["ingressClassName", "tls", "rules"]);
    expect(schemaProblems(built)).to.deep.equal([]);
  });

  it("has no TLS without a TLS secret", () => {
    const [built] = buildIngresses(stack([integration()]));
    expect(built.spec).to.not.have.property("tls");
  });

  it("omits the host when it is empty (the rule then matches every host)", () => {
    const [built] = buildIngresses(
      stack([integration()], ingress({ host: "", tlsSecretName: "mi-tls" })),
    );
    expect(built.spec?.rules).to.deep.equal([{ http: { paths: [servicePath("hello", 8290)] } }]);
    expect(built.spec?.tls).to.deep.equal([{ secretName: "mi-tls" }]);
    expect(schemaProblems(built)).to.deep.equal([]);
  });

  it("routes each inbound port, all paths in one rule sorted by path", () => {
    const [built] = buildIngresses(
      stack([
        integration({ name: "orders", inboundPorts: [9000, 8000] }),
        integration({ name: "billing", passthroPort: 8291 }),
      ]),
    );
    expect(built.spec?.rules).to.deep.equal([
      {
        host: "wso2ei.ingress.wso2.com",
        http: {
          paths: [
            servicePath("billing", 8291),
            inboundPath("orders", 8000),
            inboundPath("orders", 9000),
            servicePath("orders", 8290),
          ],
        },
      },
    ]);
    expect(schemaProblems(built)).to.deep.equal([]);
  });

  it("builds one Ingress per namespace, sorted, each with only its namespace's paths", () => {
    const ingresses = buildIngresses(
      stack([
        integration({ name: "b", namespace: "team-b" }),
        integration({ name: "a", namespace: "team-a" }),
        integration({ name: "c", namespace: "team-b" }),
      ]),
    );
    expect(ingresses.map((i) => i.metadata?.namespace)).to.deep.equal(["team-a", "team-b"]);
    expect(ingresses.map((i) => i.metadata?.name)).to.deep.equal([
      "ei-operator-ingress",
      "ei-operator-ingress",
    ]);
    expect(ingresses[0].spec?.rules?.[0].http?.paths).to.deep.equal([servicePath("a", 8290)]);
    expect(ingresses[1].spec?.rules?.[0].http?.paths).to.deep.equal([
      servicePath("b", 8290),
      servicePath("c", 8290),
    ]);
  });

  it("drops the paths of a removed integration", () => {
    const before = buildIngresses(
      stack([integration({ name: "a" }), integration({ name: "b", inboundPorts: [8000] })]),
    );
    const after = buildIngresses(stack([integration({ name: "a" })]));
    expect(before[0].spec?.rules?.[0].http?.paths).to.have.length(3);
    expect(after[0].spec?.rules?.[0].http?.paths).to.deep.equal([servicePath("a", 8290)]);
  });

  it("builds nothing when the Ingress is off, or when there are no integrations", () => {
    expect(buildIngresses(stack([integration()], null))).to.deep.equal([]);
    expect(buildIngresses(stack([]))).to.deep.equal([]);
  });
});
