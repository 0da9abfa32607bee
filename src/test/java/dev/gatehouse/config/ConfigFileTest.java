package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

  @TempDir Path tmp;

  private ServeConfig load(String toml) throws Exception {
    Path file = Files.writeString(tmp.resolve("gatehouse.toml"), toml);
    ServeConfigBuilder builder = new ServeConfigBuilder();
    ConfigFile.read(file).applyTo(builder);
    return builder.build();
  }

  @Test
  void severalSitesWithTheirOwnUpstreamsAndStatics() throws Exception {
    Files.createDirectories(tmp.resolve("static"));
    ServeConfig c =
        load(
            """
            https_port = 8443
            http_port = 8080
            hsts = 300
            trusted_proxies = ["10.0.0.0/8"]
            access_log = "off"

            [acme]
            ca = "https://acme.example/directory"
            email = "ops@example.com"
            key_type = "rsa2048"

            [[site]]
            names = ["example.com", "www.example.com"]
            upstream = "unix:/run/gunicorn.sock"
            static = ["/static/=static"]

            [[site]]
            names = ["localhost"]
            upstream = "127.0.0.1:8000"
            """);
    assertThat(c.httpsPort()).isEqualTo(8443);
    assertThat(c.hsts()).isEqualTo(new HstsPolicy(HstsPolicy.Mode.FIXED, 300, false, false));
    assertThat(c.sites()).hasSize(2);
    assertThat(c.sites().get(0).certificate()).isInstanceOf(CertificateSource.Acme.class);
    assertThat(c.sites().get(0).statics().get(0).directory()).isEqualTo(tmp.resolve("static"));
    assertThat(c.sites().get(1).certificate()).isInstanceOf(CertificateSource.LocalCa.class);
    assertThat(c.acme().directory().toString()).isEqualTo("https://acme.example/directory");
    assertThat(c.acme().keyType()).isEqualTo(KeyType.RSA2048);
    assertThat(c.accessLog()).isInstanceOf(AccessLog.Off.class);
    assertThat(c.siteFor("www.example.com")).contains(c.sites().get(0));
    assertThat(c.siteFor("other.example")).isEmpty();
  }

  @Test
  void clientLimitsFromTheFile() throws Exception {
    ServeConfig config = load("""
        header_read_timeout = "5s"
        keep_alive_timeout = "30s"
        max_connections_per_ip = 64
        buffer_requests = false
        [[site]]
        names = ["localhost"]
        """);
    assertThat(config.limits().headerReadTimeout()).hasSeconds(5);
    assertThat(config.limits().keepAliveTimeout()).hasSeconds(30);
    assertThat(config.limits().maxConnectionsPerIp()).isEqualTo(64);
    assertThat(config.limits().bufferRequestBodies()).isFalse();
  }

  @Test
  void negativeOrZeroDurationsInTheFileAreNamedByFileAndKey() {
    assertThatThrownBy(() -> load("tls_handshake_timeout = \"-1s\"\n[[site]]\nnames = [\"localhost\"]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("gatehouse.toml: tls_handshake_timeout: '-1s' is not valid (expected: a duration from "
            + "0s to 8760h such as 250ms, 30s, 5m or 1h; 0s turns it off)");
    assertThatThrownBy(() -> load("upstream_timeout = \"0s\"\n[[site]]\nnames = [\"localhost\"]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("gatehouse.toml: upstream_timeout: '0s' is not valid (expected: a duration from "
            + "1ms to 8760h such as 250ms, 30s, 5m or 1h)");
  }

  @Test
  void streamedPrefixesFromTheFileAndFlagsAddUp() throws Exception {
    ServeConfigBuilder builder = new ServeConfigBuilder();
    Path file = tmp.resolve("stream.toml");
    Files.writeString(file, "stream_requests = [\"/api/upload/\", \"/events\"]\n[[site]]\nnames = [\"localhost\"]\n");
    ConfigFile.read(file).applyTo(builder);
    builder.streamRequests("--stream-requests", "/ws-upload");
    assertThat(builder.build().limits().streamedPrefixes()).extracting(StreamedPrefix::path)
        .containsExactly("/api/upload", "/events", "/ws-upload");
    assertThatThrownBy(() -> load("stream_requests = \"upload\"\n[[site]]\nnames = [\"localhost\"]\n"))
        .hasMessageEndingWith("gatehouse.toml: stream_requests: 'upload' is not valid (expected: "
            + StreamedPrefix.EXPECTED + ")");
  }

  @Test
  void unknownKeyIsNamedWithTheValidOnes() {
    assertThatThrownBy(() -> load("[[site]]\nnames = [\"localhost\"]\nupstreams = \"x\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'upstreams' in [[site]] #1")
        .hasMessageContaining("upstream");
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    assertThatThrownBy(() -> load("http_port = 80\nhsts = [\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gatehouse.toml line")
        .hasMessageContaining("not valid TOML");
  }

  @Test
  void wrongTypeIsNamed() {
    assertThatThrownBy(() -> load("bind = 5\n[[site]]\nnames = \"localhost\"\n"))
        .hasMessageContaining("bind: expected a string");
  }
}
