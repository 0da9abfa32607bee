package dev.gatehouse.generate;

/** A byte count in the size syntax of each target, in the largest unit that divides it exactly. */
final class SizeUnits {
  private SizeUnits() {}

  private static final long K = 1L << 10;
  private static final long M = 1L << 20;
  private static final long G = 1L << 30;

  /** nginx: {@code 20m} (binary units, lower case; "Syntax" in the nginx docs, "Measurement units"). */
  static String nginx(long bytes) {
    return scaled(bytes, "g", "m", "k", "");
  }

  /** Caddy parses sizes with go-humanize, where {@code MB} is 10^6 and {@code MiB} 2^20. */
  static String caddy(long bytes) {
    return scaled(bytes, "GiB", "MiB", "KiB", "");
  }

  /** Gatehouse's own {@code --max-body} syntax ({@code config.ByteSize}). */
  static String gatehouse(long bytes) {
    return scaled(bytes, "G", "M", "K", "");
  }

  private static String scaled(long bytes, String g, String m, String k, String b) {
    if (bytes > 0 && bytes % G == 0) {
      return bytes / G + g;
    }
    if (bytes > 0 && bytes % M == 0) {
      return bytes / M + m;
    }
    if (bytes > 0 && bytes % K == 0) {
      return bytes / K + k;
    }
    return bytes + b;
  }
}
