package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.AccessLog;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The server's lifecycle as the CLI drives it: bind errors, reload, drain on shutdown, the access log. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatehouseServerIT {

  private Path dir;
  private DjangoApp app;
  private Path caPem;
  private final CertificateCache certificates = new CertificateCache();

  @BeforeAll
  void start(@TempDir Path work) {
    dir = work;
    app = DjangoApp.uvicornTcp(DjangoVersion.VENV_52, Map.of());
    TestCert ca = TestCerts.ca("Gatehouse IT Root");
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    certificates.put(List.of("app.test"), TestConfigs.key(TestCerts.forNames("app.test").signedBy(ca).issue()));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  private ServeConfig config(int http, int https, Optional<Upstream> upstream, AccessLog accessLog) {
    List<SiteConfig> sites = List.of(TestConfigs.site(List.of("app.test"), upstream, List.of()));
    return new ServeConfig(
        sites, "127.0.0.1", http, https, dir.resolve("state"), HstsPolicy.DEFAULT, 0, Limits.DEFAULTS, List.of(),
        accessLog, AcmeSettings.DEFAULT);
  }

  private Optional<Upstream> django() {
    return Optional.of(new Upstream.Tcp("127.0.0.1", app.port()));
  }

  private Curl to(GatehouseServer server, String path) {
    return Curl.to("https://app.test:" + server.httpsPort() + path).cacert(caPem);
  }

  @Test
  void portInUseIsOneLineNamingAddressPortAndFlag() throws Exception {
    int https = FreePorts.next();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int busy = taken.getLocalPort();

      assertThatThrownBy(() -> GatehouseServer.start(config(busy, https, django(), new AccessLog.Off()), certificates, new ChallengeResponses()))
          .isInstanceOf(ListenerBindException.class)
          .hasMessage("cannot listen on 127.0.0.1:" + busy + " (--http-port): port " + busy
              + " in use: stop the other server or choose another port with --http-port");
    }
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), https));
      assertThat(again.isBound()).as("the HTTPS listener opened before the failure was closed").isTrue();
    }
  }

  @Test
  void reloadSwapsTheConfigurationOnTheSameListeners() throws Exception {
    try (GatehouseServer server =
        GatehouseServer.start(config(0, 0, django(), new AccessLog.Off()), certificates, new ChallengeResponses())) {
      assertThat(to(server, "/echo/").run().status()).isEqualTo(200);

      server.reload(config(0, 0, Optional.empty(), new AccessLog.Off()));

      CurlResult welcome = to(server, "/echo/").run();
      assertThat(welcome.status()).isEqualTo(200);
      assertThat(welcome.bodyText()).contains("Gatehouse is running");
    }
  }

  @Test
  void closeLetsInFlightRequestsFinishThenRefusesConnections() throws Exception {
    GatehouseServer server =
        GatehouseServer.start(config(0, 0, django(), new AccessLog.Off()), certificates, new ChallengeResponses());
    CompletableFuture<CurlResult> slow = CompletableFuture.supplyAsync(() -> to(server, "/slow/?seconds=1").run());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.inFlight() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.inFlight()).isEqualTo(1);

    server.close(Duration.ofSeconds(20));

    CurlResult finished = slow.get();
    assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
    assertThat(finished.bodyText()).contains("\"slept\": 1.0");
    assertThat(to(server, "/echo/").run().exitCode()).as("connection refused").isEqualTo(7);
  }

  @Test
  void accessLogHasOneLinePerRequestWithHostStatusBytesAndDuration() throws Exception {
    Path log = dir.resolve("access.log");
    int http = FreePorts.next();
    try (GatehouseServer server =
        GatehouseServer.start(config(http, 0, django(), new AccessLog.ToFile(log)), certificates, new ChallengeResponses())) {
      to(server, "/echo/?x=1").http2().run();
      Curl.to("http://app.test:" + http + "/elsewhere").run();
    }

    // One line each; the order is the order requests finished, which the two listeners do not promise.
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(2);
    assertThat(lines).anySatisfy(line -> assertThat(line)
        .matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] "
            + "\"GET /echo/\\?x=1 HTTP/2\\.0\" 200 \\d+ \"app\\.test\" \\d+ms"));
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"GET /elsewhere HTTP/1.1\" 301 0 \"app.test\""));
  }
}
