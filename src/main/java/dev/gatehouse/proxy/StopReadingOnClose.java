package dev.gatehouse.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Stops reading from a client once the connection is being closed. Between the {@code SslHandler} and the
 * protocol handlers: the {@code SslHandler} keeps a closing connection open until its close_notify is flushed
 * (up to 3 s), and a flooding client that never reads (CVE-2019-9512, -9515: PING or SETTINGS whose
 * acknowledgements it leaves unread) keeps sending meanwhile; read on, those bytes pile up in the TLS
 * decoder, which decrypts them into a buffer of their size (15 MB measured in Http2FloodMemoryIT, past a 32 MiB
 * direct-memory cap). Bytes that arrive after the close are dropped.
 */
final class StopReadingOnClose extends ChannelDuplexHandler {

  private boolean closing;

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    closing = true;
    ctx.channel().config().setAutoRead(false);
    ctx.close(promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (!closing) {
      ctx.read();
    }
  }
}
