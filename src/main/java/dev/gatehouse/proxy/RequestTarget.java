package dev.gatehouse.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a request is addressed: the host (from the Host header, or from an absolute-form target, which RFC
 * 9112 §3.2.2 says wins), the port the client wrote, and the origin-form path and query exactly as sent.
 * Anything that is not a plain DNS name or IP literal, with an optional port, is refused, so nothing a client
 * writes in Host ever reaches a Location header or a log line unchecked (userinfo, slashes, spaces, percent
 * signs, controls, a second Host).
 *
 * @param host lower-case, without a trailing dot; IPv6 literals without brackets
 * @param authority the client's Host value as sent (port included), what the upstream gets as {@code Host}
 * @param originForm the path and query as sent, starting with {@code /}
 */
record RequestTarget(String host, OptionalInt port, String authority, String originForm) {

  /** Highest TCP port (RFC 9293 §3.1: 16 bits). */
  private static final int MAX_PORT = 65535;

  /** The request's target, or empty when the Host header is missing, repeated or malformed (400). */
  static Optional<RequestTarget> of(HttpRequest request) {
    String uri = request.uri();
    if (!isVisibleAscii(uri)) {
      return Optional.empty();
    }
    if (uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)) {
      int start = uri.indexOf("//") + 2;
      int slash = uri.indexOf('/', start);
      int query = uri.indexOf('?', start);
      int end = slash < 0 ? (query < 0 ? uri.length() : query) : (query < 0 ? slash : Math.min(slash, query));
      String path = uri.substring(end);
      return authority(uri.substring(start, end), path.isEmpty() || path.startsWith("?") ? "/" + path : path);
    }
    if (!uri.startsWith("/")) {
      return Optional.empty();
    }
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() != 1) {
      return Optional.empty();
    }
    return authority(hosts.get(0), uri);
  }

  private static Optional<RequestTarget> authority(String authority, String originForm) {
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return Optional.empty();
      }
      host = authority.substring(1, close);
      if (!isIpv6Literal(host)) {
        return Optional.empty();
      }
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return Optional.empty();
        }
        portText = rest.substring(1);
      }
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
      if (!isHostName(host)) {
        return Optional.empty();
      }
    }
    OptionalInt port = OptionalInt.empty();
    if (portText != null) {
      int value = port(portText);
      if (value < 0) {
        return Optional.empty();
      }
      port = OptionalInt.of(value);
    }
    String normalized = host.toLowerCase(Locale.ROOT);
    if (normalized.endsWith(".")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    if (normalized.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RequestTarget(normalized, port, authority, originForm));
  }

  // The checks below are character loops, not regular expressions: they run for every request, and a Matcher
  // was 3 % of the event loops' samples (BENCHMARKS.md).

  /** Hex digits, ':' and '.' (an embedded IPv4 part), with at least one ':' (RFC 3986 §3.2.2, no zone ID). */
  private static boolean isIpv6Literal(String s) {
    boolean colon = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        colon = true;
      } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.')) {
        return false;
      }
    }
    return colon;
  }

  /**
   * RFC 1123 names and IPv4 literals: letters, digits, '-', '.' and '_' (real hosts carry it), not starting
   * with a dot and without an empty label.
   */
  private static boolean isHostName(String s) {
    if (s.isEmpty() || s.charAt(0) == '.') {
      return false;
    }
    char previous = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '_' || c == '.' && previous != '.';
      if (!allowed) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  /** One to five ASCII digits up to {@value #MAX_PORT}, or -1. */
  private static int port(String s) {
    if (s.isEmpty() || s.length() > 5) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= MAX_PORT ? value : -1;
  }

  /** RFC 9112 §3.2: a request-target is visible ASCII; anything else is refused rather than re-encoded. */
  private static boolean isVisibleAscii(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** The path without the query, still percent-encoded. */
  String rawPath() {
    int q = originForm.indexOf('?');
    return q < 0 ? originForm : originForm.substring(0, q);
  }

  /** {@code host} as it must appear in a URL: IPv6 literals in brackets. */
  String urlHost() {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
