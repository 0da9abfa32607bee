package dev.gatehouse.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A response head as an HTTP/2 header block, in one pass: {@code :status}, then every field with its name in
 * lower case (RFC 9113 §8.2.1) except the connection-specific ones (RFC 9113 §8.2.2). Netty's generic
 * conversion ({@code HttpConversionUtil}) builds a map of the Connection header's options and re-validates
 * every name for every response; here the names were already checked by the upstream's HTTP/1.1 decoder (or
 * are Gatehouse's own constants), and hop-by-hop fields were already stripped ({@link HopByHop}). A head that
 * still carries the fields needing more than a drop (Connection and the names it lists, TE, Cookie crumbs) takes
 * the generic path, so the output is the same as Netty's for every head.
 */
final class Http2ResponseHeaders {

  /**
   * Never sent on HTTP/2 (RFC 9113 §8.2.2: connection-specific fields; §8.3.1: Host becomes :authority), plus
   * Netty's HTTP/2-to-HTTP/1 extension names, which must not leak back out; the same list Netty's conversion
   * drops.
   */
  static final List<String> DROPPED =
      List.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "host",
          HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text().toString(),
          HttpConversionUtil.ExtensionHeaderNames.SCHEME.text().toString(),
          HttpConversionUtil.ExtensionHeaderNames.PATH.text().toString());

  private static final HeaderNameSet DROPPED_SET = HeaderNameSet.of(DROPPED);

  /** Fields whose conversion is more than a copy or a drop: left to Netty's generic path. */
  private static final HeaderNameSet GENERIC_PATH =
      HeaderNameSet.of(List.of("connection", "te", "cookie"));

  private Http2ResponseHeaders() {}

  /** The header block for {@code response}'s head (its body and trailers are not looked at). */
  static Http2Headers of(HttpResponse response) {
    HttpHeaders in = response.headers();
    Http2Headers out = new DefaultHttp2Headers(false, in.size() + 1);
    out.status(response.status().codeAsText());
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> field = it.next();
      CharSequence name = field.getKey();
      if (GENERIC_PATH.contains(name)) {
        return HttpConversionUtil.toHttp2Headers(response, true);
      }
      if (!DROPPED_SET.contains(name)) {
        out.add(AsciiString.of(name).toLowerCase(), field.getValue());
      }
    }
    return out;
  }
}
