package dev.gatehouse.audit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostResolverTest {
  @Test
  void overridesWinWhateverTheCaseOfTheName() throws UnknownHostException {
    InetAddress loopback = HostResolver.parseAddress("127.0.0.1");
    HostResolver resolver = new HostResolver(Map.of("shop.example.test", loopback));

    assertThat(resolver.resolve("SHOP.example.test")).isEqualTo(loopback);
    assertThat(resolver.resolve("Shop.Example.Test")).isEqualTo(loopback);
  }

  @Test
  void parsesIpLiteralsOnly() {
    assertThat(HostResolver.parseAddress("[::1]").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(HostResolver.parseAddress("::1").isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> HostResolver.parseAddress("localhost")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'localhost' is not an IP address");
  }

  @Test
  void ipLiteralsGetNoSni() {
    assertThat(HostResolver.isIpLiteral("10.0.0.1")).isTrue();
    assertThat(HostResolver.isIpLiteral("::1")).isTrue();
    assertThat(HostResolver.isIpLiteral("example.test")).isFalse();
  }
}
