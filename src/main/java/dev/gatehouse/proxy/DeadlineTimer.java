package dev.gatehouse.proxy;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * One deadline of a connection, kept in a field and checked by one long-lived timer (as Netty's
 * IdleStateHandler does) instead of a timer scheduled and cancelled per request, which cost ~5 % of the
 * proxy's time (BENCHMARKS.md). Moving the deadline later leaves the pending check alone: when it fires it
 * finds the new deadline and waits again. Only a deadline earlier than the pending check reschedules it. Event
 * loop only.
 */
final class DeadlineTimer {

  private final EventExecutor executor;
  private final Ticker clock;
  private final long maxCheckIntervalNanos;
  private final Runnable onExpiry;
  private boolean armed;
  private long deadlineNanos;
  private ScheduledFuture<?> check;
  private long checkNanos;

  /**
   * @param maxCheckIntervalNanos at most this long between checks ({@code Long.MAX_VALUE}: a check at the
   *     deadline itself)
   * @param onExpiry runs on {@code executor} once the deadline has passed while armed
   */
  DeadlineTimer(EventExecutor executor, long maxCheckIntervalNanos, Runnable onExpiry) {
    this.executor = executor;
    // The clock the executor schedules by, so that a test's EmbeddedChannel.advanceTimeBy moves both.
    this.clock = executor instanceof AbstractScheduledEventExecutor scheduled
        ? scheduled.ticker()
        : Ticker.systemTicker();
    this.maxCheckIntervalNanos = Math.max(1, maxCheckIntervalNanos);
    this.onExpiry = onExpiry;
  }

  /** From now, the deadline is {@code timeoutNanos} away. */
  void expireIn(long timeoutNanos) {
    long now = clock.nanoTime();
    armed = true;
    deadlineNanos = now + Math.max(1, timeoutNanos);
    if (check == null || checkNanos - deadlineNanos > 0) {
      cancelCheck();
      scheduleCheck(now, deadlineNanos - now);
    }
  }

  /** Whether a deadline is set and has not passed yet. */
  boolean isArmed() {
    return armed;
  }

  /** No deadline for now; a pending check finds that and stops. */
  void clear() {
    armed = false;
  }

  /** The connection is gone: no check stays queued for it. */
  void stop() {
    armed = false;
    cancelCheck();
  }

  private void scheduleCheck(long now, long delayNanos) {
    long delay = Math.min(delayNanos, maxCheckIntervalNanos);
    checkNanos = now + delay;
    check = executor.schedule(this::checkDeadline, delay, TimeUnit.NANOSECONDS);
  }

  private void checkDeadline() {
    check = null;
    if (!armed) {
      return;
    }
    long now = clock.nanoTime();
    if (deadlineNanos - now > 0) {
      scheduleCheck(now, deadlineNanos - now);
      return;
    }
    armed = false;
    onExpiry.run();
  }

  private void cancelCheck() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }
}
