package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 stream's frames as the HTTP/1 messages the request handlers read (Netty's conversion), plus the
 * two request limits the connection codec does not enforce per stream:
 *
 * <ul>
 *   <li>At most {@link Limits#maxHeaderCount()} header fields, as on HTTP/1.1: a request with more is passed
 *       on marked failed, so it is answered 431 (RFC 6585 §5) and never reaches the upstream. Pseudo-header
 *       fields (RFC 9113 §8.3) do not count, as the HTTP/1.1 request line does not.
 *   <li>The body-idle timeout when request bodies are not buffered (with buffering, {@link RequestBodyBuffer}
 *       times the body): while the handlers wait for more of a body, a stream whose DATA stops for {@link
 *       Limits#bodyIdleTimeout()} is closed, which resets it (RST_STREAM CANCEL, RFC 9113 §8.4) and aborts its
 *       upstream request; the connection's other streams go on.
 * </ul>
 */
final class Http2RequestCodec extends Http2StreamFrameToHttpObjectCodec {

  private static final System.Logger LOG = System.getLogger(Http2RequestCodec.class.getName());

  private final int maxHeaderCount;
  private final long bodyIdleNanos;
  private boolean headSeen;
  private boolean inBody;
  private boolean waiting;
  private long deadline;
  private ScheduledFuture<?> timer;

  Http2RequestCodec(Limits limits) {
    super(true);
    this.maxHeaderCount = limits.maxHeaderCount();
    this.bodyIdleNanos = limits.bufferRequestBodies() ? 0 : limits.bodyIdleTimeout().toNanos();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) throws Exception {
    boolean head = !headSeen && frame instanceof Http2HeadersFrame;
    if (head) {
      headSeen = true;
    }
    if (frame instanceof Http2HeadersFrame headers) {
      inBody = head && !headers.isEndStream();
    } else if (frame instanceof Http2DataFrame data && data.isEndStream()) {
      inBody = false;
    }
    int first = out.size();
    super.decode(ctx, frame, out);
    if (head && out.size() > first && out.get(first) instanceof HttpRequest request
        && regularFields(((Http2HeadersFrame) frame).headers()) > maxHeaderCount) {
      request.setDecoderResult(
          DecoderResult.failure(new TooLongHttpHeaderException("more than " + maxHeaderCount + " header fields")));
    }
  }

  /** Fields that are not pseudo-header fields; counted only when the total could be over the limit. */
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

  @Override
  public void read(ChannelHandlerContext ctx) throws Exception {
    if (inBody && bodyIdleNanos > 0 && !waiting) {
      waiting = true;
      deadline = ctx.executor().ticker().nanoTime() + bodyIdleNanos;
      if (timer == null) {
        schedule(ctx, bodyIdleNanos);
      }
    }
    super.read(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    waiting = false;
    super.channelRead(ctx, msg);
  }

  /** One scheduled task per wait at most: reads that come in time only move the deadline. */
  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (!waiting || !inBody) {
      return;
    }
    long left = deadline - ctx.executor().ticker().nanoTime();
    if (left > 0) {
      schedule(ctx, left);
      return;
    }
    LOG.log(Level.DEBUG, () -> "resetting " + ctx.channel() + ": request body idle for "
        + TimeUnit.NANOSECONDS.toMillis(bodyIdleNanos) + " ms");
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    super.handlerRemoved(ctx);
  }
}
