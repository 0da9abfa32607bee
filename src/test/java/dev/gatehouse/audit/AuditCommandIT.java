package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cli.AuditCommand;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code gatehouse audit} as a CI job runs it: flags in, report on stdout, exit code 0, 1 or 2. */
class AuditCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static NginxDjangoDeployment deployment;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() {
    deployment = NginxDjangoDeployment.start(DjangoVersion.VENV_52, Map.of());
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
  }

  private int audit(Map<String, String> environment, String... flags) {
    List<String> args = new ArrayList<>(List.of(deployment.url("/echo/").toString(),
        "--resolve", NginxDjangoDeployment.HOST + ":127.0.0.1", "--http-port", Integer.toString(deployment.httpPort),
        "--ca-file", deployment.caFile.toString()));
    args.addAll(List.of(flags));
    CommandLine command = new CommandLine(new AuditCommand(environment::get, Clock.systemUTC()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args.toArray(String[]::new));
  }

  @Test
  void correctDeploymentExitsZeroWithJsonThatSaysSo() throws Exception {
    deployment.serve(deployment.goodSite());

    int exit = audit(Map.of("AUDIT_PASSWORD", DjangoApp.ADMIN_PASSWORD), "--format", "json",
        "--fail-on", "warning", "--login", DjangoApp.ADMIN_USERNAME + ":AUDIT_PASSWORD");

    assertThat(exit).as(out + "\n" + err).isZero();
    JsonNode report = JSON.readTree(out.toString());
    assertThat(report.get("failed").asBoolean()).isFalse();
    assertThat(report.get("summary").get("error").asInt()).isZero();
    assertThat(report.get("summary").get("warning").asInt()).isZero();
    assertThat(report.get("checks")).hasSize(22);
    assertThat(out.toString()).contains("Cookie sessionid is Secure, HttpOnly")
        .doesNotContain(DjangoApp.ADMIN_PASSWORD);
  }

  @Test
  void warningFailsOnlyWhenFailOnWarning() throws Exception {
    deployment.serve(deployment.goodSite().withRedirectStatus(302));

    int lenient = audit(Map.of(), "--format", "junit");
    String junit = out.toString();
    out.getBuffer().setLength(0);
    int strict = audit(Map.of(), "--format", "junit", "--fail-on", "warning");

    assertThat(lenient).as(junit).isZero();
    assertThat(junit).doesNotContain("<failure");
    assertThat(strict).isEqualTo(1);
    assertThat(out.toString()).contains("<failure type=\"warning\" message=\"The redirect to HTTPS is temporary (302)");
  }

  @Test
  void errorExitsOneWithTheFixInTheTextReport() {
    deployment.serve(deployment.goodSite().withForwardedProto(null));

    int exit = audit(Map.of());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).startsWith("gatehouse audit " + deployment.url("/echo/"))
        .contains("ERROR (3)", "- django-https", "- csrf", "- forwarded-headers",
            "fix:  nginx: proxy_set_header X-Forwarded-Proto $scheme;")
        .contains("FAILED: findings at or above error")
        .doesNotContain("\u001b[");
    assertThat(err.toString()).isEmpty();
  }
}
