package dev.gatehouse.certs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

/**
 * When to renew a certificate and when to look again. Without ARI, renew with a third of the lifetime left
 * (Let's Encrypt's advice; 60 of 90 days), or half of it for certificates under {@link #SHORT_LIVED} (6-day
 * certificates would otherwise get two days of retries). With a CA's ARI window (RFC 9773 §4.2), renew at a
 * uniformly random moment inside it, so a CA's mass revocation does not turn into a thundering herd. Checks
 * run every {@link #CHECK_INTERVAL} ± {@link #CHECK_JITTER}. Safe for concurrent use.
 */
public final class RenewalPolicy {

  /** Certificates shorter-lived than this renew at half their lifetime instead of two thirds. */
  public static final Duration SHORT_LIVED = Duration.ofDays(10);

  /** How often certificates are checked, like certbot's twice-daily timer but a little more often. */
  public static final Duration CHECK_INTERVAL = Duration.ofHours(6);

  /** Spread of the check interval, so many servers do not ask the CA in lockstep. */
  public static final double CHECK_JITTER = 0.10;

  /** RFC 9773 §4.3: treat a Retry-After under a minute as a minute and one over a day as a day. */
  public static final Duration MIN_ARI_RETRY = Duration.ofMinutes(1);

  public static final Duration MAX_ARI_RETRY = Duration.ofDays(1);

  private final Clock clock;
  private final Random random;

  public RenewalPolicy(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  public RenewalPolicy() {
    this(Clock.systemUTC(), new Random());
  }

  public Clock clock() {
    return clock;
  }

  /** The lifetime rule: a third of the lifetime before expiry, half for short-lived certificates. */
  public static Instant lifetimeRenewAt(Instant notBefore, Instant notAfter) {
    Duration lifetime = Duration.between(notBefore, notAfter);
    Duration before = lifetime.compareTo(SHORT_LIVED) < 0 ? lifetime.dividedBy(2) : lifetime.dividedBy(3);
    return notAfter.minus(before);
  }

  /**
   * When {@code certificate} renews. With a usable window, a random moment in it; a {@code previous}
   * schedule picked from the same window is kept, so the moment does not move at every check. A window that
   * is empty, inverted or ends after the certificate expires is ignored in favour of the lifetime rule.
   */
  public RenewalSchedule schedule(
      CertifiedKey certificate, Optional<RenewalWindow> window, Optional<RenewalSchedule> previous) {
    if (window.isPresent() && usable(window.get(), certificate)) {
      RenewalWindow w = window.get();
      if (previous.isPresent()
          && previous.get().window().map(p -> sameWindow(p, w)).orElse(false)) {
        return new RenewalSchedule(previous.get().renewAt(), previous.get().reason(), window);
      }
      long spanMillis = Duration.between(w.start(), w.end()).toMillis();
      Instant at = w.start().plusMillis(spanMillis == 0 ? 0 : (long) (random.nextDouble() * spanMillis));
      return new RenewalSchedule(at, "ARI window " + w.start() + " to " + w.end(), window);
    }
    boolean shortLived = certificate.lifetime().compareTo(SHORT_LIVED) < 0;
    return new RenewalSchedule(
        lifetimeRenewAt(certificate.notBefore(), certificate.notAfter()),
        shortLived ? "1/2 of lifetime left (short-lived)" : "1/3 of lifetime left",
        Optional.empty());
  }

  /** Whether renewal is due now. */
  public boolean isDue(RenewalSchedule schedule) {
    return !clock.instant().isBefore(schedule.renewAt());
  }

  /** Whether less than a tenth of the lifetime is left: every check then logs an error until renewal succeeds. */
  public boolean isCritical(CertifiedKey certificate) {
    Duration left = Duration.between(clock.instant(), certificate.notAfter());
    return left.compareTo(certificate.lifetime().dividedBy(10)) < 0;
  }

  /**
   * When to check again: after the jittered interval, or at the ARI {@code Retry-After} (clamped to RFC 9773's
   * bounds) when the CA sent one, and never later than the moment renewal becomes due.
   */
  public Instant nextCheck(RenewalSchedule schedule) {
    Instant now = clock.instant();
    Instant next = now.plus(jittered(CHECK_INTERVAL));
    Optional<Instant> retryAfter = schedule.window().flatMap(RenewalWindow::retryAfter);
    if (retryAfter.isPresent()) {
      Instant earliest = now.plus(MIN_ARI_RETRY);
      Instant latest = now.plus(MAX_ARI_RETRY);
      Instant at = retryAfter.get();
      next = at.isBefore(earliest) ? earliest : at.isAfter(latest) ? latest : at;
    }
    Instant due = schedule.renewAt();
    return due.isAfter(now) && due.isBefore(next) ? due : next;
  }

  /** {@code interval} ± {@link #CHECK_JITTER}, uniformly. */
  public Duration jittered(Duration interval) {
    double factor = 1 + CHECK_JITTER * (2 * random.nextDouble() - 1);
    return Duration.ofMillis((long) (interval.toMillis() * factor));
  }

  private static boolean usable(RenewalWindow window, CertifiedKey certificate) {
    return window.start().isBefore(window.end()) && !window.end().isAfter(certificate.notAfter());
  }

  private static boolean sameWindow(RenewalWindow a, RenewalWindow b) {
    return a.start().equals(b.start()) && a.end().equals(b.end());
  }
}
