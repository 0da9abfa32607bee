package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;

/**
 * After a {@code 101 Switching Protocols} (RFC 9110 §15.2.2) the bytes on both connections are no longer
 * HTTP: the HTTP codecs leave both pipelines and this handler copies bytes each way, reading a side again
 * only when what it sent has been written to the other (backpressure as in Netty's HexDumpProxy). Either side
 * closing closes the other.
 */
final class WebSocketRelay extends ChannelInboundHandlerAdapter {

  private final Channel peer;

  private WebSocketRelay(Channel peer) {
    this.peer = peer;
  }

  /** Rewires the client connection (whose request handler is {@code front}) and the upstream connection. */
  static void install(ChannelHandlerContext front, Channel upstream) {
    Channel client = front.channel();
    ChannelPipeline clientPipeline = client.pipeline();
    clientPipeline.replace(front.handler(), "relay", new WebSocketRelay(upstream));
    clientPipeline.remove(HttpsChannelInitializer.HTTP_CODEC);
    // After the codec: bytes the framing check held back since the upgrade request go to the relay.
    clientPipeline.remove(HttpsChannelInitializer.FRAMING);
    ChannelPipeline upstreamPipeline = upstream.pipeline();
    upstreamPipeline.replace(UpstreamPool.HANDLER, "relay", new WebSocketRelay(client));
    upstreamPipeline.remove(UpstreamPool.HTTP_CODEC);
    client.read();
    upstream.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes) || !bytes.isReadable()) {
      // The empty end of the 101 message, decoded just before the codec left.
      ReferenceCountUtil.release(msg);
      ctx.read();
      return;
    }
    peer.writeAndFlush(bytes).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        ctx.close();
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
