package dev.gatehouse.certs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link CertificateManager} knows about one site's certificate, for {@code certs list}, logs and metrics.
 *
 * @param name the site's primary name, under which the certificate is stored
 * @param names every name of the site
 * @param issuer the issuer's {@link Issuer#name()}, or {@code provided} for the operator's own files
 * @param current the certificate being served, if there is one yet
 * @param schedule when and why it renews next; empty for provided certificates
 * @param lastError the last failure since the last success, one line
 * @param nextAttempt when a failed issuance is tried again
 * @param lastSuccess when this process last issued or renewed it
 * @param lastFailure when this process last failed to issue or renew it
 * @param failuresByReason failed attempts since start, by {@link FailureReason#label()}
 */
public record CertificateStatus(
    String name,
    List<String> names,
    String issuer,
    Optional<CertifiedKey> current,
    Optional<RenewalSchedule> schedule,
    Optional<String> lastError,
    Optional<Instant> nextAttempt,
    Optional<Instant> lastSuccess,
    Optional<Instant> lastFailure,
    Map<String, Long> failuresByReason) {

  public CertificateStatus {
    names = List.copyOf(names);
    failuresByReason = Map.copyOf(failuresByReason);
  }
}
