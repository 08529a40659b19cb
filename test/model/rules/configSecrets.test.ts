import { expect } from "chai";
import {
  findConfigSecrets,
  maskConfigSecrets,
} from "../../../components/model/rules/configSecrets";

const TOML = [
  "# password = commented out",
  "[server]",
  'hostname = "localhost"',
  "",
  "[keystore.primary]",
  'password = "wso2carbon"',
  'key_password = "$secret{keystore_password}"',
  "alias = wso2carbon",
  "",
  "[[datasource]]",
  'id = "WSO2_DB"',
  "password = 's3cr3t' # inline comment",
  'token = "$env{API_TOKEN}"',
  'clientSecret = ""',
  "",
].join("\n");

describe("secret-looking values in config files", () => {
  it("finds values written out under secret-looking keys, with their table and line", () => {
    expect(findConfigSecrets(TOML).map((s) => [s.line, s.key])).to.deep.equal([
      [6, "[keystore.primary].password"],
      [12, "[datasource].password"],
    ]);
  });

  it("leaves $secret{}, $env{} and $sys{} references, empty values and comments alone", () => {
    expect(
      findConfigSecrets('a_password = "$sys{x}"\n# token = abc\n; secret = x\n'),
    ).to.deep.equal([]);
  });

  it("masks only the values, keeping quotes and comments", () => {
    const masked = maskConfigSecrets(TOML);
    expect(masked).to.include('password = "[secret]"\n');
    expect(masked).to.include("password = '[secret]' # inline comment\n");
    expect(masked).to.not.include('wso2carbon"');
    expect(masked).to.not.include("s3cr3t");
    expect(masked.split("\n")).to.have.length(TOML.split("\n").length);
  });

  it("reads properties files too: key=value and key: value", () => {
    const text =
      "appender.x.password=hunter2\nlogger.level: INFO\nsecret.key : abc # not a comment\n";
    expect(maskConfigSecrets(text)).to.equal(
      "appender.x.password=[secret]\nlogger.level: INFO\nsecret.key : [secret] # not a comment\n",
    );
  });
});
