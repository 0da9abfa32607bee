package dev.gatehouse.proxy;

import dev.gatehouse.config.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * One HTTP/1.1 connection to the upstream, on the event loop of the client connection it serves, and the
 * last handler of its pipeline: hands response messages to the {@link UpstreamExchange} it is attached to.
 * While it waits in the pool it reads, so that the upstream closing it (Gunicorn's keep-alive is 2 s) is
 * seen at once and it leaves the pool; anything else arriving while idle is a protocol error and closes it.
 *
 * <p>It has one deadline: for the attached exchange, the time by which the upstream must send something
 * (past it, the exchange times out); in the pool, the time it closes: one {@link DeadlineTimer}, not a timer
 * per request.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private static final System.Logger LOG = System.getLogger(UpstreamConnection.class.getName());

  private final Upstream upstream;
  private final long checkIntervalNanos;
  private Channel channel;
  private UpstreamExchange exchange;
  private boolean reused;
  private DeadlineTimer deadline;

  /**
   * @param checkInterval at most this long between checks of the deadline: the shortest timeout a deadline
   *     is set with, so that a check is always due before any new deadline and never needs rescheduling
   */
  UpstreamConnection(Upstream upstream, Duration checkInterval) {
    this.upstream = upstream;
    this.checkIntervalNanos = checkInterval.toNanos();
  }

  Upstream upstream() {
    return upstream;
  }

  Channel channel() {
    return channel;
  }

  /** Whether it served an earlier request: a failure before any response may be a close race (retryable). */
  boolean isReused() {
    return reused;
  }

  void attach(UpstreamExchange to) {
    this.exchange = to;
  }

  /** Leaves the exchange; the connection goes back to the pool or is closed by the caller. */
  void detach() {
    this.exchange = null;
    this.reused = true;
  }

  /**
   * From now, the upstream has {@code timeoutNanos} to send something: past that, the attached exchange
   * {@linkplain UpstreamExchange#upstreamTimedOut times out}, or a connection in the pool closes.
   */
  void deadlineIn(long timeoutNanos) {
    deadline.expireIn(timeoutNanos);
  }

  /** No deadline: the connection waits on the client, or leaves the pool. */
  void clearDeadline() {
    deadline.clear();
  }

  private void deadlinePassed() {
    if (!channel.isOpen()) {
      return;
    }
    UpstreamExchange current = exchange;
    if (current != null) {
      current.upstreamTimedOut();
    } else {
      channel.close();
    }
  }

  void read() {
    channel.read();
  }

  void close() {
    exchange = null;
    channel.close();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    deadline = new DeadlineTimer(ctx.executor(), checkIntervalNanos, this::deadlinePassed);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamExchange current = exchange;
    if (current == null) {
      ReferenceCountUtil.release(msg);
      LOG.log(Level.DEBUG, () -> "upstream " + upstream.spec() + " sent data on an idle connection; closing it");
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse response) {
      current.upstreamResponse(response);
    } else if (msg instanceof HttpContent content) {
      current.upstreamContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamExchange current = exchange;
    if (current != null) {
      current.upstreamReadComplete();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    deadline.stop();
    UpstreamExchange current = exchange;
    exchange = null;
    if (current != null) {
      current.upstreamClosed(this);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    UpstreamExchange current = exchange;
    if (current != null) {
      current.upstreamFailed(cause);
    }
    ctx.close();
  }
}
