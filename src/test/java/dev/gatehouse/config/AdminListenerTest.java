package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminListenerTest {

  @Test
  void aBarePortIsLoopbackWhateverTheProxyBindsTo() throws Exception {
    AdminListener admin = AdminListener.parse("--admin", "9180");
    assertThat(admin).isEqualTo(new AdminListener("127.0.0.1", 9180));
    assertThat(admin.isLoopback()).isTrue();
  }

  @Test
  void aPublicAddressIsTakenOnlyWhenWrittenOut() throws Exception {
    AdminListener all = AdminListener.parse("--admin", "0.0.0.0:9180");
    assertThat(all.host()).isEqualTo("0.0.0.0");
    assertThat(all.isLoopback()).isFalse();
    AdminListener v6 = AdminListener.parse("admin", "[::1]:9180");
    assertThat(v6.isLoopback()).isTrue();
    assertThat(v6.authority()).isEqualTo("[::1]:9180");
  }

  @Test
  void aHostNameOrBadPortIsOneLineNamingTheFlag() {
    assertThatThrownBy(() -> AdminListener.parse("--admin", "metrics.example.com:9180"))
        .hasMessage("--admin: 'metrics.example.com:9180' is not valid (expected: PORT (loopback) or ADDRESS:PORT"
            + " such as 127.0.0.1:9180 or [::1]:9180)");
    assertThatThrownBy(() -> AdminListener.parse("--admin", "127.0.0.1:http")).hasMessageStartingWith("--admin:");
  }

  @Test
  void theAdminPortCannotBeAPublicPort() {
    ServeConfigBuilder b = new ServeConfigBuilder();
    assertThatThrownBy(
            () -> b.httpsPort("--https-port", "8443").admin("--admin", "8443").site(
                new ServeConfigBuilder.SiteSpec(List.of("localhost"), Optional.empty(), List.of(), Optional.empty(),
                    Optional.empty(), Optional.empty(), ServeConfigBuilder.SiteSpec.FLAGS)).build())
        .hasMessageContaining("--admin: port 8443 is also a public port");
  }
}
