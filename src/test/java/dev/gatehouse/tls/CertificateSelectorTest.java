package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.certs.Issuer;
import dev.gatehouse.certs.OnDemandCertificates;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CertificateSelectorTest {

  private final CertificateCache cache = new CertificateCache();
  private final ChallengeResponses challenges = new ChallengeResponses();
  private CertificateSelector selector;

  private static CertifiedKey key(String... names) {
    TestCert cert = TestCerts.forNames(names).issue();
    return new CertifiedKey(cert.chain(), cert.keyPair().getPrivate());
  }

  /** The selected context, with the reference select gave released: the selector's own keeps it alive. */
  private SslContext select(ClientHello hello) throws Exception {
    SslContext context = selectRetained(hello);
    ReferenceCountUtil.release(context);
    return context;
  }

  private SslContext selectRetained(ClientHello hello) throws Exception {
    Future<SslContext> f = selector.select(hello, ImmediateEventExecutor.INSTANCE).await();
    if (!f.isSuccess()) {
      throw (Exception) f.cause();
    }
    return f.getNow();
  }

  /** An open connection's engine and the context it holds, made as SniCertificateHandler makes them. */
  private record Connection(ReferenceCounted context, SSLEngine engine) {}

  private Connection connect(String sni) throws Exception {
    SslContext context = selectRetained(hello(sni));
    SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
    ReferenceCountUtil.release(context);
    return new Connection((ReferenceCounted) context, engine);
  }

  private static ClientHello hello(String sni, String... alpn) {
    return new ClientHello(Optional.ofNullable(sni), List.of(alpn));
  }

  @AfterEach
  void close() {
    selector.close();
  }

  @Test
  void sniPicksTheCertificateAndUnknownNamesGetNone() throws Exception {
    cache.put(List.of("app.test"), key("app.test"));
    cache.put(List.of("*.other.test"), key("*.other.test"));
    selector = new CertificateSelector(cache, challenges, () -> Optional.of("app.test"), new ServerSslContextFactory());

    SslContext app = select(hello("app.test", "h2"));
    SslContext wildcard = select(hello("x.other.test"));

    assertThat(app).isNotSameAs(wildcard);
    assertThat(app.applicationProtocolNegotiator().protocols()).containsExactly("h2", "http/1.1");
    assertThat(selector.select(hello("evil.example"), ImmediateEventExecutor.INSTANCE).await().cause())
        .isInstanceOf(NoCertificateException.class).hasMessageContaining("evil.example");
  }

  @Test
  void clientWithoutSniGetsTheDefaultSitesCertificate() throws Exception {
    cache.put(List.of("app.test"), key("app.test"));
    selector = new CertificateSelector(cache, challenges, () -> Optional.of("app.test"), new ServerSslContextFactory());

    assertThat(select(hello(null))).isSameAs(select(hello("app.test")));
  }

  @Test
  void acmeTlsAlpnProbeGetsTheChallengeCertificateOnlyWhilePending() throws Exception {
    cache.put(List.of("app.test"), key("app.test"));
    selector = new CertificateSelector(cache, challenges, Optional::empty, new ServerSslContextFactory());
    challenges.putTlsAlpn01("app.test", key("app.test"));

    SslContext challenge = select(hello("app.test", "acme-tls/1"));

    assertThat(challenge.applicationProtocolNegotiator().protocols()).containsExactly("acme-tls/1");
    assertThat(challenge).isNotSameAs(select(hello("app.test", "h2")));
    challenges.removeTlsAlpn01("app.test");
    assertThat(selector.select(hello("app.test", "acme-tls/1"), ImmediateEventExecutor.INSTANCE).await().cause())
        .isInstanceOf(NoCertificateException.class);
  }

  @Test
  void aSwapServesTheNewCertificateAndFreesTheOldContextWhenItsLastConnectionCloses() throws Exception {
    cache.put(List.of("app.test"), key("app.test"));
    selector = new CertificateSelector(cache, challenges, Optional::empty, new ServerSslContextFactory());
    Connection open = connect("app.test");

    cache.put(List.of("app.test"), key("app.test"));
    SslContext after = select(hello("app.test"));

    assertThat(after).isNotSameAs(open.context());
    assertThat(open.context().refCnt()).as("only the open connection holds the replaced context").isEqualTo(1);
    assertThat(open.engine().getUseClientMode()).isFalse();
    ReferenceCountUtil.release(open.engine());
    assertThat(open.context().refCnt()).isZero();
    assertThat(((ReferenceCounted) after).refCnt()).as("the selector still serves the new one").isEqualTo(1);
  }

  @Test
  void closingTheSelectorLeavesOpenConnectionsTheirContext() throws Exception {
    cache.put(List.of("app.test"), key("app.test"));
    selector = new CertificateSelector(cache, challenges, Optional::empty, new ServerSslContextFactory());
    Connection open = connect("app.test");

    selector.close();

    assertThat(open.context().refCnt()).isEqualTo(1);
    ReferenceCountUtil.release(open.engine());
    assertThat(open.context().refCnt()).isZero();
  }

  @Test
  void onDemandSignsAnUncoveredNameOffTheCallerAndServesItAfterwards() throws Exception {
    cache.put(List.of("localhost"), key("localhost"));
    List<String> signingThreads = new CopyOnWriteArrayList<>();
    Issuer issuer = new Issuer() {
      @Override
      public CertifiedKey issue(IssueRequest request) {
        signingThreads.add(Thread.currentThread().getName());
        return key(request.names().toArray(String[]::new));
      }

      @Override
      public String name() {
        return "test CA";
      }
    };
    selector = new CertificateSelector(cache, challenges, Optional::empty, new ServerSslContextFactory(),
        Optional.of(new OnDemandCertificates(issuer, KeyType.ECDSA_P256, cache)));

    SslContext shop = select(hello("shop.localhost"));

    assertThat(select(hello("shop.localhost"))).isSameAs(shop);
    assertThat(signingThreads).containsExactly("gatehouse-tls-contexts");
    assertThat(cache.lookup("shop.localhost").orElseThrow().names()).containsExactly("shop.localhost");
    assertThat(selector.select(hello("shop.example"), ImmediateEventExecutor.INSTANCE).await().cause())
        .isInstanceOf(NoCertificateException.class);
  }
}
