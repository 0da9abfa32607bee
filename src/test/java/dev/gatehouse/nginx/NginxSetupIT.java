package dev.gatehouse.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.generate.Site;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Nginx;
import dev.gatehouse.testing.Pems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
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
 * {@code nginx setup} and {@code nginx rollback} against a real nginx (own prefix, loopback high ports) that
 * serves the Django test site over plain HTTP, Debian style: the site in {@code sites-available/}, a link
 * to it in {@code sites-enabled/}. Certificates come from {@link WebrootTestCa}, which validates through
 * nginx's webroot like an ACME CA.
 */
class NginxSetupIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NAMES = List.of("app.test", "www.app.test");

  @TempDir Path work;
  private DjangoApp app;
  private Nginx nginx;
  private int httpPort;
  private int httpsPort;
  private Path sitesDir;
  private Path available;
  private Path cronDir;
  private Path staticDir;
  private WebrootTestCa ca;
  private Path caPem;
  private final StringWriter output = new StringWriter();

  @BeforeEach
  void plainHttpSite() throws Exception {
    httpPort = FreePorts.next();
    httpsPort = FreePorts.next();
    app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of("DJANGO_ALLOWED_HOSTS", String.join(",", NAMES)));
    nginx = Nginx.inNewPrefix();
    sitesDir = Files.createDirectories(nginx.prefix().resolve("sites-enabled"));
    available = Files.createDirectories(nginx.prefix().resolve("sites-available"));
    cronDir = Files.createDirectories(work.resolve("cron.d"));
    staticDir = Files.createDirectories(work.resolve("staticfiles/css"));
    Files.writeString(staticDir.resolve("site.css"), "body { color: teal; }\n");
    Files.writeString(available.resolve("app.test"), "server {\n"
        + "    listen 127.0.0.1:" + httpPort + ";\n"
        + "    server_name app.test www.app.test;\n"
        + "    location / {\n"
        + "        proxy_pass http://" + app.upstreamArg() + ":;\n"
        + "        proxy_set_header Host $http_host;\n"
        + "    }\n"
        + "}\n");
    Files.createSymbolicLink(sitesDir.resolve("app.test"), Path.of("../sites-available/app.test"));
    nginx.startWithHttpBlock("include " + sitesDir + "/*;");
    ca = new WebrootTestCa(work.resolve("state/live"), httpPort);
    caPem = ca.writeRoot(work.resolve("ca.pem"));
    assertThat(plainEcho().status()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    if (nginx != null) {
      nginx.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void setupTurnsThePlainHttpSiteIntoAVerifiedHttpsOneAndRollbackUndoesIt() throws Exception {
    Map<String, String> before = FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available);

    NginxSetup.Result result = setup().run();

    String origin = "https://app.test:" + httpsPort;
    CurlResult redirect = plainEcho();
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Location")).isEqualTo(origin + "/echo/");
    CurlResult echo = Curl.to(origin + "/echo/").cacert(caPem).http2().run();
    assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
    assertThat(JSON.readTree(echo.body()).get("is_secure").asBoolean()).isTrue();
    assertThat(JSON.readTree(echo.body()).get("absolute_uri").asText()).isEqualTo(origin + "/echo/");
    assertThat(Pems.presentedSerial(httpsPort, "www.app.test")).isEqualTo(ca.lastIssued().serial());
    assertThat(Curl.to(origin + "/static/css/site.css").cacert(caPem).run().bodyText()).isEqualTo("body { color: teal; }\n");
    assertThat(Files.exists(sitesDir.resolve("app.test"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(cronDir.resolve("gatehouse-renew")))
        .contains("certs renew --state-dir " + work.resolve("state"))
        .contains("--deploy-hook \"/usr/sbin/nginx -c " + nginx.prefix().resolve("conf/nginx.conf") + " -s reload\"");
    assertThat(output.toString())
        .contains("[ 1/12] preflight", "[12/12] install renewal", "done: " + origin + "/", "SECURE_PROXY_SSL_HEADER")
        .doesNotContain("FAILED");
    assertThat(result.warnings()).isEmpty();
    assertThat(result.point().state()).isEqualTo(RollbackPoint.APPLIED);

    RollbackPoints points = new RollbackPoints(work.resolve("state"), Clock.systemUTC());
    RollbackPoint point = points.latestApplied().orElseThrow();
    NginxRollback.Outcome outcome = new NginxRollback(new NginxBinary(paths())).restore(point);

    assertThat(outcome.configValid()).isTrue();
    assertThat(outcome.reloaded()).isTrue();
    assertThat(FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available)).isEqualTo(before);
    assertThat(cronDir.resolve("gatehouse-renew")).doesNotExist();
    assertThat(eventually(() -> plainEcho().status() == 200)).as("plain HTTP site back").isTrue();
    assertThat(eventually(() -> !Curl.to(origin + "/echo/").cacert(caPem).run().transferred()))
        .as("nothing on the HTTPS port any more").isTrue();
    assertThat(points.find(point.id()).orElseThrow().state()).isEqualTo(RollbackPoint.RESTORED);
  }

  @Test
  void failingSecondNginxTestRestoresThePreviousConfigurationByteForByte() throws Exception {
    // Valid while only port 80 is in use. Once the HTTPS site adds `ssl` to this address, the planted
    // server, the address's default (first), has no certificate and `nginx -t` fails.
    Files.writeString(sitesDir.resolve("00-planted.conf"),
        "server { listen 127.0.0.1:" + httpsPort + "; server_name planted.test; return 200 planted; }\n");
    nginx.reload("include " + sitesDir + "/*;");
    Map<String, String> before = FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available);

    assertThatThrownBy(() -> setup().run())
        .isInstanceOfSatisfying(SetupException.class, e -> {
          assertThat(e.step()).isEqualTo("nginx -t");
          assertThat(e.reason()).contains("no \"ssl_certificate\" is defined", "00-planted.conf");
          assertThat(e.restored()).contains("nginx -t ok, reloaded");
        });

    assertThat(FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available)).isEqualTo(before);
    assertThat(eventually(() -> plainEcho().status() == 200)).as("the plain HTTP site still serves").isTrue();
    assertThat(plainEcho().header("Location")).isNull();
    assertThat(output.toString()).contains("[ 9/12] nginx -t", "FAILED", "restored rollback point");
    assertThat(new RollbackPoints(work.resolve("state"), Clock.systemUTC()).list())
        .singleElement().extracting(RollbackPoint::state).isEqualTo(RollbackPoint.RESTORED);
  }

  @Test
  void caRefusalRestoresThePlainSite() throws Exception {
    Map<String, String> before = FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available);
    ca.refuseWith("app.test: CAA record forbids this CA");

    assertThatThrownBy(() -> setup().run())
        .isInstanceOfSatisfying(SetupException.class, e -> {
          assertThat(e.step()).startsWith("obtain the certificate");
          assertThat(e.reason()).isEqualTo("app.test: CAA record forbids this CA");
        });

    assertThat(FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available)).isEqualTo(before);
    assertThat(eventually(() -> plainEcho().status() == 200)).isTrue();
  }

  @Test
  void preflightRefusesBeforeChangingAnything() throws Exception {
    Map<String, String> before = FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available);

    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort));
      assertThatThrownBy(() -> setup().run()).isInstanceOfSatisfying(SetupException.class, e ->
          assertThat(e.reason()).isEqualTo("port " + httpsPort + " is in use by java: stop it, or choose another --https-port"));
    }

    Files.writeString(available.resolve("shared"), "server { listen 127.0.0.1:" + httpPort
        + "; server_name www.app.test blog.test; return 200; }\n");
    Files.createSymbolicLink(sitesDir.resolve("shared"), Path.of("../sites-available/shared"));
    nginx.reload("include " + sitesDir + "/*;");
    assertThatThrownBy(() -> setup().run()).isInstanceOfSatisfying(SetupException.class, e ->
        assertThat(e.reason()).startsWith(sitesDir.resolve("shared") + " serves blog.test too"));
    Files.delete(sitesDir.resolve("shared"));
    Files.delete(available.resolve("shared"));
    nginx.reload("include " + sitesDir + "/*;");

    app.stop();
    assertThatThrownBy(() -> setup().run()).isInstanceOfSatisfying(SetupException.class, e ->
        assertThat(e.reason()).startsWith("the app server at " + app.upstreamArg() + " does not answer"));

    assertThat(FileSnapshot.of(nginx.prefix().resolve("conf"), sitesDir, available)).isEqualTo(before);
    assertThat(new RollbackPoints(work.resolve("state"), Clock.systemUTC()).list()).isEmpty();
    assertThat(output.toString()).contains("[ 1/12] preflight").doesNotContain("[ 2/12]");
  }

  private NginxSetup setup() throws Exception {
    Site site = new Site(NAMES, Upstream.parse("--upstream", app.upstreamArg()),
        List.of(StaticMount.parse("--static", "/static/=" + staticDir.getParent())),
        work.resolve("webroot"), Site.DEFAULT_CERT_DIR, 1 << 20, HstsPolicy.DEFAULT,
        Optional.of("127.0.0.1"), httpPort, httpsPort).validated();
    SetupRequest request = new SetupRequest(site, paths(), work.resolve("state"), Optional.empty(), false, "127.0.0.1",
        new RenewalInstaller.Settings(RenewalInstaller.Mode.CRON, Path.of("/usr/local/bin/gatehouse"),
            work.resolve("state"), work.resolve("systemd"), cronDir));
    return new NginxSetup(request, ca, new PrintWriter(output, true), false, Clock.systemUTC());
  }

  private NginxPaths paths() {
    return new NginxPaths(Path.of("/usr/sbin/nginx"), nginx.prefix().resolve("conf"), sitesDir);
  }

  private CurlResult plainEcho() {
    return Curl.to("http://app.test:" + httpPort + "/echo/").run();
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** nginx applies a reload asynchronously; wait for what a user would see a moment later. */
  private static boolean eventually(Condition condition) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.holds();
  }
}
