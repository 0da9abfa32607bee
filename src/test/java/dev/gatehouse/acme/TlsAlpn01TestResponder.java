package dev.gatehouse.acme;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A minimal tls-alpn-01 responder for tests, standing in for the proxy's HTTPS port: a JDK TLS listener on
 * 127.0.0.1 that selects {@code acme-tls/1} when offered and presents the challenge certificate {@link
 * ChallengeResponses#tlsAlpn01} holds for the SNI name (RFC 8737 §3). Handshakes without a pending
 * challenge fail, which is all a validation needs to see.
 */
final class TlsAlpn01TestResponder implements AutoCloseable {

  private final SSLServerSocket server;
  private final Thread acceptor;

  TlsAlpn01TestResponder(int port, ChallengeResponses responses) throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(new KeyManager[] {new ChallengeKeyManager(responses)}, null, new SecureRandom());
    server = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(port, 16, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "tls-alpn-01-test-responder");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        SSLSocket socket = (SSLSocket) server.accept();
        Thread handshake = new Thread(() -> handshake(socket), "tls-alpn-01-handshake");
        handshake.setDaemon(true);
        handshake.start();
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // one failed accept must not stop the listener
      }
    }
  }

  private static void handshake(SSLSocket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      socket.setHandshakeApplicationProtocolSelector(
          (s, offered) -> offered.contains("acme-tls/1") ? "acme-tls/1" : null);
      socket.startHandshake();
    } catch (IOException e) {
      // the validator closes the connection right after the handshake; failures are the test's to see
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** Chooses the pending challenge certificate by the SNI name of the handshake in progress. */
  private static final class ChallengeKeyManager extends X509ExtendedKeyManager {
    private final ChallengeResponses responses;

    ChallengeKeyManager(ChallengeResponses responses) {
      this.responses = responses;
    }

    private static Optional<String> sni(javax.net.ssl.SSLSession session) {
      if (session instanceof ExtendedSSLSession extended) {
        return extended.getRequestedServerNames().stream()
            .filter(SNIHostName.class::isInstance)
            .map(n -> ((SNIHostName) n).getAsciiName())
            .findFirst();
      }
      return Optional.empty();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return pending(keyType, sni(((SSLSocket) socket).getHandshakeSession()));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return pending(keyType, sni(engine.getHandshakeSession()));
    }

    /** The SNI name as alias if a challenge certificate with a key of {@code keyType} is pending for it. */
    private String pending(String keyType, Optional<String> sni) {
      return sni.filter(name -> responses.tlsAlpn01(name)
              .map(c -> c.privateKey().getAlgorithm().equals(keyType)).orElse(false))
          .orElse(null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return responses.tlsAlpn01(alias).map(CertifiedKey::chain)
          .map(chain -> chain.toArray(X509Certificate[]::new)).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return responses.tlsAlpn01(alias).map(CertifiedKey::privateKey).orElse(null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

}
