package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;

/**
 * Notes the stream of the inbound HEADERS frame being decoded, and logs nothing. Netty's decoder answers a
 * HEADERS frame that the stream's state does not allow with errors RFC 9113 does not ask for (see {@link
 * Http2ServerConnection#onStreamError}); its stream errors carry no frame type, and the inbound frame logger is
 * the one hook of Netty's connection builder that sees a frame before the decoder's state checks. The
 * connection asks this tracker whether an error came from a HEADERS frame. Cleared by a DATA frame and by every
 * HEADERS frame that passed the checks. One per connection; event loop only.
 */
final class InboundHeadersTracker extends Http2FrameLogger {

  private int streamId;

  InboundHeadersTracker() {
    super(LogLevel.TRACE, InboundHeadersTracker.class);
  }

  /** The stream of the HEADERS frame being decoded, or 0; clears it. */
  int takeStreamId() {
    int id = streamId;
    streamId = 0;
    return id;
  }

  @Override
  public boolean isEnabled() {
    return false;
  }

  @Override
  public void logHeaders(
      Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
      boolean endStream) {
    if (direction == Direction.INBOUND) {
      this.streamId = streamId;
    }
  }

  @Override
  public void logHeaders(
      Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
      short weight, boolean exclusive, int padding, boolean endStream) {
    if (direction == Direction.INBOUND) {
      this.streamId = streamId;
    }
  }

  @Override
  public void logData(
      Direction direction, ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endStream) {
    if (direction == Direction.INBOUND) {
      this.streamId = 0;
    }
  }
}
