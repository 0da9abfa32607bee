package dev.gatehouse.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of Gatehouse's server contexts, which never ask for a client certificate (no mutual TLS:
 * the handshake sends no CertificateRequest, RFC 8446 §4.3.2), so it trusts none. Without one, Netty gives a
 * server context the JDK's default trust manager: it parses the whole system CA store and copies every CA
 * into BoringSSL as a list of acceptable client-certificate issuers that is never sent, about a fifth of a
 * second at start-up on one core (issue 6). Stateless, safe for concurrent use.
 */
final class NoClientCertificates extends X509ExtendedTrustManager {

  static final NoClientCertificates INSTANCE = new NoClientCertificates();

  private static final String REFUSED = "client certificates are not accepted (Gatehouse does not request them)";

  private NoClientCertificates() {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException(REFUSED);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException(REFUSED);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException(REFUSED);
  }

  /** A server context never checks a server's certificate. */
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a server context does not check server certificates");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
