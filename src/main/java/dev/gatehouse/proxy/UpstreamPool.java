package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import dev.gatehouse.config.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Keep-alive HTTP/1.1 connections to upstreams, kept per event loop so a request and its upstream connection
 * always share a thread (no locks, no hand-offs; the HexDumpProxy pattern). A connection is reused only if
 * it is still open; one the upstream closed leaves the pool as soon as the close is read, so an upstream that
 * restarts costs no failed request. Idle connections close after {@code upstreamIdleTimeout}.
 *
 * <p>Every method must be called on the event loop it names.
 */
final class UpstreamPool {

  /** Longest status line plus headers accepted from the upstream: Django sends large Set-Cookie and CSP. */
  static final int MAX_RESPONSE_HEADER_BYTES = 64 << 10;
  /** Largest piece of a response body handed on at once. */
  static final int MAX_CHUNK_BYTES = 64 << 10;

  /** Pipeline names, for the switch to a WebSocket relay. */
  static final String HTTP_CODEC = "http";

  static final String HANDLER = "upstream";

  private final Transport transport;
  private final Map<EventLoop, Map<Upstream, ArrayDeque<UpstreamConnection>>> idle = new ConcurrentHashMap<>();

  UpstreamPool(Transport transport) {
    this.transport = transport;
  }

  /**
   * An idle pooled connection that is still open, taken out of the pool; null when there is none. No future:
   * the usual case answers at once, and a future and its listener per request were measurable.
   */
  UpstreamConnection idle(EventLoop loop, Upstream upstream) {
    ArrayDeque<UpstreamConnection> deque = idleFor(loop, upstream);
    UpstreamConnection pooled;
    while ((pooled = deque.pollLast()) != null) {
      pooled.clearDeadline();
      if (pooled.channel().isActive()) {
        return pooled;
      }
    }
    return null;
  }

  /** A new connection. */
  Future<UpstreamConnection> connect(EventLoop loop, Upstream upstream, SocketAddress address, Limits limits) {
    UpstreamConnection connection = new UpstreamConnection(upstream, deadlineCheckInterval(limits));
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(transport.channelFor(upstream))
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.upstreamConnectTimeout().toMillis())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            HTTP_CODEC,
                            new HttpClientCodec(
                                new HttpDecoderConfig()
                                    .setMaxInitialLineLength(limits.maxInitialLineBytes())
                                    .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                                    .setMaxChunkSize(MAX_CHUNK_BYTES),
                                HttpClientCodec.DEFAULT_PARSE_HTTP_AFTER_CONNECT_REQUEST,
                                HttpClientCodec.DEFAULT_FAIL_ON_MISSING_RESPONSE))
                        .addLast(HANDLER, connection);
                  }
                });
    if (upstream instanceof Upstream.Tcp) {
      bootstrap.option(ChannelOption.TCP_NODELAY, true);
    }
    Promise<UpstreamConnection> promise = loop.newPromise();
    ChannelFuture connect = bootstrap.connect(address);
    connect.addListener(
        f -> {
          if (f.isSuccess()) {
            connect.channel().closeFuture().addListener(c -> idleFor(loop, upstream).remove(connection));
            promise.trySuccess(connection);
          } else {
            promise.tryFailure(f.cause());
          }
        });
    return promise;
  }

  /** Puts a connection whose exchange ended cleanly back for reuse. */
  void release(EventLoop loop, UpstreamConnection connection, Limits limits) {
    connection.detach();
    Channel channel = connection.channel();
    if (!channel.isActive()) {
      return;
    }
    ArrayDeque<UpstreamConnection> deque = idleFor(loop, connection.upstream());
    deque.addLast(connection);
    connection.deadlineIn(limits.upstreamIdleTimeout().toNanos());
    channel.read();
  }

  /** The shortest of the timeouts an upstream connection's deadline is set with (zero: none). */
  private static Duration deadlineCheckInterval(Limits limits) {
    return Stream.of(limits.upstreamIdleTimeout(), limits.upstreamResponseTimeout())
        .filter(d -> d.toNanos() > 0)
        .min(Comparator.naturalOrder())
        .orElse(Limits.DEFAULT_UPSTREAM_IDLE_TIMEOUT);
  }

  private ArrayDeque<UpstreamConnection> idleFor(EventLoop loop, Upstream upstream) {
    return idle.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(upstream, u -> new ArrayDeque<>());
  }
}
