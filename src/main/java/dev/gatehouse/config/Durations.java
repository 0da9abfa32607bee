package dev.gatehouse.config;

import java.time.Duration;
import java.util.Locale;

/** Durations as operators write them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String where, String value) throws ConfigException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // reported below with the accepted forms
    }
    throw ConfigException.invalid(where, value, "a duration such as 250ms, 30s, 5m or 1h");
  }
}
