package dev.gatehouse.acme;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * Waits for several ACME resources (authorizations, an order) together. acme4j's {@code waitForCompletion}
 * polls one resource every 3 s when the CA sends no {@code Retry-After}; a CA validates in well under a
 * second, so this polls every pending resource from {@value #FIRST_INTERVAL_MILLIS} ms, backing off by
 * half each round up to {@value #MAX_INTERVAL_MILLIS} ms, and never earlier than a {@code Retry-After} the
 * CA sent for that resource (RFC 8555 §8.2, "Clients SHOULD NOT poll more often").
 */
final class ValidationPoller {

  static final long FIRST_INTERVAL_MILLIS = 100;
  static final long MAX_INTERVAL_MILLIS = 3_000;

  /** Longer than any CA should take; Let's Encrypt validates in seconds. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

  private final Clock clock;

  ValidationPoller(Clock clock) {
    this.clock = clock;
  }

  /**
   * Returns once every resource has a status in {@code done}.
   *
   * @throws TimeoutException when some are still not done after {@code timeout}
   */
  void awaitAll(List<? extends PollableResource> resources, Set<Status> done, Duration timeout)
      throws AcmeException, InterruptedException, TimeoutException {
    Instant deadline = clock.instant().plus(timeout);
    Map<PollableResource, Instant> notBefore = new HashMap<>();
    List<PollableResource> pending = new ArrayList<>();
    for (PollableResource r : resources) {
      if (!done.contains(r.getStatus())) {
        pending.add(r);
      }
    }
    long interval = FIRST_INTERVAL_MILLIS;
    while (!pending.isEmpty()) {
      Instant now = clock.instant();
      if (now.isAfter(deadline)) {
        throw new TimeoutException(pending.size() + " of " + resources.size() + " still not done after "
            + timeout.toSeconds() + " s");
      }
      Instant wake = null;
      for (PollableResource r : pending) {
        Instant due = later(now.plusMillis(interval), notBefore.getOrDefault(r, Instant.MIN));
        wake = wake == null || due.isBefore(wake) ? due : wake;
      }
      Thread.sleep(Math.max(0, Duration.between(clock.instant(), min(wake, deadline)).toMillis()));
      Instant polled = clock.instant();
      for (var it = pending.iterator(); it.hasNext(); ) {
        PollableResource r = it.next();
        Instant retryAfter = notBefore.get(r);
        if (retryAfter != null && retryAfter.isAfter(polled)) {
          continue;
        }
        r.fetch().ifPresentOrElse(t -> notBefore.put(r, t), () -> notBefore.remove(r));
        if (done.contains(r.getStatus())) {
          it.remove();
        }
      }
      interval = Math.min(MAX_INTERVAL_MILLIS, interval * 3 / 2);
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
