package dev.gatehouse.proxy;

import dev.gatehouse.config.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection to the upstream, on the event loop of the client connection it serves, and the
 * last handler of its pipeline: hands response messages to the {@link UpstreamExchange} it is attached to.
 * While it waits in the pool it reads, so that the upstream closing it (Gunicorn's keep-alive is 2 s) is
 * seen at once and it leaves the pool; anything else arriving while idle is a protocol error and closes it.
 *
 * <p>It has one deadline: for the attached exchange, the time by which the upstream must send something
 * (past it, the exchange times out); in the pool, the time it closes. A deadline is a field, checked by one
 * long-lived timer (as Netty's IdleStateHandler does): scheduling and cancelling timers per request cost
 * ~5 % of the proxy's time (BENCHMARKS.md).
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private static final System.Logger LOG = System.getLogger(UpstreamConnection.class.getName());

  private final Upstream upstream;
  private final long checkIntervalNanos;
  private Channel channel;
  private UpstreamExchange exchange;
  private boolean reused;
  private boolean hasDeadline;
  private long deadlineNanos;
  private ScheduledFuture<?> deadlineCheck;
  private long deadlineCheckNanos;
  private Ticker clock;

  /**
   * @param checkInterval at most this long between checks of the deadline: the shortest timeout a deadline
   *     is set with, so that a check is always due before any new deadline and never needs rescheduling
   */
  UpstreamConnection(Upstream upstream, Duration checkInterval) {
    this.upstream = upstream;
    this.checkIntervalNanos = Math.max(1, checkInterval.toNanos());
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
    long now = clock.nanoTime();
    hasDeadline = true;
    deadlineNanos = now + Math.max(1, timeoutNanos);
    if (deadlineCheck == null || deadlineCheckNanos - deadlineNanos > 0) {
      // Only with a timeout shorter than the check interval (a reload shortened it): due too late otherwise.
      stopDeadlineCheck();
      scheduleDeadlineCheck(now, deadlineNanos - now);
    }
  }

  /** No deadline: the connection waits on the client, or leaves the pool. */
  void clearDeadline() {
    hasDeadline = false;
  }

  private void scheduleDeadlineCheck(long now, long delayNanos) {
    long delay = Math.min(delayNanos, checkIntervalNanos);
    deadlineCheckNanos = now + delay;
    deadlineCheck = channel.eventLoop().schedule(this::checkDeadline, delay, TimeUnit.NANOSECONDS);
  }

  private void checkDeadline() {
    deadlineCheck = null;
    if (!hasDeadline || !channel.isOpen()) {
      return;
    }
    long now = clock.nanoTime();
    if (deadlineNanos - now > 0) {
      scheduleDeadlineCheck(now, deadlineNanos - now);
      return;
    }
    hasDeadline = false;
    UpstreamExchange current = exchange;
    if (current != null) {
      current.upstreamTimedOut();
    } else {
      channel.close();
    }
  }

  private void stopDeadlineCheck() {
    if (deadlineCheck != null) {
      deadlineCheck.cancel(false);
      deadlineCheck = null;
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
    clock = EventLoopClock.of(ctx.executor());
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
    hasDeadline = false;
    stopDeadlineCheck();
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
