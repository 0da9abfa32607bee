package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeConfigBuilderTest {

  @TempDir Path tmp;

  private static ServeConfigBuilder.SiteSpec site(String... names) {
    return new ServeConfigBuilder.SiteSpec(
        List.of(names), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), "DOMAIN");
  }

  @Test
  void localhostDefaultsToTheLocalCaAndPublicNamesToAcme() throws Exception {
    ServeConfig config =
        new ServeConfigBuilder().site(site("localhost")).site(site("Example.COM.", "www.example.com")).build();
    assertThat(config.sites().get(0).certificate()).isInstanceOf(CertificateSource.LocalCa.class);
    assertThat(config.sites().get(1).certificate()).isInstanceOf(CertificateSource.Acme.class);
    assertThat(config.sites().get(1).names()).containsExactly("example.com", "www.example.com");
    assertThat(config.acme().directory()).isEqualTo(AcmeSettings.LETSENCRYPT);
  }

  @Test
  void defaultsAreTheDocumentedOnes() throws Exception {
    ServeConfig config = new ServeConfigBuilder().site(site("localhost")).build();
    assertThat(config.httpPort()).isEqualTo(80);
    assertThat(config.httpsPort()).isEqualTo(443);
    assertThat(config.hsts().mode()).isEqualTo(HstsPolicy.Mode.RAMP);
    assertThat(config.limits().maxBodyBytes()).isEqualTo(20L << 20);
    assertThat(config.redirectStatusFor("GET")).isEqualTo(301);
    assertThat(config.redirectStatusFor("HEAD")).isEqualTo(301);
    assertThat(config.redirectStatusFor("POST")).isEqualTo(308);
  }

  @Test
  void forcedRedirectStatusAppliesToEveryMethod() throws Exception {
    ServeConfig config =
        new ServeConfigBuilder().site(site("localhost")).redirectStatus("--redirect-status", "308").build();
    assertThat(config.redirectStatusFor("GET")).isEqualTo(308);
    assertThatThrownBy(() -> new ServeConfigBuilder().redirectStatus("--redirect-status", "302"))
        .hasMessage("--redirect-status: '302' is not valid (expected: 301 or 308)");
  }

  @Test
  void clientTimeoutsConnectionCapAndBufferingAreSettable() throws Exception {
    ServeConfig config = new ServeConfigBuilder().site(site("localhost"))
        .clientTimeout("--header-read-timeout", "header_read_timeout", "3s")
        .clientTimeout("--write-timeout", "write_timeout", "0s")
        .maxConnectionsPerIp("--max-connections-per-ip", "50")
        .bufferRequests(false)
        .build();
    assertThat(config.limits().headerReadTimeout()).hasSeconds(3);
    assertThat(config.limits().writeTimeout()).isZero();
    assertThat(config.limits().bodyIdleTimeout()).isEqualTo(Limits.DEFAULT_BODY_IDLE_TIMEOUT);
    assertThat(config.limits().maxConnectionsPerIp()).isEqualTo(50);
    assertThat(config.limits().bufferRequestBodies()).isFalse();
    assertThatThrownBy(() -> new ServeConfigBuilder().maxConnectionsPerIp("--max-connections-per-ip", "-1"))
        .hasMessage("--max-connections-per-ip: '-1' is not valid (expected: a whole number of connections, 0 for no cap)");
  }

  @Test
  void everyClientTimeoutRefusesNegativeAndUnparsableValuesNamingTheFlag() {
    for (String name : Limits.TIMEOUT_NAMES) {
      String flag = "--" + name.replace('_', '-');
      for (String bad : List.of("-1s", "-250ms", "10", "ten", "5 s", "1d", "", "9999999999999999h", "8761h")) {
        assertThatThrownBy(() -> new ServeConfigBuilder().clientTimeout(flag, name, bad))
            .as("%s %s", flag, bad)
            .isInstanceOf(ConfigException.class)
            .hasMessage(flag + ": '" + bad + "' is not valid (expected: a duration from 0s to 8760h such as 250ms, "
                + "30s, 5m or 1h; 0s turns it off)");
      }
    }
  }

  @Test
  void clientTimeoutsTakeZeroAsOffAndUpToAYear() throws Exception {
    Limits limits = new ServeConfigBuilder().site(site("localhost"))
        .clientTimeout("--tls-handshake-timeout", "tls_handshake_timeout", "0ms")
        .clientTimeout("--keep-alive-timeout", "keep_alive_timeout", "8760h")
        .clientTimeout("--body-idle-timeout", "body_idle_timeout", " 250MS ")
        .build().limits();
    assertThat(limits.tlsHandshakeTimeout()).isZero();
    assertThat(limits.keepAliveTimeout()).hasDays(365);
    assertThat(limits.bodyIdleTimeout()).hasMillis(250);
  }

  @Test
  void upstreamTimeoutMustBePositive() throws Exception {
    for (String bad : List.of("0s", "0ms", "-1s", "1x", "8761h")) {
      assertThatThrownBy(() -> new ServeConfigBuilder().upstreamTimeout("--upstream-timeout", bad))
          .as(bad)
          .hasMessage("--upstream-timeout: '" + bad + "' is not valid (expected: a duration from 1ms to 8760h such as "
              + "250ms, 30s, 5m or 1h)");
    }
    assertThat(new ServeConfigBuilder().site(site("localhost")).upstreamTimeout("--upstream-timeout", "1ms").build()
        .limits().upstreamResponseTimeout()).hasMillis(1);
  }

  @Test
  void streamedPrefixesMatchWholeSegmentsAndLeaveOtherPathsBuffered() throws Exception {
    Limits limits = new ServeConfigBuilder().site(site("localhost"))
        .streamRequests("--stream-requests", "/api/upload/")
        .streamRequests("--stream-requests", "/events")
        .streamRequests("--stream-requests", "/events/")
        .build().limits();
    assertThat(limits.streamedPrefixes()).extracting(StreamedPrefix::path)
        .containsExactly("/api/upload", "/events");
    assertThat(limits.buffersBodyFor("/api/upload")).isFalse();
    assertThat(limits.buffersBodyFor("/api/upload/big")).isFalse();
    assertThat(limits.buffersBodyFor("/events/1")).isFalse();
    assertThat(limits.buffersBodyFor("/api/uploads")).isTrue();
    assertThat(limits.buffersBodyFor("/api/%75pload/big")).as("decoded differently by the app: buffered").isTrue();
    assertThat(limits.buffersBodyFor("/admin/")).isTrue();
    assertThat(new ServeConfigBuilder().site(site("localhost")).streamRequests("--stream-requests", "/").build()
        .limits().buffersBodyFor("/anything")).isFalse();
    assertThat(new ServeConfigBuilder().site(site("localhost")).bufferRequests(false).build()
        .limits().buffersBodyFor("/admin/")).isFalse();
  }

  @Test
  void aStreamedPrefixMustBeAPath() {
    for (String bad : List.of("api/upload", "/a/../b", "/upload?x=1", "/a b", "")) {
      assertThatThrownBy(() -> new ServeConfigBuilder().streamRequests("--stream-requests", bad))
          .isInstanceOf(ConfigException.class)
          .hasMessage("--stream-requests: '" + bad + "' is not valid (expected: " + StreamedPrefix.EXPECTED + ")");
    }
  }

  @Test
  void aNameInTwoSitesIsRefused() {
    assertThatThrownBy(() -> new ServeConfigBuilder().site(site("a.example")).site(site("A.example")).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'a.example' is already a name of");
  }

  @Test
  void missingStaticDirectoryIsAStartupError() {
    var spec =
        new ServeConfigBuilder.SiteSpec(
            List.of("localhost"), Optional.empty(), List.of("/static/=" + tmp.resolve("nope")), Optional.empty(),
            Optional.empty(), Optional.empty(), ServeConfigBuilder.SiteSpec.FLAGS);
    assertThatThrownBy(() -> new ServeConfigBuilder().site(spec).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--static: directory").hasMessageContaining("does not exist");
  }

  @Test
  void staticPrefixGetsItsTrailingSlash() throws Exception {
    Files.createDirectories(tmp.resolve("s"));
    var spec =
        new ServeConfigBuilder.SiteSpec(
            List.of("localhost"), Optional.of("unix:/run/g.sock"), List.of("/static=" + tmp.resolve("s")),
            Optional.empty(), Optional.empty(), Optional.empty(), "DOMAIN");
    SiteConfig s = new ServeConfigBuilder().site(spec).build().sites().get(0);
    assertThat(s.statics().get(0).prefix()).isEqualTo("/static/");
    assertThat(s.upstream()).contains(new Upstream.UnixSocket(Path.of("/run/g.sock")));
  }

  @Test
  void publicCaCannotCertifyLocalhost() {
    assertThatThrownBy(
            () -> new ServeConfigBuilder().ca("--ca", "letsencrypt").site(site("app.example", "localhost")).build())
        .hasMessageContaining("no public CA certifies 'localhost'");
  }

  @Test
  void wildcardNeedsADnsHook() {
    assertThatThrownBy(() -> new ServeConfigBuilder().site(site("*.example.com")).build())
        .hasMessageContaining("--dns-hook");
  }

  @Test
  void hstsPreloadNeedsSubdomainsAndAYear() {
    assertThatThrownBy(
            () -> new ServeConfigBuilder().site(site("localhost")).hsts("--hsts", "300").hstsPreload(true)
                .hstsIncludeSubdomains(true).build())
        .hasMessageContaining("at least 31536000");
    assertThatThrownBy(
            () -> new ServeConfigBuilder().site(site("localhost")).hstsPreload(true).build())
        .hasMessageContaining("--hsts-include-subdomains");
    assertThatThrownBy(() -> new ServeConfigBuilder().site(site("localhost")).hsts("--hsts", "forever").build())
        .hasMessage("--hsts: 'forever' is not valid (expected: off, ramp or a number of seconds)");
  }

  @Test
  void badNamesAndPortsNameTheirFlag() {
    assertThatThrownBy(() -> new ServeConfigBuilder().site(site("exa mple.com")).build())
        .hasMessageStartingWith("DOMAIN: 'exa mple.com'");
    assertThatThrownBy(() -> new ServeConfigBuilder().httpsPort("--https-port", "70000"))
        .hasMessage("--https-port: '70000' is not valid (expected: a port from 0 to 65535)");
    assertThatThrownBy(
            () -> new ServeConfigBuilder().site(site("localhost")).httpPort("--http-port", "8443")
                .httpsPort("--https-port", "8443").build())
        .hasMessageContaining("two different ports");
  }

  @Test
  void providedCertificateNeedsBothFiles() throws Exception {
    Path cert = Files.writeString(tmp.resolve("c.pem"), "x");
    var spec =
        new ServeConfigBuilder.SiteSpec(
            List.of("app.example"), Optional.empty(), List.of(), Optional.empty(), Optional.of(cert),
            Optional.empty(), ServeConfigBuilder.SiteSpec.FLAGS);
    assertThatThrownBy(() -> new ServeConfigBuilder().site(spec).build())
        .hasMessageStartingWith("--tls-cert: ").hasMessageContaining("go together");
  }

  @Test
  void trustedProxyCidrsMatchAddresses() throws Exception {
    Cidr net = Cidr.parse("--trusted-proxy", "10.1.0.0/16");
    assertThat(net.contains(java.net.InetAddress.getByName("10.1.200.3"))).isTrue();
    assertThat(net.contains(java.net.InetAddress.getByName("10.2.0.1"))).isFalse();
    assertThat(Cidr.parse("x", "::1").contains(java.net.InetAddress.getByName("::1"))).isTrue();
    assertThatThrownBy(() -> Cidr.parse("--trusted-proxy", "10.0.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Cidr.parse("--trusted-proxy", "proxy.example")).hasMessageContaining("CIDR");
  }

  @Test
  void sizes() throws Exception {
    assertThat(ByteSize.parse("--max-body", "20M")).isEqualTo(20L << 20);
    assertThat(ByteSize.parse("--max-body", "512k")).isEqualTo(512L << 10);
    assertThat(ByteSize.parse("--max-body", "100")).isEqualTo(100);
    assertThatThrownBy(() -> ByteSize.parse("--max-body", "lots")).hasMessageStartingWith("--max-body: 'lots'");
  }
}
