package dev.gatehouse.certs;

/**
 * A certificate or key file that cannot be used: missing, truncated, not PEM, not a certificate, a key that
 * does not match its certificate, a key others can read. The message is one line that starts with the file (or
 * storage key) and says what is wrong and, where there is one, the fix. The caller decides what follows: a
 * startup error for the operator's own files, a new issuance for stored ones.
 */
public final class CertificateFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public CertificateFileException(String message) {
    super(message);
  }

  public CertificateFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
