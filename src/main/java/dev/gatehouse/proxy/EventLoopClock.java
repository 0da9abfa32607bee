package dev.gatehouse.proxy;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;

/**
 * The clock an event loop schedules by, for deadlines kept in fields and compared when its timer fires: the
 * same clock as the timer's, so a test's {@code EmbeddedChannel.advanceTimeBy} moves both.
 */
final class EventLoopClock {
  private EventLoopClock() {}

  /** {@code executor}'s ticker; the system's for an executor that does not schedule by one. */
  static Ticker of(EventExecutor executor) {
    return executor instanceof AbstractScheduledEventExecutor scheduled ? scheduled.ticker() : Ticker.systemTicker();
  }
}
