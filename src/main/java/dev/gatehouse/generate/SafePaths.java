package dev.gatehouse.generate;

import dev.gatehouse.config.ConfigException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Paths and prefixes that can be written into nginx, Caddy and systemd files without quoting. */
final class SafePaths {
  private SafePaths() {}

  /**
   * Letters, digits and {@code / . _ - + = @ , :}. Everything else is syntax somewhere: whitespace ends a
   * token everywhere, {@code ; { } #} and quotes in nginx and Caddy, {@code $} starts an nginx variable and
   * {@code %} a systemd specifier.
   */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9/._+=@,:-]+");

  static final String EXPECTED =
      "a path of letters, digits and / . _ - + = @ , : only (no spaces, quotes or $ ; { } # %)";

  static void check(String flag, Path path) throws ConfigException {
    checkText(flag, path.toString());
    if (!path.isAbsolute()) {
      throw ConfigException.invalid(flag, path.toString(), "an absolute path");
    }
  }

  static void checkText(String flag, String text) throws ConfigException {
    if (!SAFE.matcher(text).matches()) {
      throw ConfigException.invalid(flag, text, EXPECTED);
    }
  }
}
