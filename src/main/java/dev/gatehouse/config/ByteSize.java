package dev.gatehouse.config;

import java.util.Locale;

/** Sizes as operators write them: {@code 20M}, {@code 512k}, {@code 1G}, {@code 1048576} (bytes). */
public final class ByteSize {
  private ByteSize() {}

  public static long parse(String where, String value) throws ConfigException {
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (v.endsWith("B")) {
      v = v.substring(0, v.length() - 1);
    }
    long unit = 1;
    if (!v.isEmpty()) {
      switch (v.charAt(v.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
    try {
      long n = Long.parseLong(digits.trim());
      if (n >= 0 && n <= Long.MAX_VALUE / unit) {
        return n * unit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ConfigException.invalid(where, value, "a size such as 20M, 512K, 1G or a number of bytes");
  }
}
