package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class SniCertificateHandlerTest {

  /** A whole ClientHello record as the JDK's client sends it. */
  private static byte[] helloRecord(String sni, String... alpn) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    SSLEngine engine = context.createSSLEngine(sni, 443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(sni)));
    parameters.setApplicationProtocols(alpn);
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  @Test
  void aClientThatLeavesWhileItsContextIsBuiltLeavesNoErrorBehind() throws Exception {
    ChallengeResponses challenges = new ChallengeResponses();
    TestCert cert = TestCerts.forNames("app.test").issue();
    // acme-tls/1 contexts are always built off the event loop, so the client can leave meanwhile.
    challenges.putTlsAlpn01("app.test", new CertifiedKey(cert.chain(), cert.keyPair().getPrivate()));
    CertificateSelector selector =
        new CertificateSelector(new CertificateCache(), challenges, Optional::empty, new ServerSslContextFactory());
    try {
      EmbeddedChannel channel = new EmbeddedChannel(new SniCertificateHandler(selector, Duration.ZERO));
      channel.writeInbound(Unpooled.wrappedBuffer(helloRecord("app.test", "acme-tls/1")));
      channel.close();

      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < deadline) {
        channel.runPendingTasks();
        channel.checkException();
        Thread.sleep(20);
      }
      assertThat(channel.isOpen()).isFalse();
    } finally {
      selector.close();
    }
  }
}
