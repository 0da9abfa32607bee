package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatehouse in front of the real Django test site, checked with real clients (curl, the JDK's TLS) the way a
 * user would: one Gatehouse and one Django per subclass, which picks the Django version and how it is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractServeIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CSS = "body { color: rebeccapurple; }\n";
  /** The request body limit of these tests: above the 10 MiB upload, below the refused one. */
  static final long MAX_BODY = 12L << 20;
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);
  static final byte[] LARGE_FILE = randomBytes((5 << 20) + 3);

  Path dir;
  DjangoApp app;
  TestCert ca;
  TestCert leaf;
  Path caPem;
  CertificateCache certificates;
  GatehouseServer server;
  int https;
  int http;

  /** The Django under test, started. */
  abstract DjangoApp startDjango();

  /** What {@code --upstream} would say for {@code app}. */
  abstract Upstream upstreamOf(DjangoApp app);

  @BeforeAll
  void start(@TempDir Path work) throws Exception {
    dir = work;
    app = startDjango();
    ca = TestCerts.ca("Gatehouse IT Root");
    leaf = TestCerts.forNames("app.test", "www.app.test", "127.0.0.1").signedBy(ca).issue();
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    certificates = new CertificateCache();
    certificates.put(List.of("app.test", "www.app.test", "127.0.0.1"), TestConfigs.key(leaf));
    Path statics = Files.createDirectories(dir.resolve("staticfiles"));
    Files.writeString(statics.resolve("app.3f2a9c1b7d4e.css"), CSS);
    Files.write(statics.resolve("video.mp4"), LARGE_FILE);
    Files.writeString(dir.resolve("secret.txt"), "top secret");
    Files.createSymbolicLink(statics.resolve("escape.txt"), dir.resolve("secret.txt"));
    http = FreePorts.next();
    server = GatehouseServer.start(config(statics), certificates, new ChallengeResponses());
    https = server.httpsPort();
  }

  private ServeConfig config(Path statics) throws ConfigException {
    Limits limits = Limits.DEFAULTS.withMaxBodyBytes(MAX_BODY).withUpstreamResponseTimeout(RESPONSE_TIMEOUT);
    return TestConfigs.serve(
        List.of(
            TestConfigs.site(
                List.of("app.test", "www.app.test", "127.0.0.1"),
                Optional.of(upstreamOf(app)),
                List.of(StaticMount.parse("--static", "/static/=" + statics)))),
        http, 0, dir.resolve("state"), limits, List.of(), HstsPolicy.DEFAULT);
  }

  @AfterAll
  void stop() {
    try {
      if (server != null) {
        server.close(Duration.ofSeconds(2));
      }
    } finally {
      if (app != null) {
        app.close();
      }
    }
  }

  Curl to(String path) {
    return Curl.to("https://app.test:" + https + path).cacert(caPem);
  }

  static JsonNode json(CurlResult r) throws Exception {
    assertThat(r.status()).as(r.toString() + r.bodyText()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void djangoSeesHttpsAndTheClientsHostWithItsPort() throws Exception {
    JsonNode echo = json(to("/echo/?q=1&r=%2F").run());

    assertThat(echo.get("is_secure").asBoolean()).isTrue();
    assertThat(echo.get("absolute_uri").asText()).isEqualTo("https://app.test:" + https + "/echo/?q=1&r=%2F");
    assertThat(echo.get("host").asText()).isEqualTo("app.test:" + https);
    assertThat(echo.get("server_scheme").asText()).isEqualTo("https");
  }

  @Test
  void spoofedForwardingHeadersAreIgnored() throws Exception {
    CurlResult r =
        to("/echo/")
            .header("X-Forwarded-Proto", "http")
            .header("X-Forwarded-For", "6.6.6.6")
            .header("X-Forwarded-Host", "evil.example")
            .header("X-Forwarded-Port", "80")
            .header("X-Real-IP", "6.6.6.6")
            .header("X-Forwarded-Ssl", "off")
            .header("X-Forwarded-Protocol", "ssl")
            .header("Forwarded", "for=6.6.6.6;proto=http")
            .run();

    JsonNode echo = json(r);
    assertThat(echo.get("is_secure").asBoolean()).isTrue();
    assertThat(echo.get("HTTP_X_FORWARDED_FOR").asText()).isEqualTo("127.0.0.1");
    assertThat(echo.get("HTTP_X_REAL_IP").asText()).isEqualTo("127.0.0.1");
    assertThat(echo.get("HTTP_X_FORWARDED_PROTO").asText()).isEqualTo("https");
    assertThat(echo.get("HTTP_X_FORWARDED_HOST").asText()).isEqualTo("app.test:" + https);
    assertThat(echo.get("HTTP_X_FORWARDED_PORT").asText()).isEqualTo(Integer.toString(https));
    assertThat(echo.has("HTTP_X_FORWARDED_SSL")).isFalse();
    assertThat(echo.has("HTTP_X_FORWARDED_PROTOCOL")).isFalse();
    assertThat(echo.has("HTTP_FORWARDED")).isFalse();
    assertThat(echo.get("absolute_uri").asText()).startsWith("https://app.test:" + https + "/");
  }

  @Test
  void adminLoginOverHttpsGivesASecureSessionCookie() throws Exception {
    CurlResult form = to("/admin/login/").run();
    assertThat(form.status()).as(form.toString()).isEqualTo(200);
    String csrfCookie = cookie(form, "csrftoken");
    Matcher token = Pattern.compile("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"").matcher(form.bodyText());
    assertThat(token.find()).isTrue();
    String origin = "https://app.test:" + https;

    CurlResult login =
        to("/admin/login/?next=/admin/")
            .header("Cookie", "csrftoken=" + csrfCookie)
            .header("Origin", origin)
            .header("Referer", origin + "/admin/login/")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .data("csrfmiddlewaretoken=" + token.group(1) + "&username=" + DjangoApp.ADMIN_USERNAME
                + "&password=" + DjangoApp.ADMIN_PASSWORD + "&next=%2Fadmin%2F")
            .run();

    assertThat(login.status()).as(login + login.bodyText()).isEqualTo(302);
    assertThat(login.header("Location")).isEqualTo("/admin/");
    String session = login.headers().all("Set-Cookie").stream().filter(c -> c.startsWith("sessionid=")).findFirst().orElseThrow();
    assertThat(session).containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly");
    CurlResult admin = to("/admin/").header("Cookie", session.substring(0, session.indexOf(';'))).run();
    assertThat(admin.status()).isEqualTo(200);
    assertThat(admin.bodyText()).contains("Site administration");
  }

  @Test
  void csrfIsStillEnforced() {
    CurlResult r =
        to("/admin/login/")
            .header("Origin", "https://app.test:" + https)
            .header("Referer", "https://app.test:" + https + "/admin/login/")
            .data("username=admin&password=" + DjangoApp.ADMIN_PASSWORD)
            .run();

    assertThat(r.status()).as(r.toString()).isEqualTo(403);
  }

  private static String cookie(CurlResult r, String name) {
    return r.headers().all("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1, c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r));
  }

  @Test
  void plainHttpIsRedirectedKeepingHostPortPathAndQueryAndNeverReachesDjango() {
    CurlResult r = Curl.to("http://www.app.test:" + http + "/echo/plain-marker/?a=1&b=%20").run();

    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("Location")).isEqualTo("https://www.app.test:" + https + "/echo/plain-marker/?a=1&b=%20");
    CurlResult post = Curl.to("http://app.test:" + http + "/upload/plain-marker/").data("x").run();
    assertThat(post.status()).isEqualTo(308);
    CurlResult evil = Curl.to("http://evil.example:" + http + "/plain-marker/").run();
    assertThat(evil.status()).isEqualTo(421);
    assertThat(evil.header("Location")).isNull();
    assertThat(app.log()).doesNotContain("plain-marker");
  }

  @Test
  void redirectIsFollowedToTheSamePageOverHttps() throws Exception {
    CurlResult r =
        Curl.to("http://app.test:" + http + "/echo/?x=y").cacert(caPem).resolve("app.test", https).followRedirects().run();

    assertThat(JSON.readTree(r.body()).get("absolute_uri").asText()).isEqualTo("https://app.test:" + https + "/echo/?x=y");
  }

  @Test
  void staticFilesKeepTheirBytesAndType() {
    CurlResult r = to("/static/app.3f2a9c1b7d4e.css").run();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo(CSS);
    assertThat(r.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(r.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(r.header("Strict-Transport-Security")).isEqualTo("max-age=300");
    assertThat(app.log()).doesNotContain("app.3f2a9c1b7d4e.css");
  }

  @Test
  void smallStaticFileAnswersRangesConditionalsAndHeadFromMemoryAsFromDisk() {
    String path = "/static/app.3f2a9c1b7d4e.css";
    CurlResult first = to(path).run();
    CurlResult range = to(path).header("Range", "bytes=7-11").run();
    CurlResult conditional = to(path).header("If-None-Match", first.header("ETag")).run();
    CurlResult head = to(path).head().run();

    assertThat(range.status()).isEqualTo(206);
    assertThat(range.bodyText()).isEqualTo(CSS.substring(7, 12));
    assertThat(range.header("Content-Range")).isEqualTo("bytes 7-11/" + CSS.length());
    assertThat(conditional.status()).isEqualTo(304);
    assertThat(conditional.body()).isEmpty();
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(CSS.length()));
  }

  @Test
  void staticFileChangedOnDiskIsServedAsItIsNowOnceTheCacheBoundHasPassed() throws Exception {
    Path statics = dir.resolve("staticfiles");
    Files.writeString(statics.resolve("upload.txt"), "first version\n");
    CurlResult before = to("/static/upload.txt").run();
    Path next = Files.writeString(dir.resolve("upload.txt.tmp"), "second, longer version\n");
    Files.move(next, statics.resolve("upload.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Thread.sleep(StaticFileCache.VALID.toMillis());
    CurlResult after = to("/static/upload.txt").run();
    Files.delete(statics.resolve("upload.txt"));
    Thread.sleep(StaticFileCache.VALID.toMillis());
    CurlResult deleted = to("/static/upload.txt").run();

    assertThat(before.bodyText()).isEqualTo("first version\n");
    assertThat(after.bodyText()).isEqualTo("second, longer version\n");
    assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
    assertThat(deleted.status()).isEqualTo(404);
  }

  @Test
  void largeStaticFileArrivesWholeOverBothProtocolsAndByRange() throws Exception {
    CurlResult h1 = to("/static/video.mp4").http11().run();
    CurlResult h2 = to("/static/video.mp4").http2().run();
    CurlResult tail = to("/static/video.mp4").header("Range", "bytes=-1000").run();

    assertThat(sha256(h1.body())).isEqualTo(sha256(LARGE_FILE));
    assertThat(h1.header("Content-Type")).isEqualTo("video/mp4");
    assertThat(sha256(h2.body())).isEqualTo(sha256(LARGE_FILE));
    assertThat(tail.status()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(LARGE_FILE, LARGE_FILE.length - 1000, LARGE_FILE.length));
  }

  @Test
  void everyStaticTraversalProbeIsRefused() {
    for (String probe : StaticPathsTest.TRAVERSAL_PROBES) {
      RawResponse r =
          RawHttp.tls(https, "app.test", caPem).exchange(RawHttp.get("app.test", "/static/" + probe));
      assertThat(r.status()).as(probe).isIn(400, 404);
      assertThat(r.bodyText()).as(probe).doesNotContain("top secret");
    }
    assertThat(to("/static/escape.txt").run().status()).isEqualTo(404);
  }

  @Test
  void tenMebibyteUploadArrivesWhole() throws Exception {
    byte[] body = randomBytes(10 << 20);

    JsonNode withLength = json(to("/upload/").header("Content-Type", "application/octet-stream").data(body).run());
    JsonNode chunked =
        json(to("/upload/").header("Content-Type", "application/octet-stream").header("Transfer-Encoding", "chunked").data(body).run());

    for (JsonNode result : List.of(withLength, chunked)) {
      assertThat(result.get("size").asLong()).isEqualTo(body.length);
      assertThat(result.get("sha256").asText()).isEqualTo(sha256(body));
    }
  }

  @Test
  void bodyOverTheLimitGets413() {
    byte[] body = randomBytes((int) MAX_BODY + 1);

    CurlResult declared = to("/upload/").header("Content-Type", "application/octet-stream").data(body).run();
    CurlResult chunked =
        to("/upload/").header("Content-Type", "application/octet-stream").header("Transfer-Encoding", "chunked").data(body).run();

    assertThat(declared.status()).as(declared.toString()).isEqualTo(413);
    assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
  }

  @Test
  void http2IsNegotiatedAndCarriesUploads() throws Exception {
    byte[] body = randomBytes(3 << 20);

    CurlResult echo = to("/echo/").http2().run();
    CurlResult upload = to("/upload/").http2().header("Content-Type", "application/octet-stream").data(body).run();

    assertThat(echo.httpVersion()).isEqualTo("2");
    assertThat(json(echo).get("is_secure").asBoolean()).isTrue();
    assertThat(upload.httpVersion()).isEqualTo("2");
    assertThat(json(upload).get("sha256").asText()).isEqualTo(sha256(body));
  }

  @Test
  void tls11IsRefusedAndTls12Works() {
    CurlResult old = to("/echo/").tls11().run();
    CurlResult tls12 = to("/echo/").args("--tlsv1.2", "--tls-max", "1.2").run();

    assertThat(old.transferred()).isFalse();
    assertThat(old.stderr()).containsIgnoringCase("protocol version");
    assertThat(tls12.status()).isEqualTo(200);
  }

  @Test
  void upstreamTooSlowGets504() {
    CurlResult r = to("/slow/?seconds=" + (RESPONSE_TIMEOUT.toSeconds() + 2)).run();

    assertThat(r.status()).isEqualTo(504);
    assertThat(r.bodyText()).contains("504 Gateway Timeout").doesNotContain("Exception");
  }

  @Test
  void certificateHotSwapUnderARequestLoopFailsNoRequest() throws Exception {
    BigInteger before = Pems.presentedSerial(https, "app.test");
    assertThat(before).isEqualTo(leaf.serial());
    TestCert next = TestCerts.forNames("app.test", "www.app.test", "127.0.0.1").signedBy(ca).issue();
    RequestLoop loop = new RequestLoop(https, caPem);
    try (RawHttp.Connection kept = RawHttp.tls(https, "app.test", caPem).open()) {
      loop.start();
      loop.awaitRequests(20);
      certificates.put(List.of("app.test", "www.app.test", "127.0.0.1"), TestConfigs.key(next));
      int atSwap = loop.completed();
      loop.awaitRequests(atSwap + 20);
      loop.stop();

      kept.send(RawHttp.get("app.test", "/echo/"));
      assertThat(kept.readResponse().status()).as("a connection from before the swap keeps working").isEqualTo(200);
    }
    assertThat(loop.failures()).isEmpty();
    assertThat(Pems.presentedSerial(https, "app.test")).isEqualTo(next.serial());
    assertThat(Pems.presentedSerial(https, "www.app.test")).isEqualTo(next.serial());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void upstreamDownGives502ThenServesAgainWhenBack() throws Exception {
    assertThat(to("/echo/").run().status()).isEqualTo(200);

    app.stop();
    CurlResult down = to("/echo/").run();
    app.start();
    CurlResult back = to("/echo/").run();

    assertThat(down.status()).isEqualTo(502);
    assertThat(down.bodyText()).contains("502 Bad Gateway").doesNotContain("Exception");
    assertThat(json(back).get("is_secure").asBoolean()).isTrue();
  }

  static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
