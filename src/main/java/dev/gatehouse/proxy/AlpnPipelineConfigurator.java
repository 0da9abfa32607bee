package dev.gatehouse.proxy;

import dev.gatehouse.tls.AlpnProtocols;
import dev.gatehouse.tls.HandshakeRejected;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Once the handshake is done, builds the pipeline for the negotiated protocol: {@code h2}, {@code
 * http/1.1} (also when the client offered no ALPN), or, for an {@code acme-tls/1} validation, nothing: RFC
 * 8737 §3 has the validator close right after the handshake, and so does Gatehouse.
 */
final class AlpnPipelineConfigurator extends ApplicationProtocolNegotiationHandler {

  private static final System.Logger LOG = System.getLogger(AlpnPipelineConfigurator.class.getName());

  private final HttpsChannelInitializer initializer;
  /** A failed handshake shows as an exception, a completion event or both: it is counted once. */
  private boolean failureCounted;

  AlpnPipelineConfigurator(HttpsChannelInitializer initializer) {
    super(AlpnProtocols.HTTP_1_1);
    this.initializer = initializer;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    observer().handshakeCompleted(tls == null ? "unknown" : tls.engine().getSession().getProtocol());
    switch (protocol) {
      case AlpnProtocols.H2 -> initializer.configureHttp2(ctx.channel());
      case AlpnProtocols.HTTP_1_1 -> initializer.configureHttp1(ctx.channel());
      default -> {
        ctx.close();
        return;
      }
    }
    TlsHandshakeObserver connections = observer();
    connections.connectionOpened(protocol);
    ctx.channel().closeFuture().addListener(closed -> connections.connectionClosed(protocol));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof HandshakeRejected rejected && !failureCounted) {
      failureCounted = true;
      observer().handshakeFailed(
          rejected == HandshakeRejected.UNKNOWN_NAME
              ? TlsHandshakeObserver.Reason.UNKNOWN_NAME
              : TlsHandshakeObserver.Reason.TIMEOUT);
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    countFailure(cause);
    LOG.log(Level.DEBUG, () -> "TLS handshake with " + ctx.channel().remoteAddress() + " failed: " + cause);
    ctx.close();
  }

  private void countFailure(Throwable cause) {
    if (!failureCounted) {
      failureCounted = true;
      observer().handshakeFailed(reason(cause));
    }
  }

  private TlsHandshakeObserver observer() {
    return initializer.runtime().tlsHandshakeObserver();
  }

  /**
   * The kind of a failed handshake: Netty's own timeout, or a protocol_version alert (RFC 8446 §6.2), which
   * BoringSSL reports as UNSUPPORTED_PROTOCOL and the JDK as a protocol "not enabled or supported".
   */
  static TlsHandshakeObserver.Reason reason(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SslHandshakeTimeoutException) {
        return TlsHandshakeObserver.Reason.TIMEOUT;
      }
      String message = String.valueOf(t.getMessage()).toUpperCase(Locale.ROOT);
      if (message.contains("UNSUPPORTED_PROTOCOL") || message.contains("PROTOCOL_VERSION")
          || message.contains("NOT ENABLED OR SUPPORTED")) {
        return TlsHandshakeObserver.Reason.PROTOCOL_VERSION;
      }
    }
    return TlsHandshakeObserver.Reason.OTHER;
  }

  /** A client that resets or sends garbage during the handshake: one debug line, no stack trace. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    countFailure(cause);
    LOG.log(Level.DEBUG, () -> "TLS connection from " + ctx.channel().remoteAddress() + " failed: " + cause);
    ctx.close();
  }
}
