package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestCerts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse serve} as a user runs it: the shaded jar, real signals, real clients. */
class ServeCommandIT {

  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  /** A socket in {@code ss -Htin} output: its Recv-Q (the first column) and, on its info line, bytes_received. */
  private static final Pattern SOCKET_QUEUE_AND_RECEIVED =
      Pattern.compile("(?m)^(\\d+)\\s+\\d+\\s+\\S+\\s+\\S+\\s*\\n[^\\n]*?bytes_received:(\\d+)");

  @TempDir Path tmp;

  private List<String> serve(int http, int https, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("serve", "--http-port", "" + http, "--https-port", "" + https, "--bind", "127.0.0.1",
                "--state-dir", tmp.resolve("state").toString(), "--access-log", "off"));
    args.addAll(Arrays.asList(more));
    return args;
  }

  private Path localRoot() {
    return tmp.resolve("state/localca/root.pem");
  }

  @Test
  void quickStartServesLocalhostFromTheLocalCaAndRedirectsHttp() {
    int http = FreePorts.next();
    int https = FreePorts.next();
    try (GatehouseProcess gatehouse = GatehouseProcess.start(serve(http, https, "localhost"), http, https)) {
      CurlResult page = Curl.to("https://localhost:" + https + "/").cacert(localRoot()).run();
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.bodyText()).contains("Gatehouse is running").contains("--upstream");

      CurlResult redirect = Curl.to("http://localhost:" + http + "/admin/?next=/x%2Fy").run();
      assertThat(redirect.status()).isEqualTo(301);
      assertThat(redirect.header("Location")).isEqualTo("https://localhost:" + https + "/admin/?next=/x%2Fy");

      ManagedProcess.Result ca =
          GatehouseProcess.run(tmp, RUN_TIMEOUT, "ca", "root", "--state-dir", tmp.resolve("state").toString());
      assertThat(ca.output().lines().findFirst()).contains(localRoot().toString());
      assertThat(gatehouse.log()).contains("certificate for localhost issued").doesNotContain("SEVERE");
    }
  }

  @Test
  void startupErrorsAreOneLineNamingTheFlagWithExitStatus2() throws Exception {
    int http = FreePorts.next();
    int https = FreePorts.next();
    var cert = TestCerts.forNames("app.example").issue().writeTo(tmp, "app");
    var other = TestCerts.forNames("app.example").issue().writeTo(tmp, "other");
    assertUsageError(serve(http, https, "localhost", "--upstream", "gunicorn.sock"), "--upstream: 'gunicorn.sock'");
    assertUsageError(
        serve(http, https, "localhost", "--static", "/static/=" + tmp.resolve("missing")), "--static: directory");
    assertUsageError(serve(http, https, "localhost", "--hsts", "forever"), "--hsts: 'forever'");
    assertUsageError(serve(http, https, "localhost", "--no-such-flag"), "--no-such-flag");
    assertUsageError(
        serve(http, https, "app.example", "--tls-cert", cert.cert().toString(), "--tls-key", other.key().toString()),
        "does not match");
    try (ServerSocket taken = new ServerSocket(https, 1, InetAddress.getLoopbackAddress())) {
      assertUsageError(serve(http, taken.getLocalPort(), "localhost"), "--https-port");
    }
  }

  private void assertUsageError(List<String> args, String expected) {
    ManagedProcess.Result result = GatehouseProcess.run(tmp, Map.of(), RUN_TIMEOUT, args);
    assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
    List<String> lines = result.output().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(result.output()).anySatisfy(l -> assertThat(l).contains(expected));
    assertThat(lines.stream().filter(l -> l.contains(expected)).findFirst().orElseThrow()).startsWith("gatehouse serve: ");
    assertThat(result.output()).doesNotContain("\tat ");
  }

  @Test
  void sighupWithABrokenConfigKeepsServingAndAGoodOneTakesEffect() throws Exception {
    int http = FreePorts.next();
    int https = FreePorts.next();
    Path statics = Files.createDirectories(tmp.resolve("static"));
    Files.writeString(statics.resolve("app.css"), "body{}");
    Path config = tmp.resolve("gatehouse.toml");
    Files.writeString(config, "[[site]]\nnames = [\"localhost\"]\n");
    try (GatehouseProcess gatehouse = GatehouseProcess.start(serve(http, https, "--config", config.toString()), http, https)) {
      assertThat(Curl.to("https://localhost:" + https + "/static/app.css").cacert(localRoot()).run().bodyText())
          .doesNotContain("body{}");
      Files.writeString(config, "[[site]]\nnames = [\"localhost\"]\nupstreams = 1\n");
      gatehouse.reload();
      awaitLog(gatehouse, "reload refused");
      assertThat(gatehouse.log()).contains("unknown key 'upstreams'");
      assertThat(Curl.to("https://localhost:" + https + "/").cacert(localRoot()).run().status()).isEqualTo(200);

      Files.writeString(config, "[[site]]\nnames = [\"localhost\"]\nstatic = [\"/static/=static\"]\n");
      gatehouse.reload();
      awaitLog(gatehouse, "reloaded");
      CurlResult css = Curl.to("https://localhost:" + https + "/static/app.css").cacert(localRoot()).run();
      assertThat(css.status()).isEqualTo(200);
      assertThat(css.bodyText()).isEqualTo("body{}");
      assertThat(css.header("Content-Type")).startsWith("text/css");
    }
  }

  @Test
  void sigtermLetsTheRequestInFlightFinish() throws Exception {
    int http = FreePorts.next();
    int https = FreePorts.next();
    try (DjangoApp app = DjangoApp.uvicornTcp(DjangoVersion.VENV_52, Map.of());
        GatehouseProcess gatehouse =
            GatehouseProcess.start(serve(http, https, "localhost", "--upstream", app.upstreamArg()), http, https)) {
      CompletableFuture<CurlResult> slow =
          CompletableFuture.supplyAsync(
              () -> Curl.to("https://localhost:" + https + "/slow/?seconds=2").cacert(localRoot()).run());
      awaitUpstreamConnection(app.port());
      gatehouse.process().signal("TERM");
      CurlResult result = slow.get();
      assertThat(result.status()).as(gatehouse.log()).isEqualTo(200);
      assertThat(gatehouse.process().waitForExit(Duration.ofSeconds(30))).isTrue();
      assertThat(gatehouse.process().exitCode()).isZero();
    }
  }

  @Test
  void sigtermLetsUploadsBeingBufferedFinishOverHttp1AndHttp2() throws Exception {
    int http = FreePorts.next();
    int https = FreePorts.next();
    // 192 KiB at 64 KiB/s: about 3 s of upload, longer than the keep-alive timeout.
    byte[] body = new byte[192 << 10];
    try (DjangoApp app = DjangoApp.uvicornTcp(DjangoVersion.VENV_52, Map.of());
        GatehouseProcess gatehouse = GatehouseProcess.start(
            serve(http, https, "localhost", "--upstream", app.upstreamArg(), "--keep-alive-timeout", "2s"),
            http, https)) {
      List<CompletableFuture<CurlResult>> uploads = List.of(
          CompletableFuture.supplyAsync(() -> upload(https, body).http11().run()),
          CompletableFuture.supplyAsync(() -> upload(https, body).http2().run()));
      awaitClientsSending(https, uploads.size(), 32 << 10);
      gatehouse.process().signal("TERM");
      for (CompletableFuture<CurlResult> upload : uploads) {
        CurlResult result = upload.get();
        assertThat(result.status()).as(result + "\n" + gatehouse.log()).isEqualTo(200);
        assertThat(result.bodyText()).contains("\"size\": " + body.length);
      }
      assertThat(gatehouse.process().waitForExit(Duration.ofSeconds(30))).isTrue();
      assertThat(gatehouse.process().exitCode()).isZero();
    }
  }

  private Curl upload(int https, byte[] body) {
    return Curl.to("https://localhost:" + https + "/upload/").cacert(localRoot())
        .header("Content-Type", "application/octet-stream").data(body).args("--limit-rate", "64k");
  }

  /**
   * Until {@code clients} connections to the proxy have each brought it {@code bytes} (TLS handshake, request
   * head, the start of the body) and the proxy has read them all (nothing waits in the socket's receive queue):
   * their uploads are being buffered. Bytes the kernel holds unread would be a request the proxy has not seen,
   * on a connection a drain rightly closes as idle.
   */
  private static void awaitClientsSending(int port, int clients, long bytes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      ManagedProcess.Result ss =
          ManagedProcess.run(List.of("ss", "-Htin", "state", "established", "sport", "= :" + port), Map.of(),
              Path.of("."), Duration.ofSeconds(10));
      long sending = SOCKET_QUEUE_AND_RECEIVED.matcher(ss.output()).results()
          .filter(m -> m.group(1).equals("0") && Long.parseLong(m.group(2)) >= bytes).count();
      if (sending >= clients) {
        return;
      }
      assertThat(System.nanoTime()).as("uploads never reached port " + port + ": " + ss.output()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Until the proxy holds a connection to the app: the slow request is in flight. */
  private static void awaitUpstreamConnection(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      ManagedProcess.Result ss =
          ManagedProcess.run(List.of("ss", "-Htn", "state", "established", "dport", "= :" + port), Map.of(),
              Path.of("."), Duration.ofSeconds(10));
      if (!ss.output().isBlank()) {
        return;
      }
      assertThat(System.nanoTime()).as("no connection to the app on port " + port).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void awaitLog(GatehouseProcess gatehouse, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!gatehouse.log().contains(text)) {
      assertThat(System.nanoTime()).as("log never said '" + text + "':\n" + gatehouse.log()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
