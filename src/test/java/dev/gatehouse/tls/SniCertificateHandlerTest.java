package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SniCertificateHandlerTest {

  private final CertificateCache cache = new CertificateCache();
  private CertificateSelector selector;
  private ReferenceCounted context;

  @BeforeEach
  void serveAppTest() throws Exception {
    TestCert cert = TestCerts.forNames("app.test").issue();
    cache.put(List.of("app.test"), new CertifiedKey(cert.chain(), cert.keyPair().getPrivate()));
    selector =
        new CertificateSelector(cache, new ChallengeResponses(), Optional::empty, new ServerSslContextFactory());
    SslContext selected =
        selector.select(new ClientHello(Optional.of("app.test"), List.of()), ImmediateEventExecutor.INSTANCE).get();
    ReferenceCountUtil.release(selected);
    context = (ReferenceCounted) selected;
  }

  @AfterEach
  void close() {
    selector.close();
  }

  @Test
  void theConnectionHoldsItsContextUntilItCloses() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new SniCertificateHandler(selector, Duration.ofSeconds(10)));

    channel.writeInbound(Unpooled.wrappedBuffer(clientHello("app.test")));

    assertThat(channel.pipeline().get(SslHandler.class)).isNotNull();
    assertThat(context.refCnt()).as("the selector's reference and the connection's engine").isEqualTo(2);
    channel.finishAndReleaseAll();
    assertThat(context.refCnt()).as("the engine is freed with the connection").isEqualTo(1);
  }

  @Test
  void anUnknownNameGetsAnAlertAndTakesNoReference() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new SniCertificateHandler(selector, Duration.ofSeconds(10)));

    channel.writeInbound(Unpooled.wrappedBuffer(clientHello("evil.example")));

    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.pipeline().get(SslHandler.class)).isNull();
    assertThat(context.refCnt()).isEqualTo(1);
    channel.finishAndReleaseAll();
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
      channel.writeInbound(ClientHelloTest.helloRecord("app.test", "acme-tls/1"));
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

  /** The first flight of a JDK TLS client asking for {@code serverName}. */
  private static ByteBuffer clientHello(String serverName) throws Exception {
    SSLEngine client = SSLContext.getDefault().createSSLEngine(serverName, 443);
    client.setUseClientMode(true);
    SSLParameters parameters = client.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(serverName)));
    client.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
    client.wrap(ByteBuffer.allocate(0), out);
    return out.flip();
  }
}
