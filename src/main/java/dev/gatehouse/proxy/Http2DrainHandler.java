package dev.gatehouse.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On an HTTP/2 connection, a drain closes the channel, which Netty's HTTP/2 handler turns into a GOAWAY
 * (RFC 9113 §6.8) and a wait for the open streams to finish, bounded by the drain timeout.
 */
final class Http2DrainHandler extends ChannelInboundHandlerAdapter {

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DrainEvent.INSTANCE) {
      ctx.channel().close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
