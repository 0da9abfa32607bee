package dev.gatehouse.store;

import java.io.IOException;
import java.time.Duration;

/** {@link Storage#lock(String, Duration)} waited as long as it was allowed and the lock was still held. */
public final class LockTimeoutException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String lockName;
  private final Duration waited;

  public LockTimeoutException(String lockName, Duration waited) {
    super("lock '" + lockName + "' is still held by another process after waiting " + readable(waited));
    this.lockName = lockName;
    this.waited = waited;
  }

  private static String readable(Duration d) {
    return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  public String lockName() {
    return lockName;
  }

  public Duration waited() {
    return waited;
  }
}
