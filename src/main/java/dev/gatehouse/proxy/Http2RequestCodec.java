package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.List;

/**
 * One HTTP/2 stream's frames as the HTTP/1 messages the request handlers read (Netty's conversion), with the
 * header-field cap of HTTP/1.1: a request with more than {@link Limits#maxHeaderCount()} fields is passed on
 * marked failed, so it is answered 431 (RFC 6585 §5) on its stream and never reaches the upstream. The
 * connection codec only bounds the header block's size (SETTINGS_MAX_HEADER_LIST_SIZE), and many tiny fields
 * fit in it. Pseudo-header fields (RFC 9113 §8.3) do not count, as the HTTP/1.1 request line does not.
 */
final class Http2RequestCodec extends Http2StreamFrameToHttpObjectCodec {

  private final int maxHeaderCount;
  private boolean headSeen;

  Http2RequestCodec(Limits limits) {
    super(true);
    this.maxHeaderCount = limits.maxHeaderCount();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) throws Exception {
    boolean head = !headSeen && frame instanceof Http2HeadersFrame;
    headSeen |= head;
    int first = out.size();
    super.decode(ctx, frame, out);
    if (head && out.size() > first && out.get(first) instanceof HttpRequest request
        && regularFields(((Http2HeadersFrame) frame).headers()) > maxHeaderCount) {
      request.setDecoderResult(
          DecoderResult.failure(new TooLongHttpHeaderException("more than " + maxHeaderCount + " header fields")));
    }
  }

  /**
   * A response head is converted by {@link Http2ResponseHeaders}; everything else (body pieces, trailers) by
   * Netty. Frames as Netty's encoder makes them: an interim 1xx head never ends the stream (RFC 9113 §8.1); a
   * complete response without body or trailers ends it in its HEADERS frame.
   */
  @Override
  protected void encode(ChannelHandlerContext ctx, HttpObject obj, List<Object> out) throws Exception {
    if (!(obj instanceof HttpResponse response)) {
      super.encode(ctx, obj, out);
      return;
    }
    Http2Headers headers = Http2ResponseHeaders.of(response);
    HttpResponseStatus status = response.status();
    if (status.codeClass() == HttpStatusClass.INFORMATIONAL && status.code() != 101) {
      out.add(new DefaultHttp2HeadersFrame(headers, false));
      return;
    }
    if (!(response instanceof FullHttpResponse full)) {
      out.add(new DefaultHttp2HeadersFrame(headers, false));
      return;
    }
    boolean bodyOrTrailers = full.content().isReadable() || !full.trailingHeaders().isEmpty();
    out.add(new DefaultHttp2HeadersFrame(headers, !bodyOrTrailers));
    if (bodyOrTrailers) {
      // The body and trailers as a last content of their own, which Netty frames (and retains: the codec
      // releases the response itself once encoded).
      super.encode(ctx, new DefaultLastHttpContent(full.content(), full.trailingHeaders()), out);
    }
  }

  /** Fields that are not pseudo-header fields; counted one by one only when the total could be over the limit. */
  private int regularFields(Http2Headers headers) {
    int size = headers.size();
    if (size <= maxHeaderCount) {
      return size;
    }
    int pseudo = 0;
    for (var field : headers) {
      if (Http2Headers.PseudoHeaderName.hasPseudoHeaderFormat(field.getKey())) {
        pseudo++;
      }
    }
    return size - pseudo;
  }
}
