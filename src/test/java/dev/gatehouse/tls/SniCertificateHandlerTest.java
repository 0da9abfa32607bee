package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SniCertificateHandlerTest {

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
}
