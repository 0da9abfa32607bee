package dev.gatehouse.certs;

import java.time.Instant;
import java.util.Optional;

/**
 * A certificate could not be issued. The message is one log line: the CA's problem, the name, and the
 * likely fix. {@link #retryAfter()} carries a CA's {@code Retry-After} or rate-limit reset time.
 */
public class IssuanceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Optional<Instant> retryAfter;

  public IssuanceException(String message, Optional<Instant> retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  public IssuanceException(String message) {
    this(message, Optional.empty(), null);
  }

  public Optional<Instant> retryAfter() {
    return retryAfter;
  }
}
