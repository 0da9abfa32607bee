package dev.gatehouse.audit;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random values for probes (challenge tokens, invented user names, spoofed host names), so that no probe can be
 * answered from a cache or mistaken for a real request. Thread-safe.
 */
public final class ProbeTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ProbeTokens() {}

  /** {@code bytes} random bytes as lower-case hex. */
  public static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** A number in {@code [0, bound)}. */
  public static int below(int bound) {
    return RANDOM.nextInt(bound);
  }
}
