package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself: every part starts, answers as a user would see it, and stops. */
class HarnessIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void django32UnderGunicornOnUnixSocketTrustsForwardedProto() throws Exception {
    try (DjangoApp app = DjangoApp.gunicornUnix(DjangoVersion.DEBIAN_32, Map.of())) {
      assertThat(app.upstreamArg()).isEqualTo("unix:" + app.socket());

      CurlResult echo = Curl.to("http://app.test/echo/").unixSocket(app.socket())
          .header("X-Forwarded-Proto", "https").run();

      assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
      JsonNode json = JSON.readTree(echo.body());
      assertThat(json.get("is_secure").asBoolean()).isTrue();
      assertThat(json.get("host").asText()).isEqualTo("app.test");
      assertThat(json.get("absolute_uri").asText()).isEqualTo("https://app.test/echo/");
      assertThat(json.get("HTTP_X_FORWARDED_PROTO").asText()).isEqualTo("https");
      assertThat(json.get("server_scheme").asText()).as("Gunicorn trusts a Unix-socket peer").isEqualTo("https");
      assertThat(Curl.to("http://app.test/admin/login/").unixSocket(app.socket()).run().status())
          .isEqualTo(200);
    }
  }

  @Test
  void testSiteServesThePagesTheAuditJudges() throws Exception {
    try (DjangoApp app = DjangoApp.uvicornTcp(DjangoVersion.DEBIAN_32, Map.of())) {
      CurlResult redirect = Curl.to(app.url("/redirect/?to=/clean/")).run();
      CurlResult cookie = Curl.to(app.url("/set-cookie/")).run();
      CurlResult slow = Curl.to(app.url("/slow/?seconds=0.2")).run();
      CurlResult mixed = Curl.to(app.url("/mixed/")).run();
      CurlResult clean = Curl.to(app.url("/clean/")).run();

      assertThat(redirect.status()).isEqualTo(302);
      assertThat(redirect.header("Location")).isEqualTo("/clean/");
      assertThat(cookie.headers().all("Set-Cookie")).singleElement().asString()
          .startsWith("pref=dark").doesNotContainIgnoringCase("secure").doesNotContainIgnoringCase("httponly");
      assertThat(JSON.readTree(slow.body()).get("slept").asDouble()).isEqualTo(0.2);
      assertThat(mixed.bodyText()).contains("<script src=\"http://", "href=\"/clean/\"");
      assertThat(clean.bodyText()).doesNotContain("src=\"http://").contains("href=\"/mixed/\"");
      assertThat(websocketEcho(app, "hello from Django 3.2's uvicorn")).isEqualTo("hello from Django 3.2's uvicorn");
    }
  }

  @Test
  void startFailuresSayWhy() {
    assertThatThrownBy(() -> DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of("DJANGO_HSTS_SECONDS", "soon")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("invalid literal for int()");
    assertThatThrownBy(() -> Nginx.start("server { listen 127.0.0.1:" + FreePorts.next() + "; no_such_directive; }"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown directive \"no_such_directive\"");
  }

  @Test
  void gatehouseJarRuns(@TempDir Path work) {
    ManagedProcess.Result help = GatehouseProcess.run(work, Duration.ofSeconds(30), "--help");

    assertThat(help.output()).as(help.output()).contains("gatehouse");
  }

  @Test
  void django52UnderUvicornOnTcpTakesSettingsFromEnvironment() throws Exception {
    try (DjangoApp app = DjangoApp.uvicornTcp(DjangoVersion.VENV_52, Map.of("DJANGO_ALLOWED_HOSTS", "app.test"))) {
      assertThat(app.upstreamArg()).isEqualTo("127.0.0.1:" + app.port());

      CurlResult echo = Curl.to(app.url("/echo/")).header("Host", "app.test")
          .header("X-Forwarded-Proto", "https").run();
      CurlResult otherHost = Curl.to(app.url("/echo/")).header("Host", "evil.test").run();

      assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
      JsonNode json = JSON.readTree(echo.body());
      // Uvicorn's --proxy-headers turns X-Forwarded-Proto from 127.0.0.1 into the ASGI scheme itself.
      assertThat(json.get("is_secure").asBoolean()).isTrue();
      assertThat(json.get("server_scheme").asText()).isEqualTo("https");
      assertThat(json.get("remote_addr").asText()).isEqualTo("127.0.0.1");
      assertThat(otherHost.status()).as("ALLOWED_HOSTS from DJANGO_ALLOWED_HOSTS").isEqualTo(400);
      assertThat(Curl.to(app.url("/admin/login/")).header("Host", "app.test").run().status()).isEqualTo(200);
      assertThat(websocketEcho(app, "hello over uvicorn")).isEqualTo("hello over uvicorn");
      JsonNode scope = JSON.readTree(firstWebsocketMessage(app, "/ws/scope", null));
      assertThat(scope.get("scheme").asText()).isEqualTo("ws");
      assertThat(scope.get("client").get(0).asText()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void uploadCountsEveryByteAndStoppedDjangoComesBack() throws Exception {
    try (DjangoApp app = DjangoApp.builder(DjangoVersion.DEBIAN_32).gunicorn().unixSocket().workers(1).start()) {
      byte[] body = new byte[3 * 1024 * 1024 + 7];
      body[body.length - 1] = 42;
      CurlResult upload = Curl.to("http://app.test/upload/").unixSocket(app.socket()).data(body).run();
      assertThat(JSON.readTree(upload.body()).get("size").asInt()).as(upload.toString()).isEqualTo(body.length);

      app.stop();
      assertThat(Curl.to("http://app.test/echo/").unixSocket(app.socket()).run().transferred()).isFalse();
      app.start();
      assertThat(Curl.to("http://app.test/echo/").unixSocket(app.socket()).run().status()).isEqualTo(200);
    }
  }

  @Test
  void nginxServesStaticBodyAndReloads() {
    int port = FreePorts.next();
    try (Nginx nginx = Nginx.start("server { listen 127.0.0.1:" + port + "; location / { return 200 'first\\n'; } }")) {
      assertThat(Curl.to("http://127.0.0.1:" + port + "/").run().bodyText()).isEqualTo("first\n");

      nginx.reload("server { listen 127.0.0.1:" + port + "; location / { return 200 'second\\n'; } }");
      assertThat(Curl.to("http://127.0.0.1:" + port + "/").run().bodyText()).isEqualTo("second\n");

      assertThatThrownBy(() -> nginx.reload("server { listen 127.0.0.1:" + port + "; bogus_directive; }"))
          .hasMessageContaining("bogus_directive");
      assertThat(nginx.testConfig().exitCode()).isNotZero();
      assertThat(Curl.to("http://127.0.0.1:" + port + "/").run().bodyText()).as("old config keeps serving")
          .isEqualTo("second\n");
    }
  }

  @Test
  void nginxTlsInFrontOfGunicornWithTestCertificates() throws Exception {
    TestCert ca = TestCerts.ca("Harness Test Root");
    TestCert site = TestCerts.forNames("site.test").signedBy(ca).keyType(TestCerts.KeyType.RSA_2048).issue();
    int port = FreePorts.next();
    try (DjangoApp app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of());
        Nginx nginx = Nginx.inNewPrefix()) {
      TestCert.PemFiles files = site.writeTo(nginx.prefix(), "site");
      Path caPem = ca.writeCertificate(nginx.prefix().resolve("ca.pem"));
      nginx.startWithHttpBlock("server {\n"
          + "  listen 127.0.0.1:" + port + " ssl http2;\n"
          + "  ssl_certificate " + files.cert() + ";\n"
          + "  ssl_certificate_key " + files.key() + ";\n"
          + "  location / {\n"
          + "    proxy_pass http://" + app.upstreamArg() + ":;\n"
          + "    proxy_set_header Host $http_host;\n"
          + "    proxy_set_header X-Forwarded-Proto $scheme;\n"
          + "  }\n"
          + "}\n");

      CurlResult viaCurl = Curl.to("https://site.test:" + port + "/echo/").cacert(caPem).http2().run();
      RawResponse viaJava = RawHttp.tls(port, "site.test", caPem).exchange(RawHttp.get("site.test:" + port, "/echo/"));

      assertThat(viaCurl.status()).as(viaCurl.toString()).isEqualTo(200);
      assertThat(viaCurl.httpVersion()).isEqualTo("2");
      assertThat(JSON.readTree(viaCurl.body()).get("absolute_uri").asText())
          .isEqualTo("https://site.test:" + port + "/echo/");
      assertThat(viaJava.status()).as(viaJava.toString()).isEqualTo(200);
      assertThat(JSON.readTree(viaJava.body()).get("is_secure").asBoolean()).isTrue();
      assertThat(Pems.presentedSerial(port, "site.test")).isEqualTo(site.serial());
      assertThatThrownBy(() -> RawHttp.tls(port, "other.test", caPem).exchange(RawHttp.get("other.test", "/")))
          .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SSLHandshakeException.class);
      assertThat(Curl.to("https://other.test:" + port + "/").cacert(caPem).run().exitCode())
          .as("curl refuses a certificate for another name").isEqualTo(60);
    }
  }

  @Test
  void pebbleAnswersOverItsTrustAndRestartsWithANewRoot() throws Exception {
    try (Pebble pebble = Pebble.start(FreePorts.next(), FreePorts.next())) {
      CurlResult directory = Curl.to(pebble.directoryUrl()).cacert(pebble.trustPem()).run();
      assertThat(directory.status()).as(directory.toString()).isEqualTo(200);
      assertThat(JSON.readTree(directory.body()).has("newOrder")).isTrue();
      X509Certificate root = Pems.readCertificate(pebble.issuingRootPem());
      assertThat(root.getSubjectX500Principal().getName()).contains("Pebble Root CA");
      assertThat(pebble.orderCount()).isZero();

      pebble.stop();
      assertThat(Curl.to(pebble.directoryUrl()).cacert(pebble.trustPem()).run().transferred()).isFalse();
      pebble.start();
      assertThat(Pems.readCertificate(pebble.issuingRootPem())).isNotEqualTo(root);
      pebble.setTxt("_acme-challenge.www.pebble.test", "token-digest");
      pebble.clearTxt("_acme-challenge.www.pebble.test");
    }
  }

  private static String websocketEcho(DjangoApp app, String message) throws Exception {
    return firstWebsocketMessage(app, "/ws/echo", message);
  }

  /** Connects, sends {@code message} unless null, returns the first text message the server sends. */
  private static String firstWebsocketMessage(DjangoApp app, String path, String message) throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + path), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.complete(data.toString());
            return null;
          }

          @Override
          public void onError(WebSocket webSocket, Throwable error) {
            received.completeExceptionally(error);
          }
        }).get(10, TimeUnit.SECONDS);
    if (message != null) {
      socket.sendText(message, true).get(10, TimeUnit.SECONDS);
    }
    try {
      return received.get(10, TimeUnit.SECONDS);
    } finally {
      socket.abort();
    }
  }

}
