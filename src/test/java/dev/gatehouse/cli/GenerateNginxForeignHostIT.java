package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Nginx;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import dev.gatehouse.testing.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a site file from {@code generate nginx} never redirects to, nor forwards to Django, a Host that is
 * not one of its names, both when it is nginx's default server on its ports (the only site, as after removing
 * Debian's default site) and beside Debian's default site (another {@code default_server}, which must still
 * pass {@code nginx -t}). Real nginx in front of Django 5.2 under Gunicorn, whose test settings allow every
 * Host: whatever nginx forwarded, Django would answer.
 */
class GenerateNginxForeignHostIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The open-redirect Hosts of the issue: another site, userinfo before it, the site's name as a prefix. */
  private static final List<String> FOREIGN_HOSTS = List.of("evil.example", "app.test@evil.example", "app.test.evil.example");

  /** A query marker in every request for a foreign host: it must never show up in Gunicorn's access log. */
  private static final String FOREIGN_PATH = "/echo/?probe=foreign-host";

  private static final String DEBIAN_DEFAULT_SITE = "/etc/nginx/sites-available/default";
  private static final String DEBIAN_DEFAULT_PAGE = "Debian's default site\n";

  private static Path work;
  private static int httpPort;
  private static int httpsPort;
  private static Path caPem;
  private static DjangoApp app;
  private static Nginx nginx;

  @BeforeAll
  static void start() throws Exception {
    work = TestDirs.newInstanceDir("foreign-host");
    httpPort = FreePorts.next();
    httpsPort = FreePorts.next();
    TestCert ca = TestCerts.ca("GenerateNginxForeignHostIT CA");
    caPem = ca.writeCertificate(work.resolve("ca.pem"));
    Path live = work.resolve("live/app.test");
    TestCert.PemFiles files = TestCerts.forNames("app.test", "www.app.test").signedBy(ca).issue().writeTo(live, "fullchain");
    Files.move(files.key(), live.resolve("privkey.pem"));
    app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of());
    nginx = Nginx.inNewPrefix();
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.close();
    }
    if (app != null) {
      app.close();
    }
    TestDirs.deleteUnlessKept(work);
  }

  @Test
  void aloneTheSiteIsTheDefaultServerAndRefusesEveryOtherHost() {
    serve(include(site()));

    for (String host : FOREIGN_HOSTS) {
      RawResponse plain = http(request("HTTP/1.1", host));
      assertThat(plain.status()).as("port 80, Host %s: %s", host, plain).isEqualTo(421);
      assertThat(plain.header("Location")).isNull();
      RawResponse tls = https(request("HTTP/1.1", host));
      assertThat(tls.status()).as("port 443, Host %s: %s", host, tls).isEqualTo(421);
    }
    assertThat(http(request("HTTP/1.0", null)).status()).as("HTTP/1.0 without Host, port 80").isEqualTo(421);
    assertThat(https(request("HTTP/1.0", null)).status()).as("HTTP/1.0 without Host, port 443").isEqualTo(421);
    RawResponse empty = http(request("HTTP/1.1", ""));
    assertThat(empty.status()).as("nginx itself refuses an empty Host: %s", empty).isEqualTo(400);
    assertThat(empty.header("Location")).isNull();
    assertThat(https(request("HTTP/1.1", "")).status()).isEqualTo(400);
    RawResponse absolute = http("GET http://evil.example" + FOREIGN_PATH + " HTTP/1.1\r\nHost: app.test\r\n"
        + "Connection: close\r\n\r\n");
    assertThat(absolute.status()).as("the request line's host wins over Host (RFC 9112 §3.2.2): %s", absolute)
        .isEqualTo(421);
    CurlResult http2 = Curl.to("https://app.test:" + httpsPort + FOREIGN_PATH).cacert(caPem).http2()
        .header("Host", "evil.example").run();
    assertThat(http2.httpVersion()).isEqualTo("2");
    assertThat(http2.status()).as("HTTP/2 :authority evil.example: %s", http2).isEqualTo(421);
    assertThatThrownBy(() -> RawHttp.tls(httpsPort, "evil.example", caPem).exchange(request("HTTP/1.1", "evil.example")))
        .as("a foreign SNI name gets this site's certificate, which does not name it")
        .isInstanceOf(UncheckedIOException.class);

    assertOwnNamesRedirectAndReachDjango();
    assertThat(app.log()).as("no foreign Host reached Gunicorn").doesNotContain("foreign-host");
  }

  @Test
  void besideDebiansDefaultSiteForeignHostsGetThatSiteNeverARedirect() throws Exception {
    serve(include(debianDefaultSite()) + include(site()));
    assertThat(nginx.testConfig().output()).contains("test is successful");

    for (String host : FOREIGN_HOSTS) {
      RawResponse plain = http(request("HTTP/1.1", host));
      assertThat(plain.status()).as("port 80, Host %s: %s", host, plain).isEqualTo(200);
      assertThat(plain.bodyText()).isEqualTo(DEBIAN_DEFAULT_PAGE);
      assertThat(plain.header("Location")).isNull();
      assertThat(https(request("HTTP/1.1", host)).status()).as("port 443, Host %s", host).isEqualTo(421);
    }
    assertThat(http(request("HTTP/1.0", null)).bodyText()).isEqualTo(DEBIAN_DEFAULT_PAGE);
    assertThat(https(request("HTTP/1.0", null)).status()).isEqualTo(421);

    assertOwnNamesRedirectAndReachDjango();
    assertThat(app.log()).as("no foreign Host reached Gunicorn").doesNotContain("foreign-host");
  }

  @Test
  void httpOnlySiteForwardsOnlyItsOwnNamesToDjango() {
    serve(include(site("--http-only")));

    for (String host : FOREIGN_HOSTS) {
      assertThat(http(request("HTTP/1.1", host)).status()).as("Host %s", host).isEqualTo(421);
    }
    assertThat(http(request("HTTP/1.0", null)).status()).isEqualTo(421);
    RawResponse own = http("GET /echo/ HTTP/1.1\r\nHost: www.app.test:" + httpPort + "\r\nConnection: close\r\n\r\n");
    assertThat(own.status()).as(own.toString()).isEqualTo(200);
    assertThat(app.log()).as("no foreign Host reached Gunicorn").doesNotContain("foreign-host");
  }

  /** Host, non-default port, path and query survive the redirect; over TLS the request reaches Django. */
  private static void assertOwnNamesRedirectAndReachDjango() {
    for (String host : List.of("app.test", "www.app.test", "WWW.App.Test")) {
      RawResponse redirect = http("GET /p/a?q=1&r=two HTTP/1.1\r\nHost: " + host + ":" + httpPort
          + "\r\nConnection: close\r\n\r\n");
      assertThat(redirect.status()).as("Host %s: %s", host, redirect).isEqualTo(301);
      assertThat(redirect.header("Location"))
          .isEqualTo("https://" + host.toLowerCase(Locale.ROOT) + ":" + httpsPort + "/p/a?q=1&r=two");
    }
    RawResponse echo = https("GET /echo/ HTTP/1.1\r\nHost: app.test:" + httpsPort + "\r\nConnection: close\r\n\r\n");
    assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
    try {
      assertThat(JSON.readTree(echo.body()).get("host").asText()).isEqualTo("app.test:" + httpsPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A GET of {@link #FOREIGN_PATH} with this Host header, none when {@code host} is null. */
  private static String request(String version, String host) {
    return "GET " + FOREIGN_PATH + " " + version + "\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
        + "Connection: close\r\n\r\n";
  }

  private static RawResponse http(String request) {
    return RawHttp.plain(httpPort).exchange(request);
  }

  /** Over TLS with SNI app.test, verified as a browser would, whatever the Host header says. */
  private static RawResponse https(String request) {
    return RawHttp.tls(httpsPort, "app.test", caPem).exchange(request);
  }

  private static Path site(String... more) {
    Path file = work.resolve(more.length == 0 ? "gatehouse-app.test.conf" : "gatehouse-app.test-http-only.conf");
    List<String> args = new ArrayList<>(List.of("generate", "nginx", "app.test", "www.app.test",
        "--upstream", app.upstreamArg(), "--webroot", work.resolve("webroot").toString(),
        "--cert-dir", work.resolve("live").toString(), "--bind", "127.0.0.1",
        "--http-port", Integer.toString(httpPort), "--https-port", Integer.toString(httpsPort),
        "--output", file.toString()));
    args.addAll(List.of(more));
    GenerateCli.Result generated = GenerateCli.run(args.toArray(String[]::new));
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    return file;
  }

  /**
   * Debian's own {@code sites-available/default} (the {@code nginx} package's), moved to the test's port
   * and address and given a document root of the test's, which answers {@link #FOREIGN_PATH}: a {@code
   * default_server} on port 80.
   */
  private static Path debianDefaultSite() throws Exception {
    Path root = work.resolve("debian-root");
    Files.createDirectories(root.resolve("echo"));
    Files.writeString(root.resolve("echo/index.html"), DEBIAN_DEFAULT_PAGE);
    String original = Files.readString(Path.of(DEBIAN_DEFAULT_SITE));
    String moved = original
        .replace("listen 80 default_server;", "listen 127.0.0.1:" + httpPort + " default_server;")
        .replace("listen [::]:80 default_server;", "")
        .replace("root /var/www/html;", "root " + root + ";");
    assertThat(moved).as("Debian's default site as this test knows it")
        .contains("listen 127.0.0.1:" + httpPort + " default_server;", "root " + root + ";")
        .doesNotContain("[::]:80 default_server");
    Path file = work.resolve("debian-default.conf");
    Files.writeString(file, moved);
    return file;
  }

  private static String include(Path file) {
    return "include " + file + ";\n";
  }

  private static void serve(String httpBlock) {
    if (nginx.isRunning()) {
      nginx.reload(httpBlock);
    } else {
      nginx.startWithHttpBlock(httpBlock);
    }
  }
}
