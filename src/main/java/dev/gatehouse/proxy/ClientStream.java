package dev.gatehouse.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/**
 * The client side of one exchange: an HTTP/1.1 connection ({@link HttpsRequestHandler}) or one HTTP/2 stream
 * ({@link Http2ServerStream}). The exchange answers through it (it is the {@link ResponseSink}) and pulls the
 * request body from it, one message per {@link #readRequest}: the next piece comes only when the exchange asked
 * for it, so the body moves as fast as its destination takes it. Event loop only.
 */
interface ClientStream extends ResponseSink {

  ServerRuntime runtime();

  boolean isHttp2();

  /** The TCP connection the request came on. */
  Channel connection();

  /** The connection's allocator. */
  @Override
  default ByteBufAllocator alloc() {
    return connection().alloc();
  }

  /** The connection's event loop. */
  @Override
  default EventLoop eventLoop() {
    return connection().eventLoop();
  }

  default InetSocketAddress clientAddress() {
    return (InetSocketAddress) connection().remoteAddress();
  }

  default int localPort() {
    return ((InetSocketAddress) connection().localAddress()).getPort();
  }

  /** The connection's TLS version ({@code TLSv1.3}); {@code null} before its handshake completed. */
  default String tlsVersion() {
    SslHandler tls = connection().pipeline().get(SslHandler.class);
    return tls == null ? null : tls.engine().getSession().getProtocol();
  }

  /** Asks for the next message of the request body; it arrives through {@link Exchange#requestContent}. */
  void readRequest();

  /** Called once per exchange when it is over: the stream reads the next request, or closes. */
  void exchangeFinished(Exchange finished);

  /**
   * HTTP/1.1 only: the upstream answered 101 to a WebSocket upgrade; the connection becomes a byte relay to
   * {@code upstream} and {@code upgraded} is over.
   */
  void switchToRelay(Exchange upgraded, Channel upstream);
}
