package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class ClientHelloTest {

  /** The ClientHello body a real client (the JDK's) sends: record and handshake headers removed. */
  static ByteBuf helloFrom(String sni, String... alpn) throws Exception {
    ByteBuf record = helloRecord(sni, alpn);
    return record.slice(5 + 4, record.readableBytes() - 9);
  }

  /** The whole ClientHello record a real client (the JDK's) sends. */
  static ByteBuf helloRecord(String sni, String... alpn) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    SSLEngine engine = context.createSSLEngine(sni == null ? null : sni, 443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    if (sni != null) {
      parameters.setServerNames(List.of(new SNIHostName(sni)));
    }
    parameters.setApplicationProtocols(alpn);
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    return Unpooled.wrappedBuffer(out);
  }

  @Test
  void readsSniAndAlpnOfARealHello() throws Exception {
    ClientHello hello = ClientHello.parse(helloFrom("App.Test", "h2", "http/1.1"));

    assertThat(hello.serverName()).contains("app.test");
    assertThat(hello.alpnProtocols()).containsExactly("h2", "http/1.1");
    assertThat(hello.isAcmeTlsAlpn()).isFalse();
  }

  @Test
  void recognisesAnAcmeTlsAlpnValidator() throws Exception {
    assertThat(ClientHello.parse(helloFrom("app.test", "acme-tls/1")).isAcmeTlsAlpn()).isTrue();
    assertThat(ClientHello.parse(helloFrom("app.test", "acme-tls/1", "http/1.1")).isAcmeTlsAlpn()).isFalse();
  }

  @Test
  void helloWithoutExtensionsOrTruncatedYieldsNothing() throws Exception {
    ByteBuf hello = helloFrom(null);
    assertThat(ClientHello.parse(hello).serverName()).isEmpty();
    assertThat(ClientHello.parse(hello.slice(0, 60))).isEqualTo(ClientHello.EMPTY);
    assertThat(ClientHello.parse(null)).isEqualTo(ClientHello.EMPTY);
  }
}
