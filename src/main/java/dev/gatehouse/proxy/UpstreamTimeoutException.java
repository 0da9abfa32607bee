package dev.gatehouse.proxy;

import java.time.Duration;

/** The upstream sent nothing for longer than {@code upstreamResponseTimeout}. */
final class UpstreamTimeoutException extends Exception {
  private static final long serialVersionUID = 1L;

  UpstreamTimeoutException(Duration timeout) {
    super("no response within " + timeout.toMillis() + " ms", null, false, false);
  }
}
