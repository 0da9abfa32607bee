package dev.gatehouse.proxy;

import dev.gatehouse.config.Cidr;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What the upstream learns about the client. Django and Gunicorn believe these headers (SECURE_PROXY_SSL_HEADER,
 * USE_X_FORWARDED_HOST, Gunicorn's secure_scheme_headers from any Unix-socket peer), so a client must never
 * be able to supply them: from an untrusted peer every one of {@link #SPOOFABLE} is removed and the proxy
 * writes its own, exactly one value each (Django 3.2 reads {@code https,http} as http).
 */
final class ForwardedHeaders {
  private ForwardedHeaders() {}

  static final String X_FORWARDED_FOR = "x-forwarded-for";
  static final String X_FORWARDED_PROTO = "x-forwarded-proto";
  static final String X_FORWARDED_HOST = "x-forwarded-host";
  static final String X_FORWARDED_PORT = "x-forwarded-port";
  static final String X_REAL_IP = "x-real-ip";

  /** Written by Gatehouse on every forwarded request. */
  static final List<String> SET =
      List.of(X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST, X_FORWARDED_PORT, X_REAL_IP);

  /**
   * Removed when the peer is not a trusted proxy: what Gatehouse sets, RFC 7239 {@code Forwarded}, and the
   * scheme headers Gunicorn's default {@code secure_scheme_headers} trusts ({@code X-Forwarded-Ssl: on},
   * {@code X-Forwarded-Protocol: ssl}; a client's {@code X-Forwarded-Ssl: off} next to ours makes Gunicorn
   * answer 400) and {@code X-Forwarded-Scheme}, which nginx-derived setups read.
   */
  static final List<String> SPOOFABLE =
      List.of(
          X_FORWARDED_FOR,
          X_FORWARDED_PROTO,
          X_FORWARDED_HOST,
          X_FORWARDED_PORT,
          X_REAL_IP,
          "forwarded",
          "x-forwarded-ssl",
          "x-forwarded-protocol",
          "x-forwarded-scheme");

  /**
   * Rewrites {@code headers} for the upstream.
   *
   * @param peer the address the connection came from
   * @param authority the client's Host value, port included; also sent as {@code Host}
   * @param localPort the port the client connected to
   * @param trustedProxies peers whose forwarded headers are kept ({@code --trusted-proxy})
   */
  static void apply(
      HttpHeaders headers, InetAddress peer, String authority, int localPort, List<Cidr> trustedProxies) {
    String peerText = NetUtil.toAddressString(peer);
    if (!isTrusted(peer, trustedProxies)) {
      SPOOFABLE.forEach(headers::remove);
      headers.set(X_FORWARDED_FOR, peerText);
      headers.set(X_REAL_IP, peerText);
      headers.set(X_FORWARDED_PROTO, "https");
      headers.set(X_FORWARDED_HOST, authority);
      headers.set(X_FORWARDED_PORT, Integer.toString(localPort));
      return;
    }
    List<String> chain = new ArrayList<>();
    for (String value : headers.getAll(X_FORWARDED_FOR)) {
      for (String hop : value.split(",")) {
        if (!hop.isBlank()) {
          chain.add(hop.trim());
        }
      }
    }
    chain.add(peerText);
    headers.set(X_FORWARDED_FOR, String.join(", ", chain));
    headers.set(X_REAL_IP, clientOf(chain, trustedProxies));
    keepSingleOrSet(headers, X_FORWARDED_PROTO, "https");
    keepSingleOrSet(headers, X_FORWARDED_HOST, authority);
    keepSingleOrSet(headers, X_FORWARDED_PORT, Integer.toString(localPort));
  }

  static boolean isTrusted(InetAddress peer, List<Cidr> trustedProxies) {
    return trustedProxies.stream().anyMatch(c -> c.contains(peer));
  }

  /**
   * The client behind a chain of proxies: the right-most hop that is not a trusted proxy (what nginx's
   * {@code real_ip_recursive on} picks); the left-most when all are trusted.
   */
  private static String clientOf(List<String> chain, List<Cidr> trustedProxies) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      InetAddress hop = NetUtil.createInetAddressFromIpAddressString(chain.get(i));
      if (hop == null || !isTrusted(hop, trustedProxies)) {
        return chain.get(i);
      }
    }
    return chain.get(0);
  }

  private static void keepSingleOrSet(HttpHeaders headers, String name, String value) {
    List<String> values = headers.getAll(name);
    if (values.size() != 1 || values.get(0).isBlank() || values.get(0).contains(",")) {
      headers.set(name, value);
    }
  }
}
