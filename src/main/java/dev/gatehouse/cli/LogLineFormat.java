package dev.gatehouse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per log record: {@code 2026-12-08T04:21:11.203+00:00 INFO  certs: certificate for app.test issued}.
 * The time carries its zone offset (ISO 8601), the level uses the names operators know from other servers
 * (ERROR, WARN, INFO, DEBUG rather than java.util.logging's SEVERE, WARNING, FINE), and the area is the
 * Gatehouse package that logged ({@code certs}, {@code acme}, {@code proxy}, ...) or the library's
 * ({@code io.netty}).
 */
final class LogLineFormat extends Formatter {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");
  private static final String ROOT = "dev.gatehouse.";

  private final ZoneId zone;

  LogLineFormat(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(128);
    TIME.formatTo(record.getInstant().atZone(zone), line);
    line.append(' ').append(level(record.getLevel())).append(' ').append(area(record.getLoggerName())).append(": ")
        .append(formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append('\n').append(trace.toString().stripTrailing());
    }
    return line.append('\n').toString();
  }

  /** Five characters wide, so messages line up. */
  static String level(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN ";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO ";
    }
    return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
  }

  /** {@code dev.gatehouse.certs.CertificateManager} → {@code certs}; {@code io.netty.x.Y} → {@code io.netty}. */
  static String area(String logger) {
    if (logger == null || logger.isEmpty()) {
      return "gatehouse";
    }
    if (logger.startsWith(ROOT)) {
      String rest = logger.substring(ROOT.length());
      int dot = rest.indexOf('.');
      return dot < 0 ? "gatehouse" : rest.substring(0, dot);
    }
    int first = logger.indexOf('.');
    int second = first < 0 ? -1 : logger.indexOf('.', first + 1);
    return second < 0 ? logger : logger.substring(0, second);
  }
}
