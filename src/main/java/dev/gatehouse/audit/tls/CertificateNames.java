package dev.gatehouse.audit.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The names a certificate is valid for and whether a host is one of them. Only the subjectAltName extension
 * counts: browsers ignore the subject CN (CA/Browser Forum Baseline Requirements §7.1.4.2.1, RFC 6125 §6.4.4).
 */
public final class CertificateNames {
  /** subjectAltName GeneralName tags (RFC 5280 §4.2.1.6). */
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private CertificateNames() {}

  /** The DNS names and IP addresses in the subjectAltName extension, in certificate order. */
  public static List<String> of(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
      if (entries == null) {
        return names;
      }
      for (List<?> entry : entries) {
        int tag = (Integer) entry.get(0);
        if (tag == DNS_NAME || tag == IP_ADDRESS) {
          names.add(String.valueOf(entry.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      return names;
    }
    return names;
  }

  /** Whether {@code host} is covered by one of the certificate's names. */
  public static boolean covers(X509Certificate certificate, String host) {
    return of(certificate).stream().anyMatch(name -> matches(name, host));
  }

  /**
   * RFC 6125 §6.4.3 as browsers apply it: case-insensitive; a wildcard only as the whole left-most label, and
   * it matches exactly one label ({@code *.example.com} covers {@code a.example.com}, not {@code example.com}
   * nor {@code a.b.example.com}).
   */
  static boolean matches(String pattern, String host) {
    String p = trimDot(pattern.toLowerCase(Locale.ROOT));
    String h = trimDot(host.toLowerCase(Locale.ROOT));
    if (!p.startsWith("*.")) {
      return p.equals(h);
    }
    int firstDot = h.indexOf('.');
    return firstDot > 0 && h.substring(firstDot + 1).equals(p.substring(2));
  }

  private static String trimDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
