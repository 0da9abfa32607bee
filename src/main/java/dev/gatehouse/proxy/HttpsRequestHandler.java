package dev.gatehouse.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an HTTP/1.1 connection over TLS, and its {@link ClientStream}: turns each request into an
 * {@link Exchange} chosen by {@link RequestRouter}, one at a time. Auto-read is off and a {@link
 * OneMessagePerRead} sits in front, so each {@link #readRequest} brings exactly one message: the body
 * moves only as fast as its destination takes it, and pipelined requests wait their turn. (HTTP/2 streams are
 * {@link Http2ServerStream}s.)
 */
final class HttpsRequestHandler extends ChannelInboundHandlerAdapter implements ClientStream {

  private static final System.Logger LOG = System.getLogger(HttpsRequestHandler.class.getName());

  private final ServerRuntime runtime;
  private ChannelHandlerContext ctx;
  private boolean reading;
  private Exchange exchange;
  /** A request's body is being buffered ahead of its head ({@link BufferingStartedEvent}): counted in flight. */
  private boolean buffering;
  private DeadlineTimer keepAlive;
  private boolean lingering;

  /** How long a refused client may keep sending before the connection closes anyway. */
  static final Duration LINGER_TIMEOUT = Duration.ofSeconds(2);

  HttpsRequestHandler(ServerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public ServerRuntime runtime() {
    return runtime;
  }

  @Override
  public boolean isHttp2() {
    return false;
  }

  @Override
  public Channel connection() {
    return ctx.channel();
  }

  @Override
  public ChannelFuture write(HttpObject message) {
    return ctx.write(message);
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  @Override
  public void abort() {
    ctx.close();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.keepAlive = new DeadlineTimer(ctx.executor(), Long.MAX_VALUE, this::keepAliveExpired);
    if (ctx.channel().isActive()) {
      begin();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    begin();
    ctx.fireChannelActive();
  }

  private void begin() {
    if (!reading) {
      reading = true;
      armIdleTimer();
      ctx.read();
    }
  }

  /** Asks for the next message of the current request (or the next request). */
  @Override
  public void readRequest() {
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
      ctx.read();
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (exchange != null) {
        // OneMessagePerRead delivers one request at a time; anything else is a broken peer.
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      if (buffering) {
        buffering = false;
      } else {
        requestArrived();
      }
      exchange = RequestRouter.route(this, request);
      exchange.start();
    } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
      // A body whose framing broke midway (StrictRequestFraming, the codec): what arrived must not pass as a
      // whole body, so the exchange stops and the connection closes.
      LOG.log(Level.DEBUG, () -> "client " + ctx.channel().remoteAddress() + ": " + content.decoderResult().cause());
      ReferenceCountUtil.release(msg);
      if (exchange != null) {
        exchange.clientGone();
      }
      ctx.close();
    } else if (msg instanceof HttpContent content && exchange != null) {
      exchange.requestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
      if (exchange == null) {
        ctx.read();
      }
    }
  }

  /** Called once per exchange when it is over: reads the next request, or closes. */
  @Override
  public void exchangeFinished(Exchange finished) {
    if (finished != exchange) {
      return;
    }
    exchange = null;
    runtime.requestFinished(finished.info, finished.status(), finished.bytesSent());
    // An upgrade request answered without 101: StrictRequestFraming holds the bytes after it, so the
    // connection cannot carry another request.
    boolean refusedUpgrade = finished.request.headers().contains(HttpHeaderNames.UPGRADE);
    if (!finished.connectionReusable() || runtime.isDraining() || refusedUpgrade) {
      if (finished.bodyLeftUnread() && ctx.channel().isActive()) {
        linger();
      } else {
        ctx.close();
      }
      return;
    }
    armIdleTimer();
    // Later, not inside the finishing write's listener: the next pipelined request may already be queued.
    ctx.executor().execute(ctx::read);
  }

  /**
   * After refusing a request whose body is still arriving, reads and drops input for a while before
   * closing: closing at once would answer the client's next bytes with a reset, which can destroy the
   * refusal before the client reads it (nginx's lingering_close does the same).
   */
  private void linger() {
    lingering = true;
    Runnable close = ctx::close;
    ctx.executor().schedule(close, LINGER_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    ctx.read();
  }

  /** The exchange hands the connection to a protocol relay (WebSocket): this handler is done with it. */
  @Override
  public void switchToRelay(Exchange upgraded, Channel upstream) {
    WebSocketRelay.install(ctx, upstream);
    keepAlive.clear();
    exchange = null;
    runtime.requestFinished(upgraded.info, upgraded.status(), upgraded.bytesSent());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stopIdleTimer();
  }

  /** A request arrived: the connection is no longer idle between requests. */
  private void requestArrived() {
    keepAlive.clear();
    runtime.requestStarted();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DrainEvent.INSTANCE) {
      if (exchange == null && !buffering) {
        ctx.close();
      }
      return;
    }
    if (evt == BufferingStartedEvent.INSTANCE) {
      // A lingering connection drops what it reads, this request's head too: nothing to count.
      if (!lingering && !buffering) {
        buffering = true;
        requestArrived();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopIdleTimer();
    if (buffering) {
      // The client left while its body was being buffered: the request never reached an exchange.
      buffering = false;
      runtime.requestAbandoned();
    }
    if (exchange != null) {
      exchange.clientGone();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.DEBUG, () -> "client " + ctx.channel().remoteAddress() + ": " + cause);
    ctx.close();
  }

  /**
   * HTTP/1.1 keep-alive: an idle connection is closed after {@code keepAliveTimeout}. Each deadline is the same
   * timeout from a later moment, so the pending check is due before it (only a reload that shortens the
   * timeout makes it reschedule).
   */
  private void armIdleTimer() {
    long nanos = runtime.config().limits().keepAliveTimeout().toNanos();
    if (nanos > 0) {
      keepAlive.expireIn(nanos);
    }
  }

  private void stopIdleTimer() {
    keepAlive.stop();
  }

  private void keepAliveExpired() {
    if (exchange == null) {
      ctx.close();
    }
  }
}
