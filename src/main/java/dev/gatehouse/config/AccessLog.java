package dev.gatehouse.config;

import java.nio.file.Path;

/** Where one line per request goes: {@code --access-log FILE|-|off}. */
public sealed interface AccessLog {
  record Off() implements AccessLog {}

  record Stdout() implements AccessLog {}

  record ToFile(Path file) implements AccessLog {}

  static AccessLog parse(String where, String value) throws ConfigException {
    String v = value.trim();
    if (v.equals("-")) {
      return new Stdout();
    }
    if (v.equalsIgnoreCase("off")) {
      return new Off();
    }
    if (v.isEmpty()) {
      throw ConfigException.invalid(where, value, "a file path, - for standard output, or off");
    }
    return new ToFile(Path.of(v).toAbsolutePath());
  }
}
