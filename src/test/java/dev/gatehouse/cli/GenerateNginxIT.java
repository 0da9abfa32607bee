package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Nginx;
import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The output of {@code gatehouse generate nginx} in a real nginx (Debian's, own prefix, loopback high ports)
 * in front of the Django test site under Gunicorn on a Unix socket, with the settings of {@code generate
 * django} and a certificate from {@code gatehouse certs issue --webroot} (Pebble): what a user who applies
 * the pieces by hand gets; and a WebSocket through it to Django 5.2 under Uvicorn.
 */
class GenerateNginxIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"");

  @ParameterizedTest
  @EnumSource(DjangoVersion.class)
  void generatedSiteServesDjangoOverHttps(DjangoVersion version, @TempDir Path work) throws Exception {
    int httpPort = FreePorts.next();
    int httpsPort = FreePorts.next();
    String origin = "https://app.test:" + httpsPort;
    Path state = work.resolve("state");
    Path webroot = Files.createDirectories(work.resolve("webroot"));
    Path staticDir = work.resolve("staticfiles");
    Files.createDirectories(staticDir.resolve("css"));
    Files.writeString(staticDir.resolve("css/site.css"), "body { color: teal; }\n");

    Map<String, String> env = new HashMap<>(
        GeneratedDjangoSettings.write(work, "app.test", "www.app.test", "--https-port", Integer.toString(httpsPort)).env());
    // Only the same-origin check: a login then works only if nginx forwards the client's Host, port included.
    env.put("DJANGO_CSRF_TRUSTED_ORIGINS", "");

    try (Pebble pebble = Pebble.start(httpPort, httpsPort);
        DjangoApp app = DjangoApp.gunicornUnix(version, env);
        Nginx nginx = Nginx.inNewPrefix()) {
      Path site = nginx.prefix().resolve("conf/gatehouse-app.test.conf");
      List<String> flags = List.of("app.test", "www.app.test", "--upstream", app.upstreamArg(),
          "--static", "/static/=" + staticDir, "--webroot", webroot.toString(), "--cert-dir", state.resolve("live").toString(),
          "--bind", "127.0.0.1", "--http-port", Integer.toString(httpPort),
          "--https-port", Integer.toString(httpsPort), "--max-body", "1M", "--output", site.toString());

      // The classic order: port 80 with the ACME webroot, the certificate, then the HTTPS site.
      assertThat(generate(flags, "--http-only").exitCode()).isZero();
      nginx.startWithHttpBlock("include " + site + ";");
      CertsRun issued = certs("issue", "app.test", "www.app.test", "--webroot", webroot.toString(),
          "--ca", pebble.directoryUrl(), "--acme-trust", pebble.trustPem().toString(), "--state-dir", state.toString());
      assertThat(issued.exitCode()).as(issued.err()).isZero();
      GenerateCli.Result generated = generate(flags);
      assertThat(generated.exitCode()).as(generated.err()).isZero();
      nginx.reload("include " + site + ";");
      assertThat(nginx.testConfig().output()).contains("test is successful");
      Path caPem = pebble.issuingRootPem();

      CurlResult redirect = Curl.to("http://app.test:" + httpPort + "/echo/?a=1&b=two").run();
      assertThat(redirect.status()).as(redirect.toString()).isEqualTo(301);
      assertThat(redirect.header("Location")).isEqualTo(origin + "/echo/?a=1&b=two");

      Files.writeString(webroot.resolve(".well-known/acme-challenge/tok-123"), "tok-123.key-authorization");
      CurlResult token = Curl.to("http://www.app.test:" + httpPort + "/.well-known/acme-challenge/tok-123").run();
      assertThat(token.status()).isEqualTo(200);
      assertThat(token.bodyText()).isEqualTo("tok-123.key-authorization");
      assertThat(token.header("Content-Type")).startsWith("text/plain");

      CurlResult echo = Curl.to(origin + "/echo/").cacert(caPem).http2()
          .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-Ssl", "off").header("X-Forwarded-Host", "evil.test")
          .run();
      assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
      assertThat(echo.httpVersion()).isEqualTo("2");
      JsonNode seen = JSON.readTree(echo.body());
      assertThat(seen.get("is_secure").asBoolean()).isTrue();
      assertThat(seen.get("host").asText()).isEqualTo("app.test:" + httpsPort);
      assertThat(seen.get("absolute_uri").asText()).isEqualTo(origin + "/echo/");
      assertThat(seen.get("HTTP_X_FORWARDED_FOR").asText()).isEqualTo("127.0.0.1");
      assertThat(seen.get("HTTP_X_FORWARDED_HOST").asText()).isEqualTo("app.test:" + httpsPort);
      assertThat(seen.get("HTTP_X_FORWARDED_PORT").asText()).isEqualTo(Integer.toString(httpsPort));
      assertThat(seen.has("HTTP_X_FORWARDED_SSL")).as("client's X-Forwarded-Ssl dropped").isFalse();
      assertThat(echo.headers().all("Strict-Transport-Security")).containsExactly("max-age=300");
      assertThat(Pems.presentedSerial(httpsPort, "app.test"))
          .isEqualTo(Pems.readCertificate(state.resolve("live/app.test/cert.pem")).getSerialNumber());

      CurlResult css = Curl.to(origin + "/static/css/site.css").cacert(caPem).run();
      assertThat(css.status()).isEqualTo(200);
      assertThat(css.bodyText()).isEqualTo("body { color: teal; }\n");
      assertThat(css.header("Content-Type")).isEqualTo("text/css");
      assertThat(app.log()).as("static files never reach Gunicorn").doesNotContain("/static/css/site.css");

      assertAdminLoginWorks(origin, caPem, work.resolve("cookies.txt"));

      CurlResult upgrade = Curl.to(origin + "/echo/").cacert(caPem).http11()
          .header("Upgrade", "websocket").header("Connection", "Upgrade").run();
      assertThat(upgrade.status()).as("Gunicorn answers an upgrade request as a plain one: %s", upgrade).isEqualTo(200);
      assertThat(JSON.readTree(upgrade.body()).get("is_secure").asBoolean()).isTrue();

      assertThat(Curl.to(origin + "/upload/").cacert(caPem).data(new byte[512 * 1024]).run().status()).isEqualTo(200);
      assertThat(Curl.to(origin + "/upload/").cacert(caPem).data(new byte[1536 * 1024]).run().status()).isEqualTo(413);
      assertThat(Curl.to(origin + "/echo/").cacert(caPem).tls11().run().transferred()).as("TLS 1.1 refused").isFalse();
    }
  }

  /**
   * A WebSocket through the generated site over TLS to Django 5.2 under Uvicorn, the ASGI deployment
   * (Channels) the upgrade map exists for; a plain request next to it still works, and a second Gatehouse
   * site in the same nginx (its own copy of the map) passes {@code nginx -t}. The certificate comes from a
   * test CA for app.test and 127.0.0.1, which are both the first site's names: the JDK's WebSocket client
   * cannot be told to resolve app.test.
   */
  @Test
  void webSocketEchoesThroughGeneratedSiteToUvicorn(@TempDir Path work) throws Exception {
    int httpPort = FreePorts.next();
    int httpsPort = FreePorts.next();
    Path live = work.resolve("live");
    TestCert ca = TestCerts.ca("GenerateNginxIT CA");
    Path caPem = ca.writeCertificate(work.resolve("ca.pem"));
    for (String name : List.of("app.test", "other.test")) {
      TestCert.PemFiles files = TestCerts.forNames(name, "127.0.0.1").signedBy(ca).issue().writeTo(live.resolve(name), "fullchain");
      Files.move(files.key(), live.resolve(name).resolve("privkey.pem"));
    }

    try (DjangoApp app = DjangoApp.uvicornTcp(DjangoVersion.VENV_52, Map.of());
        Nginx nginx = Nginx.inNewPrefix()) {
      StringBuilder includes = new StringBuilder();
      for (String name : List.of("app.test", "other.test")) {
        Path site = nginx.prefix().resolve("conf/gatehouse-" + name + ".conf");
        // The WebSocket client's Host is 127.0.0.1, which the first site must therefore name too (issue 12).
        List<String> names = name.equals("app.test") ? List.of(name, "127.0.0.1") : List.of(name);
        GenerateCli.Result generated = generate(Stream.concat(names.stream(), Stream.of("--upstream", app.upstreamArg(),
            "--webroot", work.resolve("webroot").toString(), "--cert-dir", live.toString(), "--bind", "127.0.0.1",
            "--http-port", Integer.toString(httpPort), "--https-port", Integer.toString(httpsPort),
            "--output", site.toString())).toList());
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        includes.append("include ").append(site).append(";\n");
      }
      nginx.startWithHttpBlock(includes.toString());
      assertThat(nginx.testConfig().output()).contains("test is successful");

      String echoed = webSocketEcho(URI.create("wss://127.0.0.1:" + httpsPort + "/ws/echo"), caPem, "hello through nginx");
      assertThat(echoed).isEqualTo("hello through nginx");
      JsonNode scope = JSON.readTree(webSocketEcho(URI.create("wss://127.0.0.1:" + httpsPort + "/ws/scope"), caPem, null));
      assertThat(scope.get("scheme").asText()).as("Uvicorn trusts nginx's X-Forwarded-Proto").isEqualTo("wss");

      CurlResult echo = Curl.to("https://app.test:" + httpsPort + "/echo/").cacert(caPem).http11().run();
      assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
      assertThat(JSON.readTree(echo.body()).get("is_secure").asBoolean()).isTrue();
    }
  }

  /** Opens a WebSocket, sends {@code message} unless null, returns the first text message, closes. */
  private static String webSocketEcho(URI uri, Path caPem, String message) throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    HttpClient client = HttpClient.newBuilder().sslContext(Pems.trusting(caPem)).build();
    WebSocket socket = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
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
    try {
      if (message != null) {
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
      }
      return received.get(10, TimeUnit.SECONDS);
    } finally {
      if (!socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The admin login form over HTTPS: 302 to /admin/ with a Secure session cookie, then the index. */
  private static void assertAdminLoginWorks(String origin, Path caPem, Path cookies) {
    CurlResult form = Curl.to(origin + "/admin/login/?next=/admin/").cacert(caPem)
        .args("-c", cookies.toString()).run();
    assertThat(form.status()).as(form.toString()).isEqualTo(200);
    Matcher csrf = CSRF_FIELD.matcher(form.bodyText());
    assertThat(csrf.find()).as("login form has a CSRF token").isTrue();

    CurlResult login = Curl.to(origin + "/admin/login/?next=/admin/").cacert(caPem)
        .args("-b", cookies.toString(), "-c", cookies.toString())
        .header("Origin", origin).header("Referer", origin + "/admin/login/?next=/admin/")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .data("csrfmiddlewaretoken=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
            + "&username=" + DjangoApp.ADMIN_USERNAME + "&password=" + DjangoApp.ADMIN_PASSWORD + "&next=/admin/")
        .run();
    assertThat(login.status()).as(login + "\n" + login.bodyText()).isEqualTo(302);
    assertThat(login.header("Location")).isEqualTo("/admin/");
    assertThat(login.headers().all("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("sessionid=").contains("; Secure"));

    CurlResult index = Curl.to(origin + "/admin/").cacert(caPem).args("-b", cookies.toString()).run();
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.bodyText()).contains("Site administration");
  }

  private static GenerateCli.Result generate(List<String> flags, String... more) {
    List<String> args = new ArrayList<>(List.of("generate", "nginx"));
    args.addAll(flags);
    args.addAll(List.of(more));
    return GenerateCli.run(args.toArray(String[]::new));
  }

  record CertsRun(int exitCode, String out, String err) {}

  private static CertsRun certs(String... args) {
    CommandLine cl = GatehouseCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("certs"));
    all.addAll(List.of(args));
    return new CertsRun(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }
}
