package dev.gatehouse.nginx;

import static dev.gatehouse.nginx.PlainHttpSite.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.generate.Site;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.Pems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NginxSetup} and {@link NginxRollback} against a {@link PlainHttpSite}. Certificates come from
 * {@link WebrootTestCa}, which validates through nginx's webroot like an ACME CA.
 */
class NginxSetupIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  private PlainHttpSite site;
  private Path cronDir;
  private WebrootTestCa ca;
  private Path caPem;
  private final StringWriter output = new StringWriter();

  @BeforeEach
  void plainHttpSite() throws Exception {
    site = PlainHttpSite.start(work);
    cronDir = Files.createDirectories(work.resolve("cron.d"));
    ca = new WebrootTestCa(work.resolve("state/live"), site.httpPort);
    caPem = ca.writeRoot(work.resolve("ca.pem"));
    assertThat(site.plainEcho().status()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    if (site != null) {
      site.close();
    }
  }

  @Test
  void setupTurnsThePlainHttpSiteIntoAVerifiedHttpsOneAndRollbackUndoesIt() throws Exception {
    Map<String, String> before = site.snapshot();

    NginxSetup.Result result = setup().run();
    assertThatCode(() -> SetupLock.acquire(work.resolve("state")).close()).as("setup released its lock")
        .doesNotThrowAnyException();

    String origin = site.origin();
    CurlResult redirect = site.plainEcho();
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Location")).isEqualTo(origin + "/echo/");
    CurlResult echo = Curl.to(origin + "/echo/").cacert(caPem).http2().run();
    assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
    assertThat(JSON.readTree(echo.body()).get("is_secure").asBoolean()).isTrue();
    assertThat(JSON.readTree(echo.body()).get("absolute_uri").asText()).isEqualTo(origin + "/echo/");
    assertThat(Pems.presentedSerial(site.httpsPort, "www.app.test")).isEqualTo(ca.lastIssued().serial());
    assertThat(Curl.to(origin + "/static/css/site.css").cacert(caPem).run().bodyText()).isEqualTo("body { color: teal; }\n");
    assertThat(Files.exists(site.sitesDir.resolve("app.test"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(cronDir.resolve("gatehouse-renew")))
        .contains("certs renew --state-dir " + work.resolve("state"))
        .contains("--deploy-hook \"/usr/sbin/nginx -c " + site.confDir().resolve("nginx.conf") + " -s reload\"");
    assertThat(output.toString())
        .contains("[ 1/13] preflight", "[12/13] audit the live site", "[13/13] install renewal", "done: " + origin + "/", "SECURE_PROXY_SSL_HEADER")
        .doesNotContain("FAILED");
    assertThat(result.warnings())
        .as("the test CA's root is private: only the audit's chain check can warn")
        .allSatisfy(w -> assertThat(w).startsWith("certificate-chain: "));
    assertThat(result.point().state()).isEqualTo(RollbackPoint.APPLIED);

    RollbackPoints points = new RollbackPoints(work.resolve("state"), Clock.systemUTC());
    RollbackPoint point = points.latestApplied().orElseThrow();
    NginxRollback.Outcome outcome = new NginxRollback(new NginxBinary(site.paths())).restore(point);

    assertThat(outcome.configValid()).isTrue();
    assertThat(outcome.reloaded()).isTrue();
    assertThat(site.snapshot()).isEqualTo(before);
    assertThat(cronDir.resolve("gatehouse-renew")).doesNotExist();
    assertThat(eventually(() -> site.plainEcho().status() == 200)).as("plain HTTP site back").isTrue();
    assertThat(eventually(() -> !Curl.to(origin + "/echo/").cacert(caPem).run().transferred()))
        .as("nothing on the HTTPS port any more").isTrue();
    assertThat(points.find(point.id()).orElseThrow().state()).isEqualTo(RollbackPoint.RESTORED);
  }

  @Test
  void failingSecondNginxTestRestoresThePreviousConfigurationByteForByte() throws Exception {
    // Valid while only port 80 is in use. Once the HTTPS site adds `ssl` to this address, the planted
    // server, the address's default (first), has no certificate and `nginx -t` fails.
    site.writeSite("00-planted.conf",
        "server { listen 127.0.0.1:" + site.httpsPort + "; server_name planted.test; return 200 planted; }\n");
    site.nginx.reload(site.httpBlock());
    Map<String, String> before = site.snapshot();

    assertThatThrownBy(() -> setup().run())
        .isInstanceOfSatisfying(SetupException.class, e -> {
          assertThat(e.step()).isEqualTo("nginx -t");
          assertThat(e.reason()).contains("no \"ssl_certificate\" is defined", "00-planted.conf");
          assertThat(e.restored()).contains("nginx -t ok, reloaded");
        });

    assertThat(site.snapshot()).isEqualTo(before);
    assertThat(eventually(() -> site.plainEcho().status() == 200)).as("the plain HTTP site still serves").isTrue();
    assertThat(site.plainEcho().header("Location")).isNull();
    assertThat(output.toString()).contains("[ 9/13] nginx -t", "FAILED", "restored rollback point");
    assertThat(new RollbackPoints(work.resolve("state"), Clock.systemUTC()).list())
        .singleElement().extracting(RollbackPoint::state).isEqualTo(RollbackPoint.RESTORED);
  }

  @Test
  void caRefusalRestoresThePlainSite() throws Exception {
    Map<String, String> before = site.snapshot();
    ca.refuseWith("app.test: CAA record forbids this CA");

    assertThatThrownBy(() -> setup().run())
        .isInstanceOfSatisfying(SetupException.class, e -> {
          assertThat(e.step()).startsWith("obtain the certificate");
          assertThat(e.reason()).isEqualTo("app.test: CAA record forbids this CA");
        });

    assertThat(site.snapshot()).isEqualTo(before);
    assertThat(eventually(() -> site.plainEcho().status() == 200)).isTrue();
    assertThatCode(() -> SetupLock.acquire(work.resolve("state")).close()).as("released after the restore")
        .doesNotThrowAnyException();
  }

  @Test
  void preflightRefusesBeforeChangingAnything() throws Exception {
    Map<String, String> before = site.snapshot();

    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), site.httpsPort));
      assertThatThrownBy(() -> setup().run()).isInstanceOfSatisfying(SetupException.class, e ->
          assertThat(e.reason())
              .isEqualTo("port " + site.httpsPort + " is in use by java: stop it, or choose another --https-port"));
    }

    Files.writeString(site.available.resolve("shared"), "server { listen 127.0.0.1:" + site.httpPort
        + "; server_name www.app.test blog.test; return 200; }\n");
    Files.createSymbolicLink(site.sitesDir.resolve("shared"), Path.of("../sites-available/shared"));
    site.nginx.reload(site.httpBlock());
    assertThatThrownBy(() -> setup().run()).isInstanceOfSatisfying(SetupException.class, e ->
        assertThat(e.reason()).startsWith(site.sitesDir.resolve("shared") + " serves blog.test too"));
    Files.delete(site.sitesDir.resolve("shared"));
    Files.delete(site.available.resolve("shared"));
    site.nginx.reload(site.httpBlock());

    site.app.stop();
    assertThatThrownBy(() -> setup().run()).isInstanceOfSatisfying(SetupException.class, e ->
        assertThat(e.reason()).startsWith("the app server at " + site.app.upstreamArg() + " does not answer"));

    assertThat(site.snapshot()).isEqualTo(before);
    assertThat(new RollbackPoints(work.resolve("state"), Clock.systemUTC()).list()).isEmpty();
    assertThat(output.toString()).contains("[ 1/13] preflight").doesNotContain("[ 2/13]");
  }

  @Test
  void aSecondSetupWhileOneRunsIsRefusedAtOnceAndChangesNothing() throws Exception {
    Map<String, String> before = site.snapshot();
    Path lockFile = work.resolve("state").resolve(SetupLock.FILE_NAME);

    ForeignLockHolder running = ForeignLockHolder.lock(lockFile);
    try {
      assertThatThrownBy(() -> setup().run()).isInstanceOfSatisfying(SetupException.class, e -> {
        assertThat(e.getMessage()).isEqualTo("step 'preflight' failed: another `gatehouse nginx setup` is running: "
            + "it holds the lock on " + lockFile + "; wait for it to finish");
        assertThat(e.restored()).isEmpty();
      });
    } finally {
      running.close();
    }

    assertThat(site.snapshot()).isEqualTo(before);
    assertThat(new RollbackPoints(work.resolve("state"), Clock.systemUTC()).list()).isEmpty();
    assertThat(output.toString()).as("refused before the first step").doesNotContain("[ 1/13]");
    assertThat(site.plainEcho().status()).isEqualTo(200);
  }

  private NginxSetup setup() throws Exception {
    Site s = new Site(PlainHttpSite.NAMES, Upstream.parse("--upstream", site.app.upstreamArg()),
        List.of(StaticMount.parse("--static", "/static/=" + site.staticDir)),
        work.resolve("webroot"), Site.DEFAULT_CERT_DIR, 1 << 20, HstsPolicy.DEFAULT,
        Optional.of("127.0.0.1"), site.httpPort, site.httpsPort).validated();
    SetupRequest request = new SetupRequest(s, site.paths(), work.resolve("state"), Optional.empty(), false, "127.0.0.1",
        new RenewalInstaller.Settings(RenewalInstaller.Mode.CRON, Path.of("/usr/local/bin/gatehouse"),
            work.resolve("state"), work.resolve("systemd"), cronDir));
    return new NginxSetup(request, ca, new PrintWriter(output, true), false, Clock.systemUTC());
  }
}
