package dev.gatehouse.certs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines a logger writes during a test, as {@code LEVEL message}. */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  public LogCapture(Class<?> source) {
    this.logger = Logger.getLogger(source.getName());
    logger.addHandler(this);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public List<String> at(Level level) {
    return lines.stream().filter(l -> l.startsWith(level.getName() + " ")).toList();
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(record.getLevel().getName() + " " + record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
