package dev.gatehouse.certs;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A leaf certificate with its chain (leaf first, then intermediates; an ACME chain has no root, the local
 * CA's ends with its root, see {@code LocalCaIssuer}) and its private key. Immutable; what the SNI map hands
 * to the TLS layer and what storage reads and writes.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey privateKey) {

  public CertifiedKey {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least the leaf");
    }
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  public Duration lifetime() {
    return Duration.between(notBefore(), notAfter());
  }

  /** The serial number in hex, as {@code openssl x509 -serial} prints it. */
  public String serialHex() {
    return leaf().getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
  }

  /** DNS names and IP addresses of the subjectAltName extension, lower-case. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    try {
      var sans = leaf().getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == 2 || type == 7) {
            names.add(san.get(1).toString().toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new IllegalStateException("unreadable subjectAltName in " + leaf().getSubjectX500Principal(), e);
    }
    return names;
  }

  /** Whether every one of {@code wanted} is in the certificate's names. */
  public boolean covers(List<String> wanted) {
    return names().containsAll(wanted);
  }
}
