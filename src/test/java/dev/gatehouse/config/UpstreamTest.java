package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UpstreamTest {

  @Test
  void gunicornUnixSocket() throws Exception {
    assertThat(Upstream.parse("--upstream", "unix:/run/gunicorn.sock"))
        .isEqualTo(new Upstream.UnixSocket(Path.of("/run/gunicorn.sock")));
  }

  @Test
  void uvicornTcpWithAndWithoutScheme() throws Exception {
    assertThat(Upstream.parse("--upstream", "127.0.0.1:8000")).isEqualTo(new Upstream.Tcp("127.0.0.1", 8000));
    assertThat(Upstream.parse("--upstream", "http://localhost:8001/"))
        .isEqualTo(new Upstream.Tcp("localhost", 8001));
    assertThat(Upstream.parse("--upstream", "[::1]:8000")).isEqualTo(new Upstream.Tcp("::1", 8000));
  }

  @Test
  void specRoundTrips() throws Exception {
    for (String s : new String[] {"unix:/run/g.sock", "127.0.0.1:8000", "[::1]:9000"}) {
      assertThat(Upstream.parse("x", s).spec()).isEqualTo(s);
    }
  }

  @Test
  void malformedValuesNameTheFlagAndTheValidForms() {
    for (String bad : new String[] {"unix:", "unix:relative.sock", "8000", "host:", "host:99999", "https://a:1", "a:b:c"}) {
      assertThatThrownBy(() -> Upstream.parse("--upstream", bad))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("--upstream: '" + bad + "'")
          .hasMessageContaining("expected:");
    }
  }
}
