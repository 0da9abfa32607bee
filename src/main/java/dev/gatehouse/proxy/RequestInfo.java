package dev.gatehouse.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * What the access log and the response headers need to know about a request, fixed when its head arrives.
 *
 * @param host the configured host the request is for; empty when it named none (400, 421)
 * @param strictTransportSecurity the HSTS value its responses get; empty for none
 * @param startMillis when the head arrived, milliseconds since the epoch: a date for the access log is made
 *     only when a line is written (a {@code ZonedDateTime} per request was 4 % of the proxy's allocation)
 * @param referer the request's Referer, for the combined and JSON formats; {@code null} when absent
 * @param userAgent the request's User-Agent, as {@code referer}
 * @param tlsVersion the connection's TLS version ({@code TLSv1.3}), read only for the JSON format; else {@code null}
 */
record RequestInfo(
    InetSocketAddress client,
    int localPort,
    String method,
    String uri,
    String protocol,
    Optional<String> host,
    Optional<String> strictTransportSecurity,
    long startNanos,
    long startMillis,
    String referer,
    String userAgent,
    String tlsVersion) {

  /** A request whose Referer, User-Agent and TLS version no access log format needs (port 80's redirects). */
  RequestInfo(
      InetSocketAddress client,
      int localPort,
      String method,
      String uri,
      String protocol,
      Optional<String> host,
      Optional<String> strictTransportSecurity,
      long startNanos,
      long startMillis) {
    this(client, localPort, method, uri, protocol, host, strictTransportSecurity, startNanos, startMillis, null, null,
        null);
  }

  private static final DateTimeFormatter COMMON_LOG_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

  RequestInfo withHost(String configuredHost, Optional<String> hsts) {
    return new RequestInfo(
        client, localPort, method, uri, protocol, Optional.of(configuredHost), hsts, startNanos, startMillis, referer,
        userAgent, tlsVersion);
  }

  static long now() {
    return System.currentTimeMillis();
  }

  /**
   * The Common Log Format (as Apache and nginx write it) with the host and the duration appended: {@code
   * 203.0.113.9 - - [10/Oct/2025:13:55:36 +0000] "GET /x HTTP/1.1" 200 2326 "app.example" 12ms}. The request
   * line is quoted with quotes and backslashes escaped, as nginx does, so a request cannot forge a line.
   */
  String accessLogLine(int status, long bytes) {
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    return client.getAddress().getHostAddress()
        + " - - ["
        + COMMON_LOG_TIME.format(Instant.ofEpochMilli(startMillis).atZone(ZoneOffset.UTC))
        + "] \""
        + escape(method + " " + uri + " " + protocol)
        + "\" "
        + status
        + " "
        + bytes
        + " \""
        + escape(host.orElse("-"))
        + "\" "
        + took.toMillis()
        + "ms";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\x%02x", (int) c & 0xff));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
