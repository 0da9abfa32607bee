package dev.gatehouse.proxy;

import dev.gatehouse.tls.AlpnProtocols;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.lang.System.Logger.Level;

/**
 * Once the handshake is done, builds the pipeline for the negotiated protocol: {@code h2}, {@code
 * http/1.1} (also when the client offered no ALPN), or, for an {@code acme-tls/1} validation, nothing: RFC
 * 8737 §3 has the validator close right after the handshake, and so does Gatehouse.
 */
final class AlpnPipelineConfigurator extends ApplicationProtocolNegotiationHandler {

  private static final System.Logger LOG = System.getLogger(AlpnPipelineConfigurator.class.getName());

  private final HttpsChannelInitializer initializer;

  AlpnPipelineConfigurator(HttpsChannelInitializer initializer) {
    super(AlpnProtocols.HTTP_1_1);
    this.initializer = initializer;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    switch (protocol) {
      case AlpnProtocols.H2 -> initializer.configureHttp2(ctx.channel());
      case AlpnProtocols.HTTP_1_1 -> initializer.configureHttp1(ctx.channel());
      default -> ctx.close();
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.DEBUG, () -> "TLS handshake with " + ctx.channel().remoteAddress() + " failed: " + cause);
    ctx.close();
  }

  /** A client that resets or sends garbage during the handshake: one debug line, no stack trace. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.DEBUG, () -> "TLS connection from " + ctx.channel().remoteAddress() + " failed: " + cause);
    ctx.close();
  }
}
