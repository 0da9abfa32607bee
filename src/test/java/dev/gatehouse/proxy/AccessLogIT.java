package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log of a real serve in front of Django: JSON lines, a client that gives up logged as 499, and
 * logrotate's rename-then-signal (no copytruncate) with SIGUSR1 and SIGHUP.
 */
class AccessLogIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void jsonLinesAbandonedRequestsAs499AndReopenAfterRotation() throws Exception {
    int http = FreePorts.next();
    int https = FreePorts.next();
    Path log = tmp.resolve("access.log");
    try (DjangoApp app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of());
        GatehouseProcess serve =
            GatehouseProcess.start(
                List.of("serve", "localhost", "--upstream", app.upstreamArg(), "--http-port", "" + http,
                    "--https-port", "" + https, "--bind", "127.0.0.1", "--state-dir", tmp.resolve("state").toString(),
                    "--access-log", log.toString(), "--access-log-format", "json"),
                http, https)) {
      Curl.to("https://localhost:" + https + "/echo/").cacert(tmp.resolve("state/localca/root.pem"))
          .header("Referer", "https://localhost/\"quoted\"").http2().run();
      Curl.to("https://localhost:" + https + "/slow/?seconds=3").cacert(tmp.resolve("state/localca/root.pem"))
          .maxTime(Duration.ofMillis(700)).run();
      JsonNode echo = awaitLine(log, "/echo/");
      assertThat(echo.path("status").asInt()).isEqualTo(200);
      assertThat(echo.path("protocol").asText()).isEqualTo("HTTP/2.0");
      assertThat(echo.path("tls").asText()).startsWith("TLSv1.");
      assertThat(echo.path("referer").asText()).isEqualTo("https://localhost/\"quoted\"");
      assertThat(echo.path("host").asText()).isEqualTo("localhost");
      assertThat(awaitLine(log, "/slow/?seconds=3").path("status").asInt()).as("the client gave up").isEqualTo(499);

      Path rotated = Files.move(log, tmp.resolve("access.log.1"));
      serve.process().signal("USR1");
      awaitReopen(serve, 1);
      Curl.to("https://localhost:" + https + "/echo/?after=usr1").cacert(tmp.resolve("state/localca/root.pem")).run();
      assertThat(awaitLine(log, "/echo/?after=usr1").path("status").asInt()).isEqualTo(200);
      assertThat(Files.readString(rotated)).doesNotContain("after=usr1");

      Files.move(log, tmp.resolve("access.log.2"));
      serve.reload();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!serve.log().contains("reloaded:")) {
        assertThat(System.nanoTime()).as(serve.log()).isLessThan(deadline);
        Thread.sleep(100);
      }
      Curl.to("https://localhost:" + https + "/echo/?after=hup").cacert(tmp.resolve("state/localca/root.pem")).run();
      assertThat(awaitLine(log, "/echo/?after=hup").path("status").asInt()).isEqualTo(200);
    }
  }

  private static void awaitReopen(GatehouseProcess serve, int times) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (serve.log().split("access log reopened", -1).length - 1 < times) {
      assertThat(System.nanoTime()).as(serve.log()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The JSON line of the request for {@code uri}, once the writer thread has written it. */
  private static JsonNode awaitLine(Path log, String uri) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          JsonNode node = JSON.readTree(line);
          if (node.path("uri").asText().equals(uri)) {
            return node;
          }
        }
      }
      assertThat(System.nanoTime()).as("no access log line for " + uri).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
