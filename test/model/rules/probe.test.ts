import { expect } from "chai";
import { checkProbe } from "../../../components/model/rules";
import { place, reported } from "../support";

const LIVENESS = "spec.deploySpec.livenessProbe";
const READINESS = "spec.deploySpec.readinessProbe";

describe("rules: probes", () => {
  it("returns a valid probe with every field", () => {
    const at = place(READINESS);
    const probe = {
      httpGet: {
        path: "/healthz",
        port: 9201,
        host: "localhost",
        scheme: "HTTPS",
        httpHeaders: [{ name: "X-Probe", value: "1" }],
      },
      initialDelaySeconds: 0,
      periodSeconds: 5,
      timeoutSeconds: 2,
      successThreshold: 3,
      failureThreshold: 4,
    };
    expect(checkProbe(probe, at)).to.deep.equal(probe);
    expect(reported(at)).to.deep.equal([]);
  });

  it("warns about a header whose name looks secret, and never shows its value", () => {
    const at = place(READINESS);
    const headers = [
      { name: "Authorization", value: "Bearer hunter2" },
      { name: "X-Api-Key", value: 918273 },
      { name: "X-Probe", value: 7 },
    ];
    checkProbe({ httpGet: { port: 9201, path: "/", httpHeaders: headers } }, at);
    const field = `${READINESS}.httpGet.httpHeaders`;
    expect(reported(at)).to.deep.equal([
      `warning: x.yaml: ${field}[0].value: the name looks secret but the value is written in the CR, so git and the Deployment hold it in plain text: a probe header cannot come from a Secret; an exec probe can send it from an env variable set with valueFrom.secretKeyRef`,
      `error: x.yaml: ${field}[1].value: expected a string, got a number (not shown: the name looks secret); quote it`,
      `error: x.yaml: ${field}[2].value: expected a string, got 7; quote it: "7"`,
    ]);
  });

  it("accepts exec and tcpSocket handlers and named ports", () => {
    const at = place(LIVENESS);
    expect(checkProbe({ exec: { command: ["sh", "-c", "true"] } }, at)).to.deep.equal({
      exec: { command: ["sh", "-c", "true"] },
    });
    expect(checkProbe({ tcpSocket: { port: "mi-http" } }, at)).to.deep.equal({
      tcpSocket: { port: "mi-http" },
    });
    expect(reported(at)).to.deep.equal([]);
  });

  it("needs exactly one handler", () => {
    const at = place(LIVENESS);
    expect(checkProbe({ periodSeconds: 5 }, at)).to.equal(undefined);
    expect(
      checkProbe({ tcpSocket: { port: 8290 }, httpGet: { port: 8290, path: "/" } }, at),
    ).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      `error: x.yaml: ${LIVENESS}: needs one handler: exec, httpGet or tcpSocket`,
      `error: x.yaml: ${LIVENESS}: has httpGet and tcpSocket; a probe takes exactly one of exec, httpGet, tcpSocket`,
    ]);
  });

  it("checks ports, path, scheme and command", () => {
    const at = place(READINESS);
    checkProbe({ httpGet: { port: "9201", path: "healthz", scheme: "http" } }, at);
    checkProbe({ tcpSocket: { port: 0 } }, at);
    checkProbe({ tcpSocket: { port: "Not_A_Name" } }, at);
    checkProbe({ tcpSocket: {} }, at);
    checkProbe({ exec: { command: [] } }, at);
    checkProbe({ exec: { command: ["ok", 3] } }, at);
    expect(reported(at)).to.deep.equal([
      `error: x.yaml: ${READINESS}.httpGet.port: expected a port number, got the string "9201"; write 9201 without quotes`,
      `error: x.yaml: ${READINESS}.httpGet.path: must start with "/": write "/healthz"`,
      `error: x.yaml: ${READINESS}.httpGet.scheme: expected "HTTP" or "HTTPS", got "http"; did you mean "HTTP"?`,
      `error: x.yaml: ${READINESS}.tcpSocket.port: expected a port number between 1 and 65535, got 0`,
      `error: x.yaml: ${READINESS}.tcpSocket.port: expected a port number 1-65535 or a port name (up to 15 lower-case letters, digits and '-', with at least one letter), got "Not_A_Name"`,
      `error: x.yaml: ${READINESS}.tcpSocket.port: required field is missing`,
      `error: x.yaml: ${READINESS}.exec.command: expected a non-empty list of strings (the command and its arguments), got an empty list`,
      `error: x.yaml: ${READINESS}.exec.command[1]: expected a string, got 3; quote it: "3"`,
    ]);
  });

  it("checks the numbers' lower bounds", () => {
    const at = place(READINESS);
    const probe = {
      tcpSocket: { port: 8290 },
      initialDelaySeconds: -1,
      periodSeconds: 0,
      timeoutSeconds: 0,
      successThreshold: 0,
      failureThreshold: "3",
    };
    expect(checkProbe(probe, at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      `error: x.yaml: ${READINESS}.initialDelaySeconds: must be at least 0, got -1`,
      `error: x.yaml: ${READINESS}.timeoutSeconds: must be at least 1, got 0`,
      `error: x.yaml: ${READINESS}.periodSeconds: must be at least 1, got 0`,
      `error: x.yaml: ${READINESS}.successThreshold: must be at least 1, got 0`,
      `error: x.yaml: ${READINESS}.failureThreshold: expected an integer, got the string "3"; write 3 without quotes`,
    ]);
  });

  it("requires successThreshold 1 for a liveness probe only", () => {
    const liveness = place(LIVENESS);
    expect(checkProbe({ tcpSocket: { port: 8290 }, successThreshold: 2 }, liveness)).to.equal(
      undefined,
    );
    expect(reported(liveness)).to.deep.equal([
      `error: x.yaml: ${LIVENESS}.successThreshold: must be 1 for a liveness probe, got 2`,
    ]);
    const config = place("livenessProbe", "integration_controller_conf.yaml");
    checkProbe({ tcpSocket: { port: 8290 }, successThreshold: 2 }, config);
    expect(reported(config)).to.deep.equal([
      "error: integration_controller_conf.yaml: livenessProbe.successThreshold: must be 1 for a liveness probe, got 2",
    ]);
    const readiness = place(READINESS);
    expect(checkProbe({ tcpSocket: { port: 8290 }, successThreshold: 2 }, readiness)).to.deep.equal(
      {
        tcpSocket: { port: 8290 },
        successThreshold: 2,
      },
    );
  });

  it("rejects unknown fields at every level, with a did-you-mean", () => {
    const at = place(LIVENESS);
    const probe = { tcpSocket: { port: 8290, hots: "x" }, periodSecond: 5, grpc: { port: 1 } };
    expect(checkProbe(probe, at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      `error: x.yaml: ${LIVENESS}.periodSecond: unknown field; did you mean "periodSeconds"?`,
      `error: x.yaml: ${LIVENESS}.grpc: unknown field; the known fields are exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold`,
      `error: x.yaml: ${LIVENESS}.tcpSocket.hots: unknown field; did you mean "host"?`,
    ]);
  });

  it("rejects a probe that is not a mapping", () => {
    const at = place(LIVENESS);
    expect(checkProbe("tcp:8290", at)).to.equal(undefined);
    expect(reported(at)).to.deep.equal([
      `error: x.yaml: ${LIVENESS}: expected a mapping, got "tcp:8290"`,
    ]);
  });
});
