package dev.gatehouse.certs;

import dev.gatehouse.config.SiteConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One site's certificate as {@link CertificateManager} maintains it: what is served, when it renews, how
 * renewal has been failing. Fields are guarded by the object's monitor, held only while they change (never
 * across a call to the CA or a wait for a lock); {@link #current} is also read without it. {@link #lane} is
 * held for a whole check, so one site's checks run one at a time.
 */
final class ManagedCertificate {

  final SiteConfig site;
  /** Empty for a certificate the operator provides, which is re-read but never issued. */
  final Optional<Issuer> issuer;
  /** Completes once the site has a certificate to serve (after the check that issued it, if one did). */
  final CompletableFuture<CertifiedKey> first = new CompletableFuture<>();
  /** Held by the check in progress, across its calls to the CA and its wait for the storage lock. */
  final ReentrantLock lane = new ReentrantLock();

  volatile CertifiedKey current;
  RenewalSchedule schedule;
  int consecutiveFailures;
  final Deque<Instant> recentFailures = new ArrayDeque<>();
  Instant nextAttempt;
  String lastError;
  Instant lastSuccess;
  Instant lastFailure;
  final Map<String, Long> failuresByReason = new HashMap<>();
  ScheduledFuture<?> timer;
  private volatile CertificateStatus status;

  ManagedCertificate(SiteConfig site, Optional<Issuer> issuer) {
    this.site = site;
    this.issuer = issuer;
    publish();
  }

  String name() {
    return site.primaryName();
  }

  String issuerName() {
    return issuer.map(Issuer::name).orElse("provided");
  }

  void recordFailure(Instant now, String error, RetryBackoff backoff, Optional<Instant> retryAfter) {
    consecutiveFailures++;
    recentFailures.addLast(now);
    while (!recentFailures.isEmpty() && recentFailures.peekFirst().isBefore(now.minus(Duration.ofHours(1)))) {
      recentFailures.removeFirst();
    }
    lastError = error;
    lastFailure = now;
    failuresByReason.merge(FailureReason.of(error).label(), 1L, Long::sum);
    nextAttempt = backoff.nextAttempt(now, consecutiveFailures, recentFailures, retryAfter);
  }

  void recordSuccess(Instant now) {
    consecutiveFailures = 0;
    lastSuccess = now;
    lastError = null;
    nextAttempt = null;
  }

  /** Whether a failed attempt is still waiting out its backoff at {@code now}. */
  boolean backingOff(Instant now) {
    return nextAttempt != null && now.isBefore(nextAttempt);
  }

  /** The state as of the last {@link #publish}, read without waiting for an issuance in progress. */
  CertificateStatus status() {
    return status;
  }

  /** Makes the current state visible to {@link #status}; called by whoever holds the monitor, after a change. */
  void publish() {
    status =
        new CertificateStatus(
            name(),
            site.names(),
            issuerName(),
            Optional.ofNullable(current),
            Optional.ofNullable(schedule),
            Optional.ofNullable(lastError),
            Optional.ofNullable(nextAttempt),
            Optional.ofNullable(lastSuccess),
            Optional.ofNullable(lastFailure),
            failuresByReason);
  }
}
