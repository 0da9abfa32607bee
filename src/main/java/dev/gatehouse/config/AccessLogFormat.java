package dev.gatehouse.config;

import java.util.Locale;

/** How each access log line is written: {@code --access-log-format common|combined|json}. */
public enum AccessLogFormat {
  /** The Common Log Format with the host and the duration appended (the default, unchanged since 1.0). */
  COMMON,
  /** Apache/nginx "combined": Common Log Format plus Referer and User-Agent, what log analysers expect. */
  COMBINED,
  /** One JSON object per line with the request id, upstream time, TLS version and protocol. */
  JSON;

  public static AccessLogFormat parse(String where, String value) throws ConfigException {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(where, value, "common, combined or json");
    }
  }
}
