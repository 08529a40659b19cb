import { expect } from "chai";
import { looksSecret } from "../../../components/model/rules";

describe("rules: env names that look secret", () => {
  const secret = [
    "DB_PASSWORD",
    "dbPassword",
    "KEYSTORE_PASSWORD",
    "db_Pass",
    "DBPASS",
    "ADMIN_PWD",
    "admin-pw",
    "Api_KEY",
    "apiKey",
    "MYAPIKEY",
    "SIGNING_KEYS",
    "SSH_PRIVATEKEY",
    "GITHUB_TOKEN",
    "accessToken",
    "MY_SECRET",
    "SecretFile",
    "CREDENTIALS",
    "aws.creds",
    "PASSPHRASE",
    "PASS1",
    "BASIC_AUTH",
    "MY_AUTH",
    "Authorization",
    "PROXY_AUTHORIZATION",
  ];
  const plain = [
    "DB_URL",
    "KEYSTORE_PATH",
    "PASSTHROUGH_PORT",
    "MONKEY_URL",
    "jmsurl",
    "KEYCLOAK_REALM",
    "OAUTH_CLIENT_ID",
    "AUTHOR",
    "PATH",
    "",
  ];

  for (const name of secret) {
    it(`${JSON.stringify(name)} looks secret`, () => expect(looksSecret(name)).to.equal(true));
  }
  for (const name of plain) {
    it(`${JSON.stringify(name)} does not`, () => expect(looksSecret(name)).to.equal(false));
  }
});
