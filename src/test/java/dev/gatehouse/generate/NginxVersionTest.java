package dev.gatehouse.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;

class NginxVersionTest {

  @Test
  void readsTheOutputOfNginxDashV() throws Exception {
    assertThat(NginxVersion.parse("nginx -v", "nginx version: nginx/1.22.1\n")).isEqualTo(new NginxVersion(1, 22, 1));
    assertThat(NginxVersion.parse("--nginx-version", "1.25")).isEqualTo(new NginxVersion(1, 25, 0));
  }

  @Test
  void http2DirectiveFrom1251On() throws Exception {
    assertThat(NginxVersion.parse("v", "1.25.0").hasHttp2Directive()).isFalse();
    assertThat(NginxVersion.parse("v", "1.25.1").hasHttp2Directive()).isTrue();
    assertThat(NginxVersion.parse("v", "1.27.4").hasHttp2Directive()).isTrue();
    assertThat(NginxVersion.DEFAULT.hasHttp2Directive()).isFalse();
  }

  @Test
  void garbageNamesTheSource() {
    assertThatThrownBy(() -> NginxVersion.parse("--nginx-version", "new"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--nginx-version: 'new' is not valid (expected: an nginx version such as 1.22.1)");
  }
}
