package dev.gatehouse.proxy;

import dev.gatehouse.config.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The socket implementation: Linux epoll (native, Unix domain sockets included) when it loads, Java NIO
 * otherwise. Both give the same channel semantics; epoll saves a copy and a selector wake-up per event.
 *
 * <p>The epoll classes ({@code netty-transport-classes-epoll}) come with the native artifact, which the
 * build puts on the runtime class path only, so they are looked up by name: a missing or unloadable native
 * library simply means NIO.
 */
record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends Channel> tcpChannel,
    Class<? extends Channel> unixChannel,
    boolean nativeUnixAddress) {

  private static final System.Logger LOG = System.getLogger(Transport.class.getName());
  private static final String EPOLL = "io.netty.channel.epoll.";

  static Transport detect() {
    try {
      Class<?> epoll = Class.forName(EPOLL + "Epoll");
      if (Boolean.TRUE.equals(epoll.getMethod("isAvailable").invoke(null))) {
        return new Transport(
            "epoll",
            (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler").getMethod("newFactory").invoke(null),
            Class.forName(EPOLL + "EpollServerSocketChannel").asSubclass(ServerChannel.class),
            Class.forName(EPOLL + "EpollSocketChannel").asSubclass(Channel.class),
            Class.forName(EPOLL + "EpollDomainSocketChannel").asSubclass(Channel.class),
            true);
      }
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      LOG.log(Level.DEBUG, () -> "epoll transport unavailable: " + e);
    }
    return new Transport(
        "nio",
        NioIoHandler.newFactory(),
        NioServerSocketChannel.class,
        NioSocketChannel.class,
        NioDomainSocketChannel.class,
        false);
  }

  EventLoopGroup newGroup(int threads, String threadPrefix) {
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), ioHandlerFactory);
  }

  Class<? extends Channel> channelFor(Upstream upstream) {
    return upstream instanceof Upstream.UnixSocket ? unixChannel : tcpChannel;
  }

  /**
   * Where to connect. Resolves a TCP host name, which may block: call it when a configuration is loaded,
   * never on an event loop.
   */
  SocketAddress addressOf(Upstream upstream) {
    if (upstream instanceof Upstream.UnixSocket unix) {
      return nativeUnixAddress
          ? new DomainSocketAddress(unix.socket().toString())
          : UnixDomainSocketAddress.of(unix.socket());
    }
    Upstream.Tcp tcp = (Upstream.Tcp) upstream;
    return new InetSocketAddress(tcp.host(), tcp.port());
  }
}
