package dev.gatehouse.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Hands the next handler exactly one decoded message per {@code read()} (auto-read off), keeping the rest
 * queued: the request handler pulls a body piece only when the previous one has been forwarded, and a
 * pipelined request waits until the one before it is answered.
 *
 * <p>Netty's {@code FlowControlHandler} does this too, but (4.2.18) forgets a pending read when a socket
 * read yields no whole message, e.g. half a TLS record of a body; the decoder then asks the socket for more
 * bytes, the message arrives, and nobody takes it. Here a read stays wanted until a message is delivered.
 */
final class OneMessagePerRead extends ChannelDuplexHandler {

  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean wanted;

  @Override
  public void read(ChannelHandlerContext ctx) {
    Object next = queue.poll();
    if (next != null) {
      ctx.fireChannelRead(next);
      ctx.fireChannelReadComplete();
      return;
    }
    wanted = true;
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (wanted) {
      wanted = false;
      ctx.fireChannelRead(msg);
    } else {
      queue.add(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (wanted && !ctx.channel().config().isAutoRead()) {
      // The bytes read so far made no whole message: keep asking.
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    Object next;
    while ((next = queue.poll()) != null) {
      ctx.fireChannelRead(next);
    }
  }

  private void release() {
    Object next;
    while ((next = queue.poll()) != null) {
      ReferenceCountUtil.release(next);
    }
  }
}
