package dev.gatehouse.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Tries to take a lock until it succeeds or {@code maxWait} has passed: from {@value #FIRST_POLL_MS} ms between
 * tries, doubling up to {@value #LAST_POLL_MS} ms. Neither {@code FileChannel.lock()} nor {@code
 * pg_advisory_lock} can be given a timeout, so both stores poll their non-blocking forms.
 */
final class LockWait {
  private LockWait() {}

  static final long FIRST_POLL_MS = 10;
  static final long LAST_POLL_MS = 250;

  /** One non-blocking try: the held lock, or {@code null} while someone else holds it. */
  @FunctionalInterface
  interface Attempt<T> {
    T tryOnce() throws IOException;
  }

  /** The nanoTime {@code maxWait} from now, safe for {@link Duration}s too long to add. */
  static long deadline(Duration maxWait) {
    return System.nanoTime() + Math.min(maxWait.toNanos(), Long.MAX_VALUE / 2);
  }

  static <T> T until(long deadline, String name, Duration maxWait, Attempt<T> attempt) throws IOException {
    long pollMs = FIRST_POLL_MS;
    for (T held = attempt.tryOnce(); ; held = attempt.tryOnce()) {
      if (held != null) {
        return held;
      }
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (leftMs <= 0) {
        throw new LockTimeoutException(name, maxWait);
      }
      try {
        Thread.sleep(Math.min(pollMs, leftMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for lock '" + name + "'");
      }
      pollMs = Math.min(pollMs * 2, LAST_POLL_MS);
    }
  }
}
