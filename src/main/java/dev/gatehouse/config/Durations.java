package dev.gatehouse.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Durations as operators write them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}. A negative one is
 * refused, never stored: the proxy's timers would fire at once (a {@code -1s} handshake timeout failed every
 * handshake, issue 12).
 */
public final class Durations {
  private Durations() {}

  /**
   * The longest accepted. A timeout beyond a year is a typo (turn it off with {@code 0s} where that is
   * allowed), and it keeps every value within the nanoseconds the timers count in (a long holds ~292 years).
   */
  public static final Duration MAX = Duration.ofHours(8760);

  private static final String FORMS = "such as 250ms, 30s, 5m or 1h";

  /** A timeout that {@code 0s} turns off: the client timeouts ({@link Limits#TIMEOUT_NAMES}). */
  public static Duration parseTimeoutOrOff(String where, String value) throws ConfigException {
    return parse(where, value, Duration.ZERO, "a duration from 0s to " + MAX.toHours() + "h " + FORMS + "; 0s turns it off");
  }

  /** A timeout that always runs out: zero is refused as well. */
  public static Duration parsePositive(String where, String value) throws ConfigException {
    return parse(where, value, Duration.ofMillis(1), "a duration from 1ms to " + MAX.toHours() + "h " + FORMS);
  }

  private static Duration parse(String where, String value, Duration min, String expected) throws ConfigException {
    Optional<Duration> d = read(value.trim().toLowerCase(Locale.ROOT));
    if (d.isEmpty() || d.get().compareTo(min) < 0 || d.get().compareTo(MAX) > 0) {
      throw ConfigException.invalid(where, value, expected);
    }
    return d.get();
  }

  /** The duration written, or empty when it is not one (sign included; bounds are the caller's). */
  private static Optional<Duration> read(String v) {
    try {
      if (v.endsWith("ms")) {
        return Optional.of(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Optional.of(Duration.ofSeconds(n));
        case 'm' -> Optional.of(Duration.ofMinutes(n));
        case 'h' -> Optional.of(Duration.ofHours(n));
        default -> Optional.empty();
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
