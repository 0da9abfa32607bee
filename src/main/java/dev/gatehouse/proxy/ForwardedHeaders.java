package dev.gatehouse.proxy;

import dev.gatehouse.config.Cidr;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

  // The names as written: AsciiString keeps its hash, which every add would compute again from a String.
  private static final AsciiString FOR_NAME = AsciiString.cached(X_FORWARDED_FOR);
  private static final AsciiString REAL_IP_NAME = AsciiString.cached(X_REAL_IP);
  private static final AsciiString PROTO_NAME = AsciiString.cached(X_FORWARDED_PROTO);
  private static final AsciiString HOST_NAME = AsciiString.cached(X_FORWARDED_HOST);
  private static final AsciiString PORT_NAME = AsciiString.cached(X_FORWARDED_PORT);
  private static final AsciiString HTTPS = AsciiString.cached("https");

  private static final AttributeKey<Client> CLIENT = AttributeKey.valueOf(ForwardedHeaders.class, "client");

  private static final HeaderNameSet SET_NAMES = HeaderNameSet.of(SET);
  private static final HeaderNameSet SPOOFABLE_NAMES = HeaderNameSet.of(SPOOFABLE);

  /**
   * Whether the client's field {@code name} is left out of the upstream's request because Gatehouse writes
   * its own ({@link #add}): every one of {@link #SPOOFABLE} from an untrusted peer, those of {@link #SET}
   * from a trusted proxy (the rest of its forwarding fields pass unchanged).
   */
  static boolean isReplaced(CharSequence name, boolean trustedPeer) {
    return trustedPeer ? SET_NAMES.contains(name) : SPOOFABLE_NAMES.contains(name);
  }

  /**
   * One client connection as its forwarding fields name it, written once per connection rather than per
   * request: the peer does not change on a keep-alive connection. {@code AsciiString}s go into the upstream's
   * head by a plain copy.
   *
   * @param address the address the connection came from
   * @param addressText {@code address} as text (IPv6 compressed, RFC 5952)
   * @param localPort the port the client connected to, as text
   */
  record Client(InetAddress address, AsciiString addressText, AsciiString localPort) {
    static Client of(InetAddress address, int localPort) {
      return new Client(address, new AsciiString(NetUtil.toAddressString(address)), new AsciiString(Integer.toString(localPort)));
    }
  }

  /** The client of TCP connection {@code connection}, made on its first request and kept with the channel. */
  static Client clientOf(Channel connection) {
    Attribute<Client> attribute = connection.attr(CLIENT);
    Client client = attribute.get();
    if (client == null) {
      client = Client.of(
          ((InetSocketAddress) connection.remoteAddress()).getAddress(),
          ((InetSocketAddress) connection.localAddress()).getPort());
      attribute.set(client);
    }
    return client;
  }

  /**
   * Adds Gatehouse's forwarding fields to {@code upstream}, which holds none of those {@link #isReplaced}.
   *
   * @param client the client's fields: a trusted proxy's chain is extended, its single values kept
   * @param peer the client connection
   * @param authority the client's Host value, port included; also sent as {@code Host}
   * @param trustedProxies peers whose forwarded headers are kept ({@code --trusted-proxy})
   */
  static void add(
      HttpHeaders upstream,
      HttpHeaders client,
      Client peer,
      String authority,
      List<Cidr> trustedProxies) {
    if (!isTrusted(peer.address(), trustedProxies)) {
      upstream.add(FOR_NAME, peer.addressText());
      upstream.add(REAL_IP_NAME, peer.addressText());
      upstream.add(PROTO_NAME, HTTPS);
      upstream.add(HOST_NAME, authority);
      upstream.add(PORT_NAME, peer.localPort());
      return;
    }
    String peerText = peer.addressText().toString();
    List<String> chain = new ArrayList<>();
    for (String value : client.getAll(X_FORWARDED_FOR)) {
      for (String hop : value.split(",")) {
        if (!hop.isBlank()) {
          chain.add(hop.trim());
        }
      }
    }
    chain.add(peerText);
    upstream.add(FOR_NAME, String.join(", ", chain));
    upstream.add(REAL_IP_NAME, clientOf(chain, trustedProxies));
    upstream.add(PROTO_NAME, singleOr(client, PROTO_NAME, "https"));
    upstream.add(HOST_NAME, singleOr(client, HOST_NAME, authority));
    upstream.add(PORT_NAME, singleOr(client, PORT_NAME, peer.localPort().toString()));
  }

  static boolean isTrusted(InetAddress peer, List<Cidr> trustedProxies) {
    for (int i = 0; i < trustedProxies.size(); i++) {
      if (trustedProxies.get(i).contains(peer)) {
        return true;
      }
    }
    return false;
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

  /** The client's value of {@code name} if it sent exactly one, a single item; else {@code ours}. */
  private static String singleOr(HttpHeaders client, CharSequence name, String ours) {
    List<String> values = client.getAll(name);
    if (values.size() != 1 || values.get(0).isBlank() || values.get(0).contains(",")) {
      return ours;
    }
    return values.get(0);
  }
}
