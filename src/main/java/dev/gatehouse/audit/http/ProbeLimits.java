package dev.gatehouse.audit.http;

import java.time.Duration;

/**
 * The limits every probe request obeys, so that a slow or hostile server cannot stall or exhaust the audit.
 *
 * @param connectTimeout TCP connect (and TLS handshake) limit; default {@value #DEFAULT_CONNECT_SECONDS} s
 * @param readTimeout longest wait for the next bytes of a response; default {@value #DEFAULT_READ_SECONDS} s
 * @param maxHeaderBytes status line plus header fields; default {@value #DEFAULT_MAX_HEADER_BYTES}
 * @param maxBodyBytes body bytes kept; the rest is not read and the body is marked truncated; default
 *     {@value #DEFAULT_MAX_BODY_BYTES}
 * @param maxRedirects hops followed before a chain is reported as too long; default
 *     {@value #DEFAULT_MAX_REDIRECTS} (what browsers allow is about 20; a sane deployment needs at most 2)
 */
public record ProbeLimits(Duration connectTimeout, Duration readTimeout, int maxHeaderBytes, int maxBodyBytes,
    int maxRedirects) {
  public static final int DEFAULT_CONNECT_SECONDS = 5;
  public static final int DEFAULT_READ_SECONDS = 10;
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
  public static final int DEFAULT_MAX_REDIRECTS = 10;

  public ProbeLimits {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout: " + readTimeout + " (expected: > 0)");
    }
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes: " + maxHeaderBytes + " (expected: >= 1024)");
    }
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 0)");
    }
    if (maxRedirects < 1) {
      throw new IllegalArgumentException("maxRedirects: " + maxRedirects + " (expected: >= 1)");
    }
  }

  public static ProbeLimits defaults() {
    return new ProbeLimits(Duration.ofSeconds(DEFAULT_CONNECT_SECONDS), Duration.ofSeconds(DEFAULT_READ_SECONDS),
        DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REDIRECTS);
  }
}
