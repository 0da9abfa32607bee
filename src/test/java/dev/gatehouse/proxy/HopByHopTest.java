package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopTest {

  @Test
  void removesRfc9110ListAndWhatConnectionNominates() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "keep-alive, X-Secret-Hop")
            .add("Connection", "Other-Hop")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Connection", "keep-alive")
            .add("TE", "trailers")
            .add("Transfer-Encoding", "chunked")
            .add("Upgrade", "h2c")
            .add("Proxy-Authorization", "Basic eDp5")
            .add("X-Secret-Hop", "1")
            .add("Other-Hop", "2")
            .add("Accept", "*/*");

    HopByHop.strip(h);

    assertThat(h.names()).containsExactly("Accept");
  }

  @Test
  void connectionCannotStripHostOrContentLength() {
    HttpHeaders h =
        new DefaultHttpHeaders().add("Connection", "Host, Content-Length").add("Host", "app.test").add("Content-Length", "3");

    HopByHop.strip(h);

    assertThat(h.get("Host")).isEqualTo("app.test");
    assertThat(h.get("Content-Length")).isEqualTo("3");
    assertThat(h.contains("Connection")).isFalse();
  }
}
