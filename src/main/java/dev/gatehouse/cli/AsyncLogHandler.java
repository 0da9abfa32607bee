package dev.gatehouse.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes log lines to standard error from a thread of its own, so a logging call on an event loop never
 * waits for a terminal, a pipe or journald. When {@value #QUEUE_CAPACITY} lines are waiting, further ones
 * are dropped and counted, and the count is written once the queue drains.
 */
final class AsyncLogHandler extends Handler {

  static final int QUEUE_CAPACITY = 8_192;

  /** How long {@link #close} waits for queued lines at exit. */
  static final long CLOSE_WAIT_MILLIS = 2_000;

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final PrintStream out;
  private final Thread writer;
  private volatile boolean closed;

  AsyncLogHandler(OutputStream out) {
    this.out = new PrintStream(out, false, StandardCharsets.UTF_8);
    this.writer = new Thread(this::drain, "gatehouse-log");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void publish(LogRecord record) {
    if (closed || !isLoggable(record)) {
      return;
    }
    if (!queue.offer(getFormatter().format(record))) {
      dropped.incrementAndGet();
    }
  }

  private void drain() {
    try {
      while (!closed || !queue.isEmpty()) {
        String line = queue.poll(200, TimeUnit.MILLISECONDS);
        if (line == null) {
          continue;
        }
        out.print(line);
        if (queue.isEmpty()) {
          long lost = dropped.getAndSet(0);
          if (lost > 0) {
            out.println("gatehouse: " + lost + " log lines dropped (standard error too slow)");
          }
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      out.flush();
    }
  }

  @Override
  public void flush() {}

  /** Writes what is queued (bounded by {@link #CLOSE_WAIT_MILLIS}); later records are not written. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
