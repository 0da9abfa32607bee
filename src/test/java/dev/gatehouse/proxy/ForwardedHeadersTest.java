package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Cidr;
import dev.gatehouse.config.ConfigException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

  private static HttpHeaders spoofed() {
    return new DefaultHttpHeaders()
        .add("Host", "app.test:8443")
        .add("X-Forwarded-For", "6.6.6.6")
        .add("X-Forwarded-For", "7.7.7.7")
        .add("X-Forwarded-Proto", "http")
        .add("X-Forwarded-Host", "evil.example")
        .add("X-Forwarded-Port", "80")
        .add("X-Real-IP", "6.6.6.6")
        .add("Forwarded", "for=6.6.6.6;proto=http")
        .add("X-Forwarded-Ssl", "off")
        .add("X-Forwarded-Protocol", "ssl")
        .add("X-Forwarded-Scheme", "http")
        .add("Cookie", "a=b");
  }

  /** The client's fields as the upstream gets them: those not replaced, then the proxy's own. */
  private static HttpHeaders forwarded(
      HttpHeaders client, InetAddress peer, String authority, int localPort, List<Cidr> trusted) {
    boolean trustedPeer = ForwardedHeaders.isTrusted(peer, trusted);
    HttpHeaders upstream = new DefaultHttpHeaders();
    client.forEach(field -> {
      if (!ForwardedHeaders.isReplaced(field.getKey(), trustedPeer)) {
        upstream.add(field.getKey(), field.getValue());
      }
    });
    ForwardedHeaders.add(upstream, client, ForwardedHeaders.Client.of(peer, localPort), authority, trusted);
    return upstream;
  }

  @Test
  void untrustedPeerCannotSupplyAnyForwardingHeader() throws Exception {
    HttpHeaders h = spoofed();

    h = forwarded(h, InetAddress.getByName("203.0.113.9"), "app.test:8443", 8443, List.of());

    assertThat(h.getAll("X-Forwarded-For")).containsExactly("203.0.113.9");
    assertThat(h.getAll("X-Real-IP")).containsExactly("203.0.113.9");
    assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("https");
    assertThat(h.getAll("X-Forwarded-Host")).containsExactly("app.test:8443");
    assertThat(h.getAll("X-Forwarded-Port")).containsExactly("8443");
    assertThat(h.contains("Forwarded")).isFalse();
    assertThat(h.contains("X-Forwarded-Ssl")).isFalse();
    assertThat(h.contains("X-Forwarded-Protocol")).isFalse();
    assertThat(h.contains("X-Forwarded-Scheme")).isFalse();
    assertThat(h.get("Cookie")).isEqualTo("a=b");
  }

  @Test
  void trustedProxyChainIsExtendedAndTheClientBehindItIsTheRealIp() throws Exception {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("X-Forwarded-For", "198.51.100.7, 10.0.0.5")
            .add("X-Forwarded-Proto", "https")
            .add("X-Forwarded-Host", "app.test")
            .add("Forwarded", "for=198.51.100.7");
    List<Cidr> trusted = List.of(Cidr.parse("test", "10.0.0.0/8"));

    h = forwarded(h, InetAddress.getByName("10.0.0.9"), "app.test", 443, trusted);

    assertThat(h.getAll("X-Forwarded-For")).containsExactly("198.51.100.7, 10.0.0.5, 10.0.0.9");
    assertThat(h.getAll("X-Real-IP")).containsExactly("198.51.100.7");
    assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("https");
    assertThat(h.getAll("X-Forwarded-Host")).containsExactly("app.test");
    assertThat(h.getAll("X-Forwarded-Port")).containsExactly("443");
    assertThat(h.get("Forwarded")).isEqualTo("for=198.51.100.7");
  }

  @Test
  void trustedProxySendingTwoProtoValuesStillYieldsExactlyOne() throws Exception {
    HttpHeaders h = new DefaultHttpHeaders().add("X-Forwarded-Proto", "https").add("X-Forwarded-Proto", "http");

    h = forwarded(h, InetAddress.getByName("10.0.0.9"), "app.test", 443, List.of(Cidr.parse("t", "10.0.0.0/8")));

    assertThat(h.getAll("X-Forwarded-Proto")).containsExactly("https");
  }

  @Test
  void peerOutsideTheTrustedRangeIsUntrusted() throws ConfigException, Exception {
    HttpHeaders h = spoofed();

    h = forwarded(h, InetAddress.getByName("192.0.2.1"), "app.test", 443, List.of(Cidr.parse("t", "10.0.0.0/8")));

    assertThat(h.getAll("X-Forwarded-For")).containsExactly("192.0.2.1");
    assertThat(h.contains("X-Forwarded-Ssl")).isFalse();
  }

  @Test
  void ipv6PeerIsWrittenInItsShortForm() throws Exception {
    HttpHeaders h = new DefaultHttpHeaders();

    h = forwarded(h, InetAddress.getByName("2001:db8:0:0:0:0:0:1"), "app.test", 443, List.of());

    assertThat(h.get("X-Forwarded-For")).isEqualTo("2001:db8::1");
  }
}
