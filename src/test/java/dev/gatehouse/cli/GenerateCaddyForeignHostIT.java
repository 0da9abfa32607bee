package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 for {@code generate caddy}: the real {@code caddy} running the generated Caddyfile in front of
 * Django 5.2 under Gunicorn (which allows every Host here) neither redirects nor forwards a Host that is not
 * one of the site's names. Caddy alone redirects every Host on its HTTP port to {@code https://THAT-HOST/}.
 */
class GenerateCaddyForeignHostIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CADDY_READY_TIMEOUT = Duration.ofSeconds(30);
  private static final String FOREIGN_PATH = "/echo/?probe=foreign-host";

  @Test
  void onlyTheSiteNamesAreRedirectedOrForwarded(@TempDir Path work) throws Exception {
    int httpPort = FreePorts.next();
    int httpsPort = FreePorts.next();
    Path caddyfile = work.resolve("Caddyfile");
    try (DjangoApp app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of())) {
      GenerateCli.Result generated = GenerateCli.run("generate", "caddy", "app.test", "www.app.test",
          "--upstream", app.upstreamArg(), "--http-port", Integer.toString(httpPort),
          "--https-port", Integer.toString(httpsPort), "--bind", "127.0.0.1", "--output", caddyfile.toString());
      assertThat(generated.exitCode()).as(generated.err()).isZero();
      // Caddy's own local CA and no admin endpoint: nothing leaves loopback, nothing meets another Caddy's port.
      String text = Files.readString(caddyfile);
      String offline = text.replace("\thttps_port " + httpsPort + "\n",
          "\thttps_port " + httpsPort + "\n\tlocal_certs\n\tskip_install_trust\n\tadmin off\n");
      assertThat(offline).as("the global options block of the generated file").isNotEqualTo(text);
      Files.writeString(caddyfile, offline);
      Map<String, String> env = Map.of("HOME", work.toString(), "XDG_DATA_HOME", work.resolve("data").toString(),
          "XDG_CONFIG_HOME", work.resolve("config").toString());
      Path root = work.resolve("data/caddy/pki/authorities/local/root.crt");

      try (ManagedProcess caddy = ManagedProcess.start("caddy",
          List.of("caddy", "run", "--adapter", "caddyfile", "--config", caddyfile.toString()), env, work,
          work.resolve("caddy.log"))) {
        caddy.awaitReady("caddy serving app.test over TLS", CADDY_READY_TIMEOUT, () -> servesOverTls(httpsPort, root));

        RawHttp plain = RawHttp.plain(httpPort);
        RawHttp tls = RawHttp.tls(httpsPort, "app.test", root);
        for (String host : List.of("evil.example", "app.test.evil.example")) {
          RawResponse redirect = plain.exchange(request("HTTP/1.1", host));
          assertThat(redirect.status()).as("port %d, Host %s: %s", httpPort, host, redirect).isEqualTo(421);
          assertThat(redirect.header("Location")).isNull();
          assertThat(tls.exchange(request("HTTP/1.1", host)).status()).as("TLS, Host %s", host).isEqualTo(421);
        }
        RawResponse userinfo = plain.exchange(request("HTTP/1.1", "app.test@evil.example"));
        assertThat(userinfo.status()).as("Caddy refuses this Host itself: %s", userinfo).isEqualTo(400);
        assertThat(userinfo.header("Location")).isNull();
        assertThat(plain.exchange(request("HTTP/1.0", null)).status()).as("HTTP/1.0 without Host").isEqualTo(421);
        assertThat(plain.exchange(request("HTTP/1.1", "")).status()).as("empty Host").isEqualTo(421);
        assertThatThrownBy(() -> RawHttp.tls(httpsPort, "evil.example", root).exchange(request("HTTP/1.1", "evil.example")))
            .as("no certificate for a foreign TLS server name").isInstanceOf(UncheckedIOException.class);

        // Caddy's redirect keeps host, path and query; it leaves out a non-default HTTPS port (Caddy's own rule).
        RawResponse own = plain.exchange("GET /p/a?q=1&r=two HTTP/1.1\r\nHost: www.app.test:" + httpPort
            + "\r\nConnection: close\r\n\r\n");
        assertThat(own.status()).as(own.toString()).isEqualTo(308);
        URI location = URI.create(own.header("Location"));
        assertThat(location.getHost()).isEqualTo("www.app.test");
        assertThat(location.getRawPath() + "?" + location.getRawQuery()).isEqualTo("/p/a?q=1&r=two");
        RawResponse echo = tls.exchange("GET /echo/ HTTP/1.1\r\nHost: app.test:" + httpsPort
            + "\r\nConnection: close\r\n\r\n");
        assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
        assertThat(JSON.readTree(echo.body()).get("host").asText()).isEqualTo("app.test:" + httpsPort);
        assertThat(app.log()).as("no foreign Host reached Gunicorn").doesNotContain("foreign-host");
      }
    }
  }

  private static boolean servesOverTls(int httpsPort, Path root) {
    if (!Files.exists(root)) {
      return false;
    }
    try {
      return RawHttp.tls(httpsPort, "app.test", root).exchange(RawHttp.get("app.test", "/echo/")).status() > 0;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** A GET of {@link #FOREIGN_PATH} with this Host header, none when {@code host} is null. */
  private static String request(String version, String host) {
    return "GET " + FOREIGN_PATH + " " + version + "\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
        + "Connection: close\r\n\r\n";
  }
}
