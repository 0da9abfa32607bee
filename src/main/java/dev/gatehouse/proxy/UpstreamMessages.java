package dev.gatehouse.proxy;

import dev.gatehouse.config.Cidr;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** How a client request becomes the upstream's request, and the upstream's response the client's. */
final class UpstreamMessages {
  private UpstreamMessages() {}

  /** Netty's HTTP/2-to-HTTP/1 conversion adds these ({@code x-http2-scheme}, ...); they are not the client's. */
  static final List<String> HTTP2_CONVERSION_HEADERS =
      java.util.Arrays.stream(HttpConversionUtil.ExtensionHeaderNames.values())
          .map(n -> n.text().toString().toLowerCase(Locale.ROOT))
          .toList();

  /** Whether an HTTP/1.1 request asks to become a WebSocket (RFC 6455 §4.1); the only upgrade passed on. */
  static boolean isWebSocketUpgrade(HttpRequest request) {
    return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && request.method().equals(HttpMethod.GET)
        && "websocket".equalsIgnoreCase(String.valueOf(request.headers().get(HttpHeaderNames.UPGRADE)).trim())
        && HopByHop.connectionOptions(request.headers()).contains("upgrade");
  }

  /**
   * Never copied from the client's request: hop-by-hop fields, Netty's HTTP/2 conversion fields, Expect (RFC
   * 9110 §10.1.1: Gatehouse answers 100-continue itself, before it starts reading the body) and Host, which
   * Gatehouse writes from the request target.
   */
  private static final HeaderNameSet NOT_COPIED = HeaderNameSet.of(Stream.of(
          HopByHop.HEADERS.stream(), HTTP2_CONVERSION_HEADERS.stream(), Stream.of("expect", "host"))
      .flatMap(s -> s)
      .toList());

  /**
   * The request head for the upstream: HTTP/1.1, origin-form target as the client sent it, the client's Host,
   * hop-by-hop fields removed, {@link ForwardedHeaders} applied, and framing Gatehouse writes itself
   * (chunked when the client's body has no declared length). One scan of the client's fields finds those not
   * passed on, and only they are removed: removing all ~25 names one by one, each hashed, cost ~1.5 µs.
   */
  static HttpRequest request(
      HttpRequest client,
      RequestTarget target,
      ForwardedHeaders.Client peer,
      List<Cidr> trustedProxies,
      boolean webSocket) {
    HttpHeaders in = client.headers();
    boolean chunked = HttpUtil.isTransferEncodingChunked(client);
    boolean trustedPeer = ForwardedHeaders.isTrusted(peer.address(), trustedProxies);
    List<String> nominated = HopByHop.nominated(in);
    // Copied whole (each field keeps its hash and is not validated again), then the few fields found not to
    // pass are removed. The copy validates what is added to it as the client's fields were: on port 443's
    // HTTP/1.1 not again, StrictRequestFraming checked every name and value before the codec.
    HttpHeaders headers = in.copy();
    List<CharSequence> dropped = null;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      CharSequence name = it.next().getKey();
      if (NOT_COPIED.contains(name)
          || ForwardedHeaders.isReplaced(name, trustedPeer)
          || HopByHop.isNominated(name, nominated)
          || (chunked && HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name))) {
        if (dropped == null) {
          dropped = new ArrayList<>(4);
        }
        dropped.add(name);
      }
    }
    if (dropped != null) {
      for (CharSequence name : dropped) {
        headers.remove(name);
      }
    }
    headers.add(HttpHeaderNames.HOST, target.authority());
    ForwardedHeaders.add(headers, in, peer, target.authority(), trustedProxies);
    if (chunked) {
      headers.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (webSocket) {
      headers.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      headers.add(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, client.method(), target.originForm(), headers);
  }

  /**
   * Rewrites the upstream's response head in place for the client: hop-by-hop fields removed (a 101 keeps
   * its Upgrade), and chunked framing when the upstream gave no length (it ended the body by closing, which
   * the client connection need not copy) and the client speaks HTTP/1.1; an HTTP/1.0 client gets the body
   * ended by a close (RFC 9112 §7.1: no chunked to 1.0), an HTTP/2 client by its stream.
   *
   * @return whether the upstream keeps its connection open after this response: HTTP/1.1 without the
   *     {@code close} connection option (RFC 9112 §9.3)
   */
  static boolean response(HttpResponse response, boolean headRequest, boolean chunkedClient) {
    HttpHeaders headers = response.headers();
    int code = response.status().code();
    String upgrade = code == 101 ? headers.get(HttpHeaderNames.UPGRADE) : null;
    boolean keepAlive = !HopByHop.strip(headers) && response.protocolVersion().equals(HttpVersion.HTTP_1_1);
    if (code == 101 && upgrade != null) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      headers.set(HttpHeaderNames.UPGRADE, upgrade);
    }
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    boolean mayHaveBody = code >= 200 && code != 204 && code != 304 && !headRequest;
    if (chunkedClient && mayHaveBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return keepAlive;
  }
}
