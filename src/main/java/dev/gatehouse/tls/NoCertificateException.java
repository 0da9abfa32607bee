package dev.gatehouse.tls;

import java.util.Optional;

/**
 * No certificate for what a ClientHello asked: an unknown SNI name, no SNI and no default site, or an
 * {@code acme-tls/1} probe with no pending challenge. The handshake ends with a fatal {@code
 * unrecognized_name} alert (RFC 6066 §3).
 */
public final class NoCertificateException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoCertificateException(Optional<String> serverName, String why) {
    super("no certificate for " + serverName.map(n -> "SNI name '" + n + "'").orElse("a client without SNI")
        + ": " + why, null, false, false);
  }
}
