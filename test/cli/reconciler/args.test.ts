/** `npm run reconciler`'s flags: what is required, what each accepts, usage errors (exit 2). */
import { expect } from "chai";
import {
  DEFAULT_ACCESS_TOKEN_SECRET,
  parseReconcilerArgs,
  RECONCILER_USAGE,
} from "../../../cli/reconciler/args";
import { main } from "../../../cli/reconciler/main";
import { EXIT } from "../../../cli/common/io";
import { run } from "../run";
import { required } from "./support";

const REPO = "https://github.com/acme/integrations.git";

/** The usage message of `argv`, or undefined when it parses. */
function message(argv: string[]): string | undefined {
  const parsed = parseReconcilerArgs(argv);
  return parsed.ok ? undefined : parsed.message;
}

describe("reconciler: flags", () => {
  it("takes the defaults: branch main, the access token in pulumi-api-secret", () => {
    const parsed = parseReconcilerArgs(required("prod"));
    expect(parsed).to.deep.equal({
      ok: true,
      args: {
        stack: "prod",
        repo: REPO,
        org: "acme",
        branch: "main",
        accessTokenSecret: DEFAULT_ACCESS_TOKEN_SECRET,
        help: false,
      },
    });
  });

  it("takes every optional flag", () => {
    const parsed = parseReconcilerArgs([
      ...required("prod"),
      "--branch=release/2026",
      "--repo-dir",
      "deploy/wso2-mi",
      "--namespace",
      "pulumi-stacks",
      "--git-auth-secret",
      "git-credentials",
      "--docker-config-secret",
      "registry-credentials",
      "--access-token-secret",
      "pulumi-token",
      "--name",
      "integrations-prod",
    ]);
    expect(parsed.ok && parsed.args).to.deep.equal({
      stack: "prod",
      repo: REPO,
      org: "acme",
      branch: "release/2026",
      repoDir: "deploy/wso2-mi",
      namespace: "pulumi-stacks",
      gitAuthSecret: "git-credentials",
      dockerConfigSecret: "registry-credentials",
      accessTokenSecret: "pulumi-token",
      name: "integrations-prod",
      help: false,
    });
  });

  it("requires --stack, --repo and --org, naming each one missing", () => {
    expect(message([])).to.equal("--stack, --repo, --org are required");
    expect(message(["--stack", "prod", "--org", "acme"])).to.equal("--repo is required");
    expect(message(["--stack", "prod", "--repo", REPO])).to.equal("--org is required");
  });

  it("refuses unknown flags, positionals and empty values", () => {
    expect(message([...required("prod"), "--commit", "abc"])).to.match(/Unknown option '--commit'/);
    expect(message([...required("prod"), "extra"])).to.match(/Unexpected argument 'extra'/);
    expect(message([...required("prod"), "--branch", ""])).to.equal(
      "--branch needs a non-empty value",
    );
  });

  it("accepts the git URLs PKO clones and refuses others", () => {
    for (const repo of [
      REPO,
      "http://git.internal:8080/acme/integrations",
      "ssh://git@github.com/acme/integrations.git",
      "git@github.com:acme/integrations.git",
    ]) {
      expect(message(["--stack", "prod", "--org", "acme", "--repo", repo]), repo).to.equal(
        undefined,
      );
    }
    for (const repo of ["github.com/acme/integrations", "file:///srv/git/x", "https://", "acme"]) {
      expect(message(["--stack", "prod", "--org", "acme", "--repo", repo]), repo).to.match(
        /^--repo expects a git URL such as https:\/\/github\.com\/acme\/integrations\.git/,
      );
    }
  });

  it("refuses a stack given with its organization, and a bad organization", () => {
    expect(message(["--stack", "acme/prod", "--repo", REPO, "--org", "acme"])).to.equal(
      `--stack takes the stack's name alone ("prod"); give the organization with --org`,
    );
    expect(message(["--stack", "prod", "--repo", REPO, "--org", "acme corp"])).to.equal(
      '--org expects a Pulumi organization (letters, digits, -, _ and .), got "acme corp"',
    );
  });

  it("refuses a commit or a malformed branch: PKO only polls branches", () => {
    expect(message([...required("prod"), "--branch", "a".repeat(40)])).to.match(
      /a commit: PKO only polls branches/,
    );
    for (const branch of ["-x", "a..b", "a b", "main.lock", "feature/"]) {
      expect(message([...required("prod"), `--branch=${branch}`]), branch).to.match(
        /^--branch expects a branch name such as main/,
      );
    }
  });

  it("refuses a --repo-dir outside the repository", () => {
    for (const dir of ["/srv/x", "../x", "a/../../b", "a//b"]) {
      expect(message([...required("prod"), "--repo-dir", dir]), dir).to.match(
        /^--repo-dir expects a folder inside the repository/,
      );
    }
    expect(message([...required("prod"), "--repo-dir", "deploy/"])).to.equal(undefined);
  });

  it("refuses names Kubernetes would refuse", () => {
    expect(message([...required("prod"), "--namespace", "Integrations"])).to.match(
      /^--namespace expects a namespace name: "Integrations" is not a valid name/,
    );
    expect(message([...required("prod"), "--git-auth-secret", "git_creds"])).to.match(
      /^--git-auth-secret expects a Secret's name/,
    );
    expect(message([...required("prod"), "--name", "a".repeat(43)])).to.equal(
      `--name: "${"a".repeat(43)}" has 43 characters; a PKO Stack's name has at most 42 ` +
        "(its workspace's StatefulSet and pods are named after it)",
    );
    expect(message([...required("prod"), "--name", "a".repeat(42)])).to.equal(undefined);
  });

  it("prints the usage on stderr with exit code 2, and nothing on stdout", () => {
    const { code, stdout, stderr } = run(main, ["--stack", "prod", "--org", "acme"]);
    expect(code).to.equal(EXIT.usage);
    expect(stdout).to.equal("");
    expect(stderr).to.equal(`reconciler: --repo is required\n\n${RECONCILER_USAGE}`);
  });

  it("prints the usage on stdout for --help", () => {
    const { code, stdout, stderr } = run(main, ["--help"]);
    expect(code).to.equal(EXIT.ok);
    expect(stdout).to.equal(RECONCILER_USAGE);
    expect(stderr).to.equal("");
  });
});
