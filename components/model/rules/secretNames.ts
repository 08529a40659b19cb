/** Which environment variable names look like they hold a secret. */

/**
 * The keys of lists of `{name, value}` whose values are hidden when the name looks secret: a
 * container's `env` and a probe's `httpHeaders`.
 */
export const NAMED_VALUE_LISTS: readonly string[] = ["env", "httpHeaders"];

/** Found inside a word: `DBPASSWORD`, `GithubToken`, `MYAPIKEY`. */
const SECRET_INSIDE =
  /password|passwd|passphrase|secret|token|credential|apikey|privatekey|authorization/;
/** A whole word: `API_KEY`, `db-pass`, `ADMIN_PW`, `BASIC_AUTH`. */
const SECRET_WORD = /^(?:key|keys|pass|pwd|pw|creds|auth)$/;
/** A word's ending: `DBPASS`, `ADMINPWD`. */
const SECRET_ENDING = /(?:pass|pwd)$/;

/**
 * Whether the env variable `name` looks like it holds a secret. The name is split into words at
 * anything but a letter and at camelCase humps, in any case; it looks secret when a word contains
 * `password`, `passwd`, `passphrase`, `secret`, `token`, `credential`, `apikey`, `privatekey` or
 * `authorization`, is `key`, `keys`, `pass`, `pwd`, `pw`, `creds` or `auth`, or ends in `pass` or
 * `pwd`. So `DB_PASSWORD`, `dbPass`, `API_KEY`, `GITHUB_TOKEN`, `BASIC_AUTH`, `Authorization`
 * and `SecretFile` look secret; `KEYSTORE_PATH`, `PASSTHROUGH_PORT` and `MONKEY_URL` do not.
 */
export function looksSecret(name: string): boolean {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z]+/)
    .some((word) => SECRET_INSIDE.test(word) || SECRET_WORD.test(word) || SECRET_ENDING.test(word));
}

/** The problem with a number or boolean whose name looks secret: its type, never its value. */
export function secretTypeProblem(value: number | boolean): string {
  return `expected a string, got a ${typeof value} (not shown: the name looks secret); quote it`;
}

/**
 * The warning for a value whose name looks secret, written in a CR: `instead` says what to write
 * instead.
 */
export function plainSecretWarning(instead: string): string {
  return (
    "the name looks secret but the value is written in the CR, so git and the Deployment hold " +
    `it in plain text: ${instead}`
  );
}
