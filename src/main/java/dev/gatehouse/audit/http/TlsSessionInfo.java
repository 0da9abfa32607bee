package dev.gatehouse.audit.http;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a completed handshake showed.
 *
 * @param protocol negotiated version, e.g. {@code TLSv1.3}
 * @param cipherSuite negotiated suite, IANA name
 * @param applicationProtocol ALPN result (RFC 7301), empty when none was agreed
 * @param chain the certificates the server sent, leaf first
 */
public record TlsSessionInfo(String protocol, String cipherSuite, String applicationProtocol,
    List<X509Certificate> chain) {
  public TlsSessionInfo {
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }
}
