package dev.gatehouse.proxy;

import dev.gatehouse.config.AccessLogFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An access log line in the configured {@link AccessLogFormat}. Called on event loops, once per request; only
 * the queueing of the line happens there, never its writing ({@link AccessLogWriter}).
 */
final class AccessLogLines {
  private AccessLogLines() {}

  private static final DateTimeFormatter COMMON_LOG_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

  static String line(AccessLogFormat format, RequestInfo info, int status, long bytes) {
    return switch (format) {
      case COMMON -> info.accessLogLine(status, bytes);
      case COMBINED -> combined(info, status, bytes);
      case JSON -> json(info, status, bytes);
    };
  }

  /**
   * Apache's and nginx's "combined": {@code 203.0.113.9 - - [10/Oct/2025:13:55:36 +0000] "GET /x HTTP/1.1"
   * 200 2326 "https://app.example/" "Mozilla/5.0 ..."}, what GoAccess, AWStats and fail2ban read.
   */
  static String combined(RequestInfo info, int status, long bytes) {
    return info.client().getAddress().getHostAddress()
        + " - - ["
        + COMMON_LOG_TIME.format(Instant.ofEpochMilli(info.startMillis()).atZone(ZoneOffset.UTC))
        + "] \""
        + RequestInfo.escape(info.method() + " " + info.uri() + " " + info.protocol())
        + "\" "
        + status
        + " "
        + bytes
        + " \""
        + RequestInfo.escape(info.referer() == null ? "-" : info.referer())
        + "\" \""
        + RequestInfo.escape(info.userAgent() == null ? "-" : info.userAgent())
        + "\"";
  }

  /** One JSON object (RFC 8259) per line; absent values are {@code null}; times in UTC, RFC 3339. */
  static String json(RequestInfo info, int status, long bytes) {
    StringBuilder j = new StringBuilder(256).append("{\"time\":");
    string(j, Instant.ofEpochMilli(info.startMillis()).toString());
    j.append(",\"client\":");
    string(j, info.client().getAddress().getHostAddress());
    j.append(",\"host\":");
    string(j, info.host().orElse(null));
    j.append(",\"method\":");
    string(j, info.method());
    j.append(",\"uri\":");
    string(j, info.uri());
    j.append(",\"protocol\":");
    string(j, info.protocol());
    j.append(",\"tls\":");
    string(j, info.tlsVersion());
    j.append(",\"status\":").append(status).append(",\"bytes\":").append(bytes).append(",\"duration_ms\":")
        .append((System.nanoTime() - info.startNanos()) / 1_000_000.0);
    j.append(",\"referer\":");
    string(j, info.referer());
    j.append(",\"user_agent\":");
    string(j, info.userAgent());
    return j.append('}').toString();
  }

  /** A JSON string, RFC 8259 §7: quotes, backslashes and control characters escaped. */
  private static void string(StringBuilder j, String s) {
    if (s == null) {
      j.append("null");
      return;
    }
    j.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        j.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        j.append(String.format("\\u%04x", (int) c));
      } else {
        j.append(c);
      }
    }
    j.append('"');
  }
}
