package dev.gatehouse.certs;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the listeners must answer while an ACME challenge is pending: the http-01 key authorization for a
 * token on port 80 (RFC 8555 §8.3) and the tls-alpn-01 certificate for a name on port 443 when the client
 * offers only the {@code acme-tls/1} protocol (RFC 8737 §3). Safe for concurrent use; lookups never block,
 * and neither do the changes, which touch memory only.
 */
public final class ChallengeResponses implements ChallengeAnswers {

  private final ConcurrentHashMap<String, String> http01 = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CertifiedKey> tlsAlpn01 = new ConcurrentHashMap<>();

  @Override
  public void putHttp01(String token, String keyAuthorization) {
    http01.put(token, keyAuthorization);
  }

  @Override
  public void removeHttp01(String token) {
    http01.remove(token);
  }

  /** The body to answer {@code GET /.well-known/acme-challenge/TOKEN} with, if that token is pending. */
  public Optional<String> http01(String token) {
    return Optional.ofNullable(http01.get(token));
  }

  @Override
  public void putTlsAlpn01(String name, CertifiedKey challengeCertificate) {
    tlsAlpn01.put(name, challengeCertificate);
  }

  @Override
  public void removeTlsAlpn01(String name) {
    tlsAlpn01.remove(name);
  }

  /** The self-signed challenge certificate with the acmeIdentifier extension for {@code name}, if pending. */
  public Optional<CertifiedKey> tlsAlpn01(String name) {
    return Optional.ofNullable(tlsAlpn01.get(name));
  }
}
