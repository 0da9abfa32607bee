package dev.gatehouse.certs;

import java.util.Optional;

/**
 * Gets a certificate for a set of names: the local CA or an ACME CA. Calls block (network, validation
 * waits) and must run on the certificate executor, never on an event loop. Implementations are safe for
 * concurrent use across different name sets.
 */
public interface Issuer {

  /**
   * Issues one certificate with every name of the request as a subjectAltName.
   *
   * @throws IssuanceException when the CA refused or could not be reached; the message is one line with
   *     the likely fix, and {@link IssuanceException#retryAfter()} says when trying again makes sense
   */
  CertifiedKey issue(IssueRequest request) throws IssuanceException;

  /** A short name for logs and {@code certs list}: {@code local CA}, {@code letsencrypt}, a directory URL. */
  String name();

  /**
   * The CA's suggested renewal window for {@code certificate} (ACME Renewal Information, RFC 9773), or empty
   * when the CA does not offer one; then the lifetime rule of {@link RenewalPolicy} applies. Blocks like
   * {@link #issue}.
   *
   * @throws IssuanceException when the CA could not be asked; the caller falls back to the lifetime rule
   */
  default Optional<RenewalWindow> renewalWindow(CertifiedKey certificate) throws IssuanceException {
    return Optional.empty();
  }
}
