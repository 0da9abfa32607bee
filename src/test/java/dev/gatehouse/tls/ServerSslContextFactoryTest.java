package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ServerSslContextFactoryTest {

  private static final TestCert ROOT = TestCerts.ca("test root");
  private static final TestCert INTERMEDIATE = TestCerts.forNames("intermediate.test").commonName("test intermediate").asCa().signedBy(ROOT).issue();

  /** Two suites Mozilla intermediate lists in the order AES, then ChaCha20. */
  private static final String CHACHA20 = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
  private static final String AES_128_GCM = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

  static List<Arguments> providersKeysAndVersions() {
    return List.of(
        Arguments.of(SslProvider.OPENSSL_REFCNT, TestCerts.KeyType.EC_P256, "TLSv1.3"),
        Arguments.of(SslProvider.OPENSSL_REFCNT, TestCerts.KeyType.EC_P256, "TLSv1.2"),
        Arguments.of(SslProvider.OPENSSL_REFCNT, TestCerts.KeyType.RSA_2048, "TLSv1.3"),
        Arguments.of(SslProvider.OPENSSL_REFCNT, TestCerts.KeyType.RSA_2048, "TLSv1.2"),
        Arguments.of(SslProvider.JDK, TestCerts.KeyType.EC_P256, "TLSv1.3"),
        Arguments.of(SslProvider.JDK, TestCerts.KeyType.RSA_2048, "TLSv1.2"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("providersKeysAndVersions")
  void clientsGetTheChainAndAlpnOfTheCertifiedKey(SslProvider provider, TestCerts.KeyType keyType, String version)
      throws Exception {
    TestCert leaf = TestCerts.forNames("app.test").keyType(keyType).signedBy(INTERMEDIATE).issue();
    SslContext context =
        new ServerSslContextFactory(provider).forHttps(new CertifiedKey(leaf.chain(), leaf.keyPair().getPrivate()));
    try {
      for (int connection = 0; connection < 2; connection++) {
        SSLSession session = handshake(context, version, "h2", "http/1.1");

        assertThat(session.getProtocol()).isEqualTo(version);
        assertThat(List.of(session.getPeerCertificates()))
            .containsExactly(leaf.certificate(), INTERMEDIATE.certificate());
      }
    } finally {
      ReferenceCountUtil.release(context);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = SslProvider.class, names = {"OPENSSL_REFCNT", "JDK"})
  void theClientsCipherPreferenceWins(SslProvider provider) throws Exception {
    TestCert leaf = TestCerts.forNames("app.test").keyType(TestCerts.KeyType.EC_P256).signedBy(INTERMEDIATE).issue();
    SslContext context =
        new ServerSslContextFactory(provider).forHttps(new CertifiedKey(leaf.chain(), leaf.keyPair().getPrivate()));
    try {
      for (String first : List.of(CHACHA20, AES_128_GCM)) {
        String second = first.equals(CHACHA20) ? AES_128_GCM : CHACHA20;

        SSLSession session = handshake(context, "TLSv1.2", List.of(first, second), "h2");

        assertThat(session.getCipherSuite()).isEqualTo(first);
      }
    } finally {
      ReferenceCountUtil.release(context);
    }
  }

  private static SSLSession handshake(SslContext context, String version, String... alpn) throws Exception {
    return handshake(context, version, List.of(), alpn);
  }

  /**
   * A TLS handshake in memory between a server engine of {@code context}, set up as Gatehouse sets up its
   * engines, and a JDK client trusting ROOT that offers {@code ciphers} in that order (its defaults if none).
   */
  private static SSLSession handshake(SslContext context, String version, List<String> ciphers, String... alpn)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ROOT.certificate());
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, trustManagers.getTrustManagers(), null);
    SSLEngine client = clientContext.createSSLEngine("app.test", 443);
    client.setUseClientMode(true);
    SSLParameters parameters = client.getSSLParameters();
    parameters.setProtocols(new String[] {version});
    parameters.setApplicationProtocols(alpn);
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!ciphers.isEmpty()) {
      parameters.setCipherSuites(ciphers.toArray(new String[0]));
    }
    client.setSSLParameters(parameters);
    SSLEngine server = context.newEngine(ByteBufAllocator.DEFAULT);
    ServerSslContextFactory.useClientCipherOrder(server);
    try {
      ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
      ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
      ByteBuffer appIn = ByteBuffer.allocate(1 << 16);
      ByteBuffer empty = ByteBuffer.allocate(0);
      client.beginHandshake();
      server.beginHandshake();
      for (int step = 0; step < 100 && !(finished(client) && finished(server)); step++) {
        pump(client, empty, toServer, appIn);
        toServer.flip();
        pump(server, toServer, toClient, appIn);
        toServer.compact();
        toClient.flip();
        pump(client, toClient, toServer, appIn);
        toClient.compact();
      }
      assertThat(finished(client) && finished(server))
          .as("handshake finished: client " + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus())
          .isTrue();
      assertThat(client.getApplicationProtocol()).isEqualTo(alpn[0]);
      return client.getSession();
    } finally {
      ReferenceCountUtil.release(server);
    }
  }

  private static boolean finished(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  /** Lets {@code engine} consume {@code in}, run its tasks and write what it has to send into {@code out}. */
  private static void pump(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer appIn) throws Exception {
    for (int i = 0; i < 10; i++) {
      if (in.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
        engine.unwrap(in, appIn);
      }
      Runnable task;
      while ((task = engine.getDelegatedTask()) != null) {
        task.run();
      }
      if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
        engine.wrap(ByteBuffer.allocate(0), out);
      } else if (engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK && !in.hasRemaining()) {
        return;
      }
    }
  }

}
