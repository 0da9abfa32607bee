package dev.gatehouse.config;

import java.nio.file.Path;

/**
 * A URL prefix served from a directory, like Django's {@code STATIC_URL} → {@code STATIC_ROOT}: {@code
 * /static/=/srv/app/staticfiles}. The prefix always starts and ends with {@code /}, so {@code /static}
 * never matches {@code /staticfoo}.
 */
public record StaticMount(String prefix, Path directory) {

  static final String EXPECTED = "PREFIX=DIR, e.g. /static/=/srv/app/staticfiles";

  public static StaticMount parse(String where, String value) throws ConfigException {
    int eq = value.indexOf('=');
    if (eq <= 0 || eq == value.length() - 1) {
      throw ConfigException.invalid(where, value, EXPECTED);
    }
    String prefix = value.substring(0, eq).trim();
    String dir = value.substring(eq + 1).trim();
    if (!prefix.startsWith("/") || prefix.contains("..") || prefix.contains("\\") || prefix.contains("?")) {
      throw ConfigException.invalid(where, value, "a prefix that starts with / (" + EXPECTED + ")");
    }
    if (!prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    return new StaticMount(prefix, Path.of(dir).toAbsolutePath().normalize());
  }
}
