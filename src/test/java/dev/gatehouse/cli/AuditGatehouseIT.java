package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse audit} against {@code gatehouse serve} in front of Django 5.2 under Gunicorn: the
 * deployment Gatehouse makes is clean by its own audit, and a fault planted in it is found.
 */
class AuditGatehouseIT {

  private static final String NAME = "app.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void gatehouseInFrontOfDjangoHasNoWarningAndNoError() throws Exception {
    JsonNode report = auditDeployment(Map.of(), 0);
    assertThat(report.get("summary").get("warning").asInt()).as(report.toPrettyString()).isZero();
    assertThat(report.get("summary").get("error").asInt()).as(report.toPrettyString()).isZero();
    assertThat(status(report, "http-redirect")).isEqualTo("ok");
    assertThat(status(report, "forwarded-headers")).isEqualTo("ok");
    assertThat(status(report, "csrf")).isEqualTo("ok");
    assertThat(status(report, "cookies")).isEqualTo("ok");
  }

  @Test
  void insecureSessionCookieBehindGatehouseIsFound() throws Exception {
    JsonNode report = auditDeployment(Map.of("DJANGO_SESSION_COOKIE_SECURE", "0"), 1);
    assertThat(status(report, "cookies")).isEqualTo("error");
    assertThat(report.toString()).contains("SESSION_COOKIE_SECURE");
  }

  @Test
  void hstsTurnedOffIsFound() throws Exception {
    JsonNode report = auditDeployment(Map.of(), 1, "--hsts", "off");
    assertThat(status(report, "hsts")).isIn("warning", "error");
  }

  /** Gatehouse's defaults (HSTS ramp at its first stage included) plus {@code serveFlags}, audited strictly. */
  private JsonNode auditDeployment(Map<String, String> djangoEnv, int expectedExit, String... serveFlags)
      throws Exception {
    TestCert ca = TestCerts.ca("Audit Test CA");
    Path caFile = ca.writeCertificate(tmp.resolve("ca.pem"));
    TestCert.PemFiles leaf = TestCerts.forNames(NAME).signedBy(ca).issue().writeTo(tmp, "leaf");
    int http = FreePorts.next();
    int https = FreePorts.next();
    try (DjangoApp app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, djangoEnv)) {
      List<String> serve =
          new ArrayList<>(
              List.of("serve", NAME, "--upstream", app.upstreamArg(), "--tls-cert", leaf.cert().toString(),
                  "--tls-key", leaf.key().toString(), "--http-port", "" + http, "--https-port", "" + https,
                  "--bind", "127.0.0.1", "--state-dir", tmp.resolve("state").toString(), "--access-log", "off"));
      serve.addAll(Arrays.asList(serveFlags));
      try (GatehouseProcess gatehouse = GatehouseProcess.start(serve, http, https)) {
        ManagedProcess.Result audit =
            GatehouseProcess.run(
                tmp, Map.of("AUDIT_PASSWORD", DjangoApp.ADMIN_PASSWORD), Duration.ofMinutes(3),
                List.of("audit", "https://" + NAME + ":" + https + "/echo/", "--resolve", NAME + ":127.0.0.1",
                    "--http-port", "" + http, "--ca-file", caFile.toString(), "--format", "json", "--fail-on",
                    "warning", "--login", DjangoApp.ADMIN_USERNAME + ":AUDIT_PASSWORD"));
        assertThat(audit.exitCode()).as(audit.output() + "\n" + gatehouse.log()).isEqualTo(expectedExit);
        String output = audit.output();
        return JSON.readTree(output.substring(output.indexOf('{')));
      }
    }
  }

  private static String status(JsonNode report, String checkId) {
    for (JsonNode check : report.get("checks")) {
      if (check.get("id").asText().equals(checkId)) {
        return check.get("status").asText();
      }
    }
    throw new AssertionError("no check " + checkId + " in " + report);
  }
}
