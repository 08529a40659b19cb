/** Which environment variable names look like they hold a secret. */

/** Found inside a word: `DBPASSWORD`, `GithubToken`, `MYAPIKEY`. */
const SECRET_INSIDE = /password|passwd|passphrase|secret|token|credential|apikey|privatekey/;
/** A whole word: `API_KEY`, `db-pass`, `ADMIN_PW`. */
const SECRET_WORD = /^(?:key|keys|pass|pwd|pw|creds)$/;
/** A word's ending: `DBPASS`, `ADMINPWD`. */
const SECRET_ENDING = /(?:pass|pwd)$/;

/**
 * Whether the env variable `name` looks like it holds a secret. The name is split into words at
 * anything but a letter and at camelCase humps, in any case; it looks secret when a word contains
 * `password`, `passwd`, `passphrase`, `secret`, `token`, `credential`, `apikey` or `privatekey`,
 * is `key`, `keys`, `pass`, `pwd`, `pw` or `creds`, or ends in `pass` or `pwd`. So `DB_PASSWORD`,
 * `dbPass`, `API_KEY`, `GITHUB_TOKEN` and `SecretFile` look secret; `KEYSTORE_PATH`,
 * `PASSTHROUGH_PORT` and `MONKEY_URL` do not.
 */
export function looksSecret(name: string): boolean {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z]+/)
    .some((word) => SECRET_INSIDE.test(word) || SECRET_WORD.test(word) || SECRET_ENDING.test(word));
}
