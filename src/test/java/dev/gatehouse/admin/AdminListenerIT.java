package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.TestDirs;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admin listener of a real {@code serve}: a Pebble certificate, Django under Gunicorn, scraped with curl
 * and checked with promtool; the status page in headless Chromium; {@code gatehouse status}. One serve for
 * the class; the test that stops Pebble runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminListenerIT {

  private static final String NAME = "app.test";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path tmp;
  private static Pebble pebble;
  private static DjangoApp app;
  private static GatehouseProcess serve;
  private static int https;
  private static int admin;

  @BeforeAll
  static void start() throws Exception {
    tmp = TestDirs.newInstanceDir("admin-it");
    int http = FreePorts.next();
    https = FreePorts.next();
    admin = FreePorts.next();
    pebble = Pebble.start(http, https);
    app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of());
    List<String> args =
        new ArrayList<>(
            List.of("serve", NAME, "--upstream", app.upstreamArg(), "--http-port", "" + http, "--https-port",
                "" + https, "--bind", "127.0.0.1", "--access-log", "off", "--admin", "" + admin, "--tls-handshake-timeout", "1s"));
    args.addAll(acmeFlags());
    serve = GatehouseProcess.start(args, http, https, admin);
    awaitStatus(s -> !s.path("certificates").get(0).path("not_after").isNull(), "a Pebble certificate");
  }

  private static List<String> acmeFlags() {
    return List.of("--ca", pebble.directoryUrl(), "--acme-trust", pebble.trustPem().toString(),
        "--state-dir", tmp.resolve("state").toString());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {serve, app, pebble}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    TestDirs.deleteUnlessKept(tmp);
  }

  @Test
  @Order(1)
  void metricsPassPromtoolAndCountRequestsOverHttp11AndHttp2() throws Exception {
    String before = scrape();
    for (int i = 0; i < 3; i++) {
      assertThat(site("/echo/").http11().run().status()).isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(site("/echo/").http2().run().status()).isEqualTo(200);
    }
    assertThat(site("/no-such-page/").http2().run().status()).isEqualTo(404);
    String after = scrape();

    assertThat(delta(before, after, "gatehouse_http_requests_total{code=\"2xx\",protocol=\"http/1.1\",site=\"app.test\"}"))
        .isEqualTo(3);
    assertThat(delta(before, after, "gatehouse_http_requests_total{code=\"2xx\",protocol=\"h2\",site=\"app.test\"}"))
        .isEqualTo(2);
    assertThat(delta(before, after, "gatehouse_http_requests_total{code=\"4xx\",protocol=\"h2\",site=\"app.test\"}"))
        .isEqualTo(1);
    assertThat(delta(before, after, "gatehouse_http_request_duration_seconds_count{protocol=\"h2\",site=\"app.test\"}"))
        .isEqualTo(3);
    assertThat(delta(before, after, "gatehouse_http_response_body_bytes_total{protocol=\"http/1.1\",site=\"app.test\"}"))
        .isGreaterThan(0);
    assertThat(after)
        .contains("gatehouse_build_info{")
        .contains("jvm_memory_used_bytes{")
        .contains("gatehouse_hsts_max_age_seconds{host=\"app.test\"} 300")
        .containsPattern("gatehouse_certificate_expiry_timestamp_seconds\\{name=\"app.test\"} \\d");

    Path scrape = Files.writeString(tmp.resolve("scrape.txt"), after);
    ManagedProcess.Result promtool =
        ManagedProcess.run(List.of("sh", "-c", "promtool check metrics < " + scrape), Map.of(), tmp, WAIT);
    assertThat(promtool.exitCode()).as(promtool.output()).isZero();
    assertThat(promtool.output()).as("promtool's findings").isBlank();
  }

  @Test
  @Order(2)
  void metricsOnTheHttpsPortIsAnOrdinaryRequestToTheApp() {
    CurlResult page = site("/metrics").run();
    assertThat(page.status()).as("Django has no /metrics: its 404").isEqualTo(404);
    assertThat(page.bodyText()).doesNotContain("gatehouse_");
    assertThat(app.log()).contains("/metrics");
  }

  @Test
  @Order(3)
  void readyzTurnsUnreadyWhileTheUpstreamIsDownAndReadyWhenItIsBack() throws Exception {
    assertThat(adminGet("/healthz").status()).isEqualTo(200);
    assertThat(adminGet("/readyz").status()).isEqualTo(200);
    app.stop();
    try {
      CurlResult down = adminGet("/readyz");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.bodyText()).contains("upstream " + app.upstreamArg());
      assertThat(adminGet("/healthz").status()).as("the process still serves").isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        assertThat(site("/echo/").run().status()).isEqualTo(502);
      }
      assertThat(scrape()).containsPattern("gatehouse_upstream_errors_total\\{code=\"502\",site=\"app.test\"} [3-9]");
    } finally {
      app.start();
    }
    assertThat(adminGet("/readyz").status()).isEqualTo(200);
    assertThat(site("/echo/").run().status()).isEqualTo(200);
    awaitLog("answers again after");
    assertThat(serve.log().lines().filter(l -> l.contains("upstream of app.test failing: 502"))).hasSize(1);
    assertThat(serve.log()).contains("upstream of app.test answers again after 3 failed request(s)");
  }

  @Test
  @Order(4)
  void statusPageRendersInHeadlessChromiumWithEveryCertificateAndNoConsoleErrors() throws Exception {
    Path profile = Files.createDirectories(tmp.resolve("chromium-profile"));
    Path screenshot = tmp.resolve("status.png");
    List<String> chromium =
        List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
            "--enable-logging=stderr", "--v=0", "--window-size=1280,900", "--screenshot=" + screenshot,
            "http://127.0.0.1:" + admin + "/status");
    ManagedProcess.Result shot = ManagedProcess.run(chromium, Map.of(), tmp, WAIT);
    assertThat(shot.exitCode()).as(shot.output()).isZero();
    assertThat(Files.size(screenshot)).as("a PNG screenshot").isGreaterThan(1000);
    assertThat(shot.output()).as("console messages").doesNotContain("CONSOLE").doesNotContain("Uncaught");

    List<String> dumpDom = new ArrayList<>(chromium.subList(0, chromium.size() - 2));
    dumpDom.addAll(List.of("--dump-dom", "http://127.0.0.1:" + admin + "/status"));
    ManagedProcess.Result dom = ManagedProcess.run(dumpDom, Map.of(), tmp, WAIT);
    assertThat(dom.output()).contains("<h1>Gatehouse status</h1>");
    JsonNode status = statusJson();
    for (JsonNode certificate : status.path("certificates")) {
      assertThat(dom.output()).contains(certificate.path("names").get(0).asText())
          .contains(certificate.path("not_after").asText());
    }
  }

  @Test
  @Order(5)
  void gatehouseStatusExitsZeroWhileAllIsWell() {
    ManagedProcess.Result status = GatehouseProcess.run(tmp, WAIT, "status", "--admin", "" + admin);
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output()).contains("ready").contains(NAME).contains("days left").contains("answers");
  }

  @Test
  @Order(6)
  void tlsHandshakesAreCountedByVersionAndFailuresByReason() throws Exception {
    String before = scrape();
    assertThat(site("/echo/").args("--tlsv1.3").run().status()).isEqualTo(200);
    assertThat(Curl.to("https://unknown.test:" + https + "/").resolve("unknown.test", https).run().transferred())
        .isFalse();
    assertThat(site("/echo/").tls11().run().transferred()).isFalse();
    try (Socket silent = new Socket("127.0.0.1", https)) {
      silent.setSoTimeout((int) WAIT.toMillis());
      assertThat(silent.getInputStream().read()).as("closed after --tls-handshake-timeout 1s").isEqualTo(-1);
    }
    String after = scrape();
    assertThat(delta(before, after, "gatehouse_tls_handshakes_total{version=\"TLSv1.3\"}")).isGreaterThanOrEqualTo(1);
    for (String reason : List.of("unknown_name", "protocol_version", "timeout")) {
      assertThat(delta(before, after, "gatehouse_tls_handshake_failures_total{reason=\"" + reason + "\"}"))
          .as(reason).isEqualTo(1);
    }
  }

  @Test
  @Order(7)
  void openConnectionsAreCountedByProtocolUntilTheyClose() throws Exception {
    String series = "gatehouse_open_connections{protocol=\"h2\"}";
    double before = value(scrape(), series);
    ManagedProcess held =
        ManagedProcess.start("openssl s_client",
            List.of("openssl", "s_client", "-connect", "127.0.0.1:" + https, "-servername", NAME, "-alpn", "h2"),
            Map.of(), tmp, tmp.resolve("s_client.log"));
    try {
      awaitScrape(series, before + 1);
    } finally {
      held.stop();
    }
    awaitScrape(series, before);
  }

  @Test
  @Order(8)
  void aFailedRenewalRaisesTheMetricShowsItsFixAndMakesStatusExit1() throws Exception {
    pebble.stop();
    List<String> renew = new ArrayList<>(List.of("certs", "renew", "--force"));
    renew.addAll(acmeFlags());
    ManagedProcess asking =
        ManagedProcess.start("certs renew", GatehouseProcess.command(renew), Map.of(), tmp, tmp.resolve("renew.log"));
    try {
      awaitStatus(s -> !s.path("certificates").get(0).path("last_error").isNull(), "the failed renewal");
    } finally {
      asking.stop();
    }
    assertThat(scrape())
        .containsPattern("gatehouse_certificate_renewal_failures_total\\{name=\"app.test\",reason=\"ca_unreachable\"} [1-9]")
        .contains("gatehouse_certificate_renewal_failing{name=\"app.test\"} 1");
    CurlResult page = adminGet("/status");
    assertThat(page.bodyText()).contains("Fix: ").contains("cannot reach the ACME CA");

    ManagedProcess.Result status = GatehouseProcess.run(tmp, WAIT, "status", "--admin", "" + admin);
    assertThat(status.exitCode()).as(status.output()).isEqualTo(1);
    assertThat(status.output()).contains("NEEDS ATTENTION: the last renewal failed");
  }

  private static Curl site(String path) {
    return Curl.to("https://" + NAME + ":" + https + path).resolve(NAME, https).cacert(pebble.issuingRootPem());
  }

  private static CurlResult adminGet(String path) {
    return Curl.to("http://127.0.0.1:" + admin + path).run();
  }

  private static String scrape() {
    CurlResult metrics = adminGet("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    return metrics.bodyText();
  }

  private static JsonNode statusJson() throws Exception {
    return JSON.readTree(adminGet("/status.json").bodyText());
  }

  private static void awaitStatus(java.util.function.Predicate<JsonNode> condition, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.test(statusJson())) {
      assertThat(System.nanoTime()).as("waiting for " + what + "; log:\n" + serve.log()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static void awaitLog(String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!serve.log().contains(text)) {
      assertThat(System.nanoTime()).as("waiting for '" + text + "' in the log:\n" + serve.log()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static void awaitScrape(String series, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (value(scrape(), series) != expected) {
      assertThat(System.nanoTime()).as("waiting for " + series + " " + expected + ":\n" + scrape()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** How much a sample grew between two scrapes. */
  private static double delta(String before, String after, String series) {
    return value(after, series) - value(before, series);
  }

  /** A sample's value in a scrape; 0 when the series is absent. */
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
