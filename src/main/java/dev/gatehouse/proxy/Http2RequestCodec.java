package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
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
