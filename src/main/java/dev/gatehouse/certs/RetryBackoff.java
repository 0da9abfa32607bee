package dev.gatehouse.certs;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Optional;

/**
 * When to try again after a failed issuance: capped exponential backoff, never before the CA's {@code
 * Retry-After} (RFC 8555 §6.6, rate limits), and at most {@link #maxFailuresPerHour} failed attempts per
 * certificate in any hour, well under Let's Encrypt's five failed validations per name per hour.
 *
 * @param base the wait after the first failure; doubled after each further one
 * @param cap the longest wait between attempts
 * @param maxFailuresPerHour failed attempts allowed in any rolling hour
 */
public record RetryBackoff(Duration base, Duration cap, int maxFailuresPerHour) {

  public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofMinutes(1), Duration.ofHours(6), 3);

  static final Duration BUDGET_PERIOD = Duration.ofHours(1);

  public RetryBackoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxFailuresPerHour < 1) {
      throw new IllegalArgumentException(
          "retry backoff base=" + base + " cap=" + cap + " maxFailuresPerHour=" + maxFailuresPerHour
              + " (expected: base > 0, cap >= base, maxFailuresPerHour >= 1)");
    }
  }

  /**
   * The earliest next attempt.
   *
   * @param consecutiveFailures failures since the last success, at least 1
   * @param recentFailures when the recent failures happened, oldest first (only the last hour matters)
   * @param retryAfter the CA's {@code Retry-After} with the last failure, if any
   */
  public Instant nextAttempt(
      Instant now, int consecutiveFailures, Deque<Instant> recentFailures, Optional<Instant> retryAfter) {
    Duration wait = base;
    for (int i = 1; i < consecutiveFailures && wait.compareTo(cap) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    Instant next = now.plus(wait.compareTo(cap) > 0 ? cap : wait);
    if (retryAfter.isPresent() && retryAfter.get().isAfter(next)) {
      next = retryAfter.get();
    }
    Instant hourAgo = now.minus(BUDGET_PERIOD);
    long inLastHour = recentFailures.stream().filter(t -> t.isAfter(hourAgo)).count();
    if (inLastHour >= maxFailuresPerHour) {
      // The budget frees up when the oldest failure that still counts is an hour old.
      Instant freed =
          recentFailures.stream()
              .filter(t -> t.isAfter(hourAgo))
              .skip(inLastHour - maxFailuresPerHour)
              .findFirst()
              .orElse(now)
              .plus(BUDGET_PERIOD);
      if (freed.isAfter(next)) {
        next = freed;
      }
    }
    return next;
  }
}
