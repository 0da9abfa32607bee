package dev.gatehouse.audit.check;

import java.util.Locale;
import java.util.Optional;

/**
 * A parsed {@code Strict-Transport-Security} value (RFC 6797 §6.1): directive names case-insensitive, values
 * optionally quoted; a header with no valid {@code max-age} or with a directive twice is invalid and browsers
 * ignore it (§6.1 ¶ 4–5, §8.1).
 *
 * @param maxAgeSeconds the max-age value
 * @param includeSubDomains whether the directive is present
 * @param preload whether the {@code preload} token (hstspreload.org) is present
 */
record StrictTransportSecurity(long maxAgeSeconds, boolean includeSubDomains, boolean preload) {
  /** Empty when the value is invalid. */
  static Optional<StrictTransportSecurity> parse(String value) {
    Long maxAge = null;
    boolean subDomains = false;
    boolean preload = false;
    for (String part : value.split(";")) {
      String directive = part.trim();
      if (directive.isEmpty()) {
        continue;
      }
      int eq = directive.indexOf('=');
      String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String argument = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
      switch (name) {
        case "max-age" -> {
          if (maxAge != null || argument == null || !argument.matches("\\d{1,18}")) {
            return Optional.empty();
          }
          maxAge = Long.parseLong(argument);
        }
        case "includesubdomains" -> {
          if (subDomains) {
            return Optional.empty();
          }
          subDomains = true;
        }
        case "preload" -> preload = true;
        default -> {
          // RFC 6797 §6.1: unknown directives are ignored.
        }
      }
    }
    return maxAge == null ? Optional.empty() : Optional.of(new StrictTransportSecurity(maxAge, subDomains, preload));
  }

  private static String unquote(String text) {
    return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
        ? text.substring(1, text.length() - 1) : text;
  }
}
