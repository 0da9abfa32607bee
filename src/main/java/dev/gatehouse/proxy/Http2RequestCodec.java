package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;

/**
 * One HTTP/2 stream's frames as the HTTP/1 messages the request handlers read, and their responses back as
 * frames: the conversion of Netty's {@code Http2StreamFrameToHttpObjectCodec}, message for message (its field
 * translation, {@link HttpConversionUtil}, does the work), without its per-stream codec machinery and without
 * an empty pooled buffer for the body of a request that has none. A response head is converted by {@link
 * Http2ResponseHeaders}. With the header-field cap of HTTP/1.1: a request with more than {@link
 * Limits#maxHeaderCount()} fields is passed on marked failed, so it is answered 431 (RFC 6585 §5) on its
 * stream and never reaches the upstream. The connection codec only bounds the header block's size
 * (SETTINGS_MAX_HEADER_LIST_SIZE), and many tiny fields fit in it. Pseudo-header fields (RFC 9113 §8.3) do not
 * count, as the HTTP/1.1 request line does not.
 */
final class Http2RequestCodec extends ChannelDuplexHandler {

  private final int maxHeaderCount;
  private boolean headSeen;

  Http2RequestCodec(Limits limits) {
    this.maxHeaderCount = limits.maxHeaderCount();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    HttpObject decoded;
    try {
      if (msg instanceof Http2HeadersFrame frame) {
        decoded = decodeHeaders(frame);
      } else if (msg instanceof Http2DataFrame frame) {
        // The frame's buffer becomes the content's: no retain, no release.
        decoded = frame.isEndStream()
            ? new DefaultLastHttpContent(frame.content())
            : new DefaultHttpContent(frame.content());
      } else {
        ctx.fireChannelRead(msg);
        return;
      }
    } catch (DecoderException e) {
      ReferenceCountUtil.release(msg);
      throw e;
    } catch (Exception e) {
      ReferenceCountUtil.release(msg);
      throw new DecoderException(e);
    }
    ctx.fireChannelRead(decoded);
  }

  /**
   * The request head (trailers after a body): a head that ends the stream is the whole request; one that does
   * not is followed by DATA, chunked unless it declares its length (RFC 9113 §8.1: an HTTP/2 body has no framing
   * of its own).
   */
  private HttpObject decodeHeaders(Http2HeadersFrame frame) throws Exception {
    boolean head = !headSeen;
    headSeen = true;
    Http2Headers headers = frame.headers();
    int id = frame.stream() == null ? 0 : frame.stream().id();
    CharSequence status = headers.status();
    HttpObject decoded;
    if (status != null && isInformational(status)) {
      decoded = HttpConversionUtil.toFullHttpRequest(id, headers, Unpooled.EMPTY_BUFFER, true);
    } else if (frame.isEndStream()) {
      if (headers.method() == null && status == null) {
        LastHttpContent trailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        HttpConversionUtil.addHttp2ToHttpHeaders(id, headers, trailers.trailingHeaders(), HttpVersion.HTTP_1_1, true, true);
        decoded = trailers;
      } else {
        decoded = HttpConversionUtil.toFullHttpRequest(id, headers, Unpooled.EMPTY_BUFFER, true);
      }
    } else {
      HttpRequest request = HttpConversionUtil.toHttpRequest(id, headers, true);
      if (!HttpUtil.isContentLengthSet(request)) {
        request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      decoded = request;
    }
    if (head && decoded instanceof HttpRequest request && regularFields(headers) > maxHeaderCount) {
      request.setDecoderResult(
          DecoderResult.failure(new TooLongHttpHeaderException("more than " + maxHeaderCount + " header fields")));
    }
    return decoded;
  }

  /** Netty's test for an interim head, kept as it is: {@code 1} and two digits, the last not {@code 1}. */
  private static boolean isInformational(CharSequence status) {
    return status.length() == 3
        && status.charAt(0) == '1'
        && isDigit(status.charAt(1))
        && isDigit(status.charAt(2))
        && status.charAt(2) != '1';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof HttpObject)) {
      ctx.write(msg, promise);
      return;
    }
    Http2StreamFrame[] frames;
    try {
      frames = frames(msg);
    } catch (EncoderException e) {
      ReferenceCountUtil.safeRelease(msg);
      throw e;
    } catch (RuntimeException e) {
      // Netty fails the write's promise with what a handler's write throws.
      ReferenceCountUtil.safeRelease(msg);
      throw new EncoderException(e);
    }
    if (frames.length == 1 || promise.isVoid()) {
      for (Http2StreamFrame frame : frames) {
        ctx.write(frame, promise);
      }
      return;
    }
    PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
    for (Http2StreamFrame frame : frames) {
      combiner.add(ctx.write(frame));
    }
    combiner.finish(promise);
  }

  /** The frames of one message, in order; the message's buffers are theirs from here on. */
  private static Http2StreamFrame[] frames(Object msg) {
    if (msg instanceof HttpResponse response) {
      Http2Headers headers = Http2ResponseHeaders.of(response);
      HttpResponseStatus status = response.status();
      boolean interim = status.codeClass() == HttpStatusClass.INFORMATIONAL && status.code() != 101;
      if (interim || !(response instanceof FullHttpResponse full)) {
        // An interim 1xx head never ends the stream (RFC 9113 §8.1); a streamed response's body follows.
        ReferenceCountUtil.release(msg);
        return new Http2StreamFrame[] {new DefaultHttp2HeadersFrame(headers, false)};
      }
      boolean bodyOrTrailers = full.content().isReadable() || !full.trailingHeaders().isEmpty();
      Http2StreamFrame head = new DefaultHttp2HeadersFrame(headers, !bodyOrTrailers);
      if (!bodyOrTrailers) {
        full.release();
        return new Http2StreamFrame[] {head};
      }
      return end(head, full.content(), full.trailingHeaders(), true);
    }
    if (msg instanceof LastHttpContent last) {
      return end(null, last.content(), last.trailingHeaders(), last instanceof FullHttpMessage);
    }
    if (msg instanceof HttpContent content) {
      return new Http2StreamFrame[] {new DefaultHttp2DataFrame(content.content(), false)};
    }
    throw new EncoderException("cannot send " + msg.getClass().getSimpleName() + " on an HTTP/2 stream");
  }

  /**
   * The end of a response as Netty frames it, after {@code head} if there is one: the body (owned by the frame
   * from here on), if any, or an empty DATA frame to end the stream when there are no trailers; then the
   * trailers, which end it. A complete response's empty body needs no filler: its head ended the stream, or
   * trailers follow.
   */
  private static Http2StreamFrame[] end(Http2StreamFrame head, ByteBuf body, HttpHeaders trailers, boolean fullMessage) {
    boolean noTrailers = trailers.isEmpty();
    Http2StreamFrame data = null;
    if (body.isReadable() || (!fullMessage && noTrailers)) {
      data = new DefaultHttp2DataFrame(body, noTrailers);
    } else {
      body.release();
    }
    Http2StreamFrame trailerFrame =
        noTrailers ? null : new DefaultHttp2HeadersFrame(HttpConversionUtil.toHttp2Headers(trailers, true), true);
    Http2StreamFrame[] frames =
        new Http2StreamFrame[(head == null ? 0 : 1) + (data == null ? 0 : 1) + (trailerFrame == null ? 0 : 1)];
    int i = 0;
    if (head != null) {
      frames[i++] = head;
    }
    if (data != null) {
      frames[i++] = data;
    }
    if (trailerFrame != null) {
      frames[i] = trailerFrame;
    }
    return frames;
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
