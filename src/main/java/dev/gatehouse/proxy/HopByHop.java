package dev.gatehouse.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Header fields that describe one connection and must not be forwarded (RFC 9110 §7.6.1), plus whatever
 * the Connection field itself nominates.
 */
final class HopByHop {
  private HopByHop() {}

  /**
   * RFC 9110 §7.6.1 names Connection, Proxy-Connection, Keep-Alive, TE, Transfer-Encoding and Upgrade;
   * Proxy-Authenticate and Proxy-Authorization are for the proxy itself (RFC 9110 §11.7.1, §11.7.2).
   */
  static final List<String> HEADERS =
      List.of(
          "connection",
          "proxy-connection",
          "keep-alive",
          "te",
          "transfer-encoding",
          "upgrade",
          "proxy-authenticate",
          "proxy-authorization");

  /**
   * Never removed because Connection names them: a client writing {@code Connection: host} or {@code
   * Connection: content-length} must not change how the request is routed or framed upstream.
   */
  static final Set<String> NOT_NOMINATABLE = Set.of("host", "content-length");

  /** Removes the hop-by-hop fields and those Connection nominates. */
  static void strip(HttpHeaders headers) {
    for (String nominated : connectionOptions(headers)) {
      if (!NOT_NOMINATABLE.contains(nominated)) {
        headers.remove(nominated);
      }
    }
    for (String name : HEADERS) {
      headers.remove(name);
    }
  }

  /** The lower-case tokens of every Connection field (RFC 9110 §7.6.1: a comma-separated list). */
  static List<String> connectionOptions(HttpHeaders headers) {
    List<String> options = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          options.add(t);
        }
      }
    }
    return options;
  }
}
