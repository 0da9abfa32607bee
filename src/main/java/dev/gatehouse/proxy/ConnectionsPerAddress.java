package dev.gatehouse.proxy;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The optional per-address connection cap ({@code --max-connections-per-ip}, nginx's {@code limit_conn}): a
 * connection over it is closed at once, before TLS costs anything. Counts both listeners together. Safe for
 * concurrent use (one instance serves every connection).
 */
@Sharable
final class ConnectionsPerAddress extends ChannelInboundHandlerAdapter {

  private static final System.Logger LOG = System.getLogger(ConnectionsPerAddress.class.getName());

  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
  private final IntSupplier max;

  /** @param max the current cap, read at each connection (a reload may change it); 0 means none */
  ConnectionsPerAddress(IntSupplier max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    int count = open.merge(address, 1, Integer::sum);
    ctx.channel().closeFuture().addListener(f -> open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1));
    int cap = max.getAsInt();
    if (cap > 0 && count > cap) {
      LOG.log(Level.DEBUG, () -> "closing a connection from " + address + ": over " + cap + " open");
      ctx.close();
      return;
    }
    ctx.fireChannelActive();
  }

  /** Open connections from {@code address} (tests). */
  int openFrom(InetAddress address) {
    return open.getOrDefault(address, 0);
  }
}
