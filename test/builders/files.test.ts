/** Files in pods: existing Secrets mounted as files, and repository files in a hashed ConfigMap. */
import { expect } from "chai";
import {
  buildConfigFilesConfigMap,
  buildDeployment,
  buildIntegrationObjects,
  integrationObjectList,
} from "../../components/builders";
import { DEFAULT_RUN_AS } from "../../components/model/defaults/platform";
import { restrictedViolations } from "../support/podSecurity";
import { schemaProblems } from "../support/schema";
import { integration } from "./fixtures";

const TOML = '[server]\nhostname = "localhost"\n';
const CONF = "/home/wso2carbon/wso2mi-4.2.0/conf";

const withFiles = (content = TOML) =>
  integration({
    podSecurity: { ...DEFAULT_RUN_AS },
    configFiles: [
      { key: "deployment.toml", mountPath: `${CONF}/deployment.toml`, content },
      { key: "log4j2.properties", mountPath: `${CONF}/log4j2.properties`, content: "a=b\n" },
    ],
    secretFiles: [
      {
        secretName: "keystores",
        mountPath: "/home/wso2carbon/wso2mi-4.2.0/repository/resources/security",
        items: [{ key: "wso2carbon.jks", path: "wso2carbon.jks" }],
      },
      { secretName: "extra-certs", mountPath: "/etc/extra-certs" },
    ],
  });

describe("files in pods", () => {
  it("puts the config files in one ConfigMap N-files-<hash of the content>", () => {
    const configMap = buildConfigFilesConfigMap(withFiles());
    expect(configMap?.metadata?.name).to.match(/^hello-files-[0-9a-f]{10}$/);
    expect(configMap).to.deep.include({
      apiVersion: "v1",
      kind: "ConfigMap",
      data: { "deployment.toml": TOML, "log4j2.properties": "a=b\n" },
    });
    expect(schemaProblems(configMap ?? buildDeployment(integration()))).to.deep.equal([]);
    expect(buildConfigFilesConfigMap(integration())).to.equal(undefined);
  });

  it("renames the ConfigMap when a file changes, which changes the pod template", () => {
    const before = buildIntegrationObjects(withFiles());
    const after = buildIntegrationObjects(withFiles(`${TOML}offset = "1"\n`));
    const name = (o: typeof before) => o.configMaps?.[0].metadata?.name;
    expect(name(after)).to.not.equal(name(before));
    expect(after.deployment.spec?.template).to.not.deep.equal(before.deployment.spec?.template);
    expect(buildIntegrationObjects(withFiles()).configMaps).to.deep.equal(before.configMaps);
    expect(integrationObjectList(before).map((o) => o.kind)).to.deep.equal([
      "Deployment",
      "Service",
      "ConfigMap",
    ]);
  });

  it("mounts each config file alone, each secret item alone, and a whole secret as a folder", () => {
    const deployment = buildDeployment(withFiles());
    const pod = deployment.spec?.template.spec;
    const name = buildConfigFilesConfigMap(withFiles())?.metadata?.name;
    expect(pod?.volumes).to.deep.equal([
      { name: "config-files", configMap: { name } },
      {
        name: "secret-files-0",
        secret: {
          secretName: "keystores",
          items: [{ key: "wso2carbon.jks", path: "wso2carbon.jks" }],
        },
      },
      { name: "secret-files-1", secret: { secretName: "extra-certs" } },
    ]);
    expect(pod?.containers[0].volumeMounts).to.deep.equal([
      {
        name: "config-files",
        mountPath: `${CONF}/deployment.toml`,
        subPath: "deployment.toml",
        readOnly: true,
      },
      {
        name: "config-files",
        mountPath: `${CONF}/log4j2.properties`,
        subPath: "log4j2.properties",
        readOnly: true,
      },
      {
        name: "secret-files-0",
        mountPath: "/home/wso2carbon/wso2mi-4.2.0/repository/resources/security/wso2carbon.jks",
        subPath: "wso2carbon.jks",
        readOnly: true,
      },
      { name: "secret-files-1", mountPath: "/etc/extra-certs", readOnly: true },
    ]);
    expect(schemaProblems(deployment)).to.deep.equal([]);
    expect(restrictedViolations(deployment.spec?.template ?? {})).to.deep.equal([]);
  });
});
