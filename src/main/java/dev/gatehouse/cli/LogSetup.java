package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.time.ZoneId;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Gatehouse's one log: java.util.logging (acme4j and Netty reach it through SLF4J), one line per record in
 * {@link LogLineFormat} on standard error through {@link AsyncLogHandler}. {@code --log-level} sets the level.
 */
public final class LogSetup {
  private LogSetup() {}

  /** The level unless {@code --log-level} says otherwise. */
  static final Level DEFAULT_LEVEL = Level.INFO;

  private static AsyncLogHandler handler;

  /**
   * Replaces java.util.logging's console handler (synchronous, two lines per record) with Gatehouse's; the
   * pending lines are written at exit. A {@code java.util.logging.config.file} the user set is left alone.
   */
  public static synchronized void install() {
    if (handler != null || System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    handler = new AsyncLogHandler(new FileOutputStream(FileDescriptor.err));
    handler.setFormatter(new LogLineFormat(ZoneId.systemDefault()));
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(DEFAULT_LEVEL);
    Runtime.getRuntime().addShutdownHook(new Thread(handler::close, "gatehouse-log-flush"));
  }

  /** {@code --log-level error|warn|info|debug}. */
  static void level(String where, String value) throws ConfigException {
    LogManager.getLogManager().getLogger("").setLevel(parse(where, value));
  }

  static Level parse(String where, String value) throws ConfigException {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      default -> throw ConfigException.invalid(where, value, "error, warn, info or debug");
    };
  }
}
