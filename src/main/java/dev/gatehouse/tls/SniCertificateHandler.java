package dev.gatehouse.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * First handler of a TLS connection: reads the ClientHello, asks the {@link CertificateSelector} for the
 * context, and replaces itself with that context's {@link SslHandler}. A hello that maps to no certificate
 * gets a fatal {@code unrecognized_name} alert (RFC 6066 §3) and the connection is closed. The whole
 * handshake, ClientHello included, must finish within the handshake timeout.
 */
public final class SniCertificateHandler extends SslClientHelloHandler<SslContext> {

  private static final System.Logger LOG = System.getLogger(SniCertificateHandler.class.getName());

  /** A TLS alert record: type 21, version 3.3, length 2, level fatal (2), unrecognized_name (112). */
  private static final byte[] UNRECOGNIZED_NAME_ALERT = {21, 3, 3, 0, 2, 2, 112};

  /** The pipeline name of the {@link SslHandler} this handler is replaced with. */
  public static final String SSL_HANDLER_NAME = "tls";

  private final CertificateSelector selector;
  private final Duration handshakeTimeout;
  private final long startNanos = System.nanoTime();
  private ScheduledFuture<?> timeout;
  private boolean rejected;

  public SniCertificateHandler(CertificateSelector selector, Duration handshakeTimeout) {
    this.selector = selector;
    this.handshakeTimeout = handshakeTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (!handshakeTimeout.isZero()) {
      timeout = ctx.executor().schedule(() -> {
        LOG.log(Level.DEBUG, () -> "TLS: no ClientHello from " + ctx.channel().remoteAddress() + " in time");
        ctx.fireUserEventTriggered(HandshakeRejected.TIMEOUT);
        ctx.close();
      }, handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
    return selector.select(ClientHello.parse(clientHello), ctx.executor());
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, Future<SslContext> future) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (ctx.isRemoved()) {
      // The client left while its context was being built (a certificate or challenge answer had just
      // arrived): there is no pipeline left to hand over to, and the reference select() gave goes back.
      if (future.isSuccess()) {
        ReferenceCountUtil.release(future.getNow());
      }
      return;
    }
    if (!future.isSuccess()) {
      // The ClientHello's remaining bytes can run the lookup again before the close completes: answer once.
      if (rejected) {
        return;
      }
      rejected = true;
      Throwable cause = future.cause();
      LOG.log(
          cause instanceof NoCertificateException ? Level.DEBUG : Level.WARNING,
          () -> "TLS from " + ctx.channel().remoteAddress() + ": " + cause.getMessage());
      if (cause instanceof NoCertificateException) {
        ctx.fireUserEventTriggered(HandshakeRejected.UNKNOWN_NAME);
      }
      ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME_ALERT)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    SslContext context = future.getNow();
    SslHandler ssl = null;
    try {
      ssl = context.newHandler(ctx.alloc());
      ServerSslContextFactory.useClientCipherOrder(ssl.engine());
      long remaining = handshakeTimeout.toNanos() - (System.nanoTime() - startNanos);
      ssl.setHandshakeTimeout(handshakeTimeout.isZero() ? 0 : Math.max(1, remaining), TimeUnit.NANOSECONDS);
      ctx.pipeline().replace(this, SSL_HANDLER_NAME, ssl);
      ssl = null;
    } finally {
      // The engine holds its own reference to the context (CertificateSelector#select gave this one). An
      // SslHandler that did not get into the pipeline (the connection closed while a context was being
      // built) never releases its engine: that is done here, as Netty's SniHandler does.
      if (ssl != null) {
        ReferenceCountUtil.release(ssl.engine());
      }
      ReferenceCountUtil.release(context);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    if (timeout != null) {
      timeout.cancel(false);
    }
    super.handlerRemoved0(ctx);
  }
}
