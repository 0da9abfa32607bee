package dev.gatehouse.admin;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The last {@value #KEPT} warnings and errors the process logged, for the status page: what an operator
 * opening it after an incident wants first. A {@link Handler} on the root logger; {@link #publish} only
 * appends to a short list under a lock, so it costs a logging call nothing noticeable.
 */
final class RecentErrors extends Handler {

  static final int KEPT = 20;

  /** One logged problem. */
  record Entry(Instant at, String level, String logger, String message) {}

  private final Deque<Entry> entries = new ArrayDeque<>();

  RecentErrors() {
    setLevel(Level.WARNING);
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    String message = record.getMessage();
    if (record.getThrown() != null) {
      message = message + ": " + record.getThrown();
    }
    Entry entry =
        new Entry(
            record.getInstant(),
            record.getLevel().intValue() >= Level.SEVERE.intValue() ? "ERROR" : "WARN",
            record.getLoggerName() == null ? "" : record.getLoggerName(),
            message == null ? "" : message);
    synchronized (entries) {
      entries.addFirst(entry);
      while (entries.size() > KEPT) {
        entries.removeLast();
      }
    }
  }

  /** Newest first. */
  List<Entry> entries() {
    synchronized (entries) {
      return new ArrayList<>(entries);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
