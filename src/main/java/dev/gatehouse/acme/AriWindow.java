package dev.gatehouse.acme;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A CA's suggested renewal window for one certificate (RFC 9773 §4.2), and when to ask again.
 *
 * @param start the window's start; renewing before it is pointless, the CA expects no renewal yet
 * @param end the window's end; after it the certificate should have been replaced already
 * @param nextCheck when to fetch the window again: the CA's {@code Retry-After}, clamped (RFC 9773 §4.3)
 * @param explanation a page the CA links to explain an unusual window (a revocation, an incident)
 */
public record AriWindow(Instant start, Instant end, Instant nextCheck, Optional<URL> explanation) {

  /** Without {@code Retry-After}, ask again after six hours (RFC 9773 §4.3). */
  public static final Duration DEFAULT_RECHECK = Duration.ofHours(6);

  /** Never poll more often than this, whatever the CA says: a misbehaving CA must not make us spin. */
  public static final Duration MIN_RECHECK = Duration.ofMinutes(1);

  /** Never wait longer than this between checks, so an incident window is seen within a day. */
  public static final Duration MAX_RECHECK = Duration.ofDays(1);

  public AriWindow {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("window end " + end + " is not after its start " + start);
    }
  }

  /** {@code retryAfter} bounded to [{@link #MIN_RECHECK}, {@link #MAX_RECHECK}] after {@code now}. */
  static Instant nextCheck(Instant now, Optional<Instant> retryAfter) {
    Instant wanted = retryAfter.orElse(now.plus(DEFAULT_RECHECK));
    if (wanted.isBefore(now.plus(MIN_RECHECK))) {
      return now.plus(MIN_RECHECK);
    }
    return wanted.isAfter(now.plus(MAX_RECHECK)) ? now.plus(MAX_RECHECK) : wanted;
  }
}
