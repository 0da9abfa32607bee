package dev.gatehouse.certs;

import java.time.Duration;

/**
 * The bounds on one issuance, so that a CA that stops answering, or a node that holds a name's lock and
 * hangs, delays only that name set and only for a known time.
 *
 * @param orderTimeout how long one call of {@link Issuer#issue} may take (account, order, validation,
 *     finalization); past it the call is interrupted and counts as a failed attempt, retried with backoff
 * @param lockWait how long a process waits for the storage lock of a name set while another process (another
 *     node of a cluster, or {@code certs renew}) orders it; longer than {@code orderTimeout}, so that a waiter
 *     outlasts a holder that uses its whole bound and then takes what the holder stored
 */
public record IssuanceLimits(Duration orderTimeout, Duration lockWait) {

  /** Longer than the two validation waits of {@code acme.ValidationPoller} (3 min each) and the calls around them. */
  public static final Duration DEFAULT_ORDER_TIMEOUT = Duration.ofMinutes(10);

  public static final Duration DEFAULT_LOCK_WAIT = DEFAULT_ORDER_TIMEOUT.plusMinutes(1);

  public static final IssuanceLimits DEFAULT = new IssuanceLimits(DEFAULT_ORDER_TIMEOUT, DEFAULT_LOCK_WAIT);

  public IssuanceLimits {
    if (orderTimeout.isNegative() || orderTimeout.isZero()) {
      throw new IllegalArgumentException("orderTimeout: " + orderTimeout + " (expected: > 0)");
    }
    if (lockWait.isNegative()) {
      throw new IllegalArgumentException("lockWait: " + lockWait + " (expected: >= 0)");
    }
  }
}
