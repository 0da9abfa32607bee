package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;

/**
 * Forwards one request to the upstream and its response back, both bodies streamed: a piece of the request
 * body is read from the client only when the previous one has been written to the upstream, and the
 * upstream is read only when what it sent has been written to the client. A request body past {@code
 * --max-body} is cut off with 413; an upstream silent for {@code upstreamResponseTimeout} while Gatehouse
 * waits on it gets 504 (in the middle of a body, the response is cut off); anything else failing before the
 * response starts is 502 (see {@link ErrorPages}). A reused connection found closed before it answered a
 * request whose body was not sent yet is retried once on a new connection: that is the keep-alive race, not
 * a failure.
 */
final class UpstreamExchange extends Exchange {

  private static final System.Logger LOG = System.getLogger(UpstreamExchange.class.getName());

  private final Upstream upstream;
  private final Optional<SocketAddress> address;
  private final RequestTarget target;
  private final Limits limits;
  private final boolean webSocket;
  /** The client's request has no body: the upstream gets it whole in one write. */
  private final boolean bodiless;
  private final HttpRequest upstreamHead;

  private UpstreamConnection connection;
  private boolean retried;
  private boolean bodyForwarded;
  private boolean requestSent;
  private boolean responseStarted;
  private boolean upstreamDone;
  private boolean reusable;
  private boolean skippingInterim;
  private boolean headUnflushed;
  private long bodyBytes;
  private int pendingClientWrites;

  UpstreamExchange(
      ClientStream front, HttpRequest request, RequestInfo info, Upstream upstream, RequestTarget target) {
    super(front, request, info);
    ServeConfig config = front.runtime().config();
    this.upstream = upstream;
    this.address = front.runtime().addressOf(upstream);
    this.target = target;
    this.limits = config.limits();
    this.webSocket = !front.isHttp2() && UpstreamMessages.isWebSocketUpgrade(request);
    // RFC 9112 §6.3: an HTTP/1.1 request with neither Transfer-Encoding nor Content-Length has no body (the
    // framing check refused anything else); one with Content-Length: 0 neither.
    this.bodiless = !front.isHttp2() && !(request instanceof FullHttpRequest)
        && !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
    this.upstreamHead =
        UpstreamMessages.request(
            request,
            target,
            ForwardedHeaders.clientOf(front.connection()),
            config.trustedProxies(),
            webSocket);
  }

  @Override
  void start() {
    connect(false);
  }

  /** Takes an idle pooled connection unless {@code fresh}, else opens a new one. */
  private void connect(boolean fresh) {
    if (address.isEmpty()) {
      fail(new ClosedChannelException(), null);
      return;
    }
    UpstreamPool pool = front.runtime().pool();
    UpstreamConnection pooled = fresh ? null : pool.idle(front.eventLoop(), upstream);
    if (pooled != null) {
      connected(pooled);
      return;
    }
    pool.connect(front.eventLoop(), upstream, address.get(), limits).addListener(future -> {
      if (future.isSuccess()) {
        connected((UpstreamConnection) future.getNow());
      } else {
        fail(future.cause(), null);
      }
    });
  }

  private void connected(UpstreamConnection c) {
    if (isFinished()) {
      c.close();
      return;
    }
    connection = c;
    c.attach(this);
    Channel ch = c.channel();
    ChannelFuture written;
    if (request instanceof FullHttpRequest full) {
      written = ch.writeAndFlush(whole(full.content().retainedDuplicate()));
      requestSent = true;
    } else if (bodiless || isRequestDone()) {
      // One message, one write: the head is all there is (or, on a retry, the client's empty last content was
      // read on the first attempt). The client's last content is still to be read, and is dropped.
      written = ch.writeAndFlush(whole(Unpooled.EMPTY_BUFFER));
      requestSent = true;
      if (!isRequestDone()) {
        front.readRequest();
      }
    } else {
      // The head waits, unflushed, for the body's first piece, so one write carries both. An app that answers
      // before reading the body and closes (Django refusing a POST's CSRF check under a sync Gunicorn worker)
      // would otherwise fail a separate body write with EPIPE before its answer could be read.
      written = ch.write(upstreamHead);
      if (expectsContinue()) {
        sendContinue();
      }
      front.readRequest();
    }
    written.addListener(f -> {
      if (c != connection) {
        return;
      }
      if (!f.isSuccess()) {
        fail(f.cause(), c);
      } else if (requestSent) {
        armTimer();
      }
    });
    c.read();
  }

  /** The upstream's request head with its whole body, written as one message. */
  private FullHttpRequest whole(ByteBuf body) {
    return new DefaultFullHttpRequest(
        upstreamHead.protocolVersion(), upstreamHead.method(), upstreamHead.uri(), body, upstreamHead.headers(),
        EmptyHttpHeaders.INSTANCE);
  }

  @Override
  void requestContent(HttpContent content) {
    UpstreamConnection c = connection;
    if (isDiscardingBody() || c == null || bodiless) {
      discard(content);
      return;
    }
    bodyBytes += content.content().readableBytes();
    if (bodyBytes > limits.maxBodyBytes()) {
      content.release();
      bodyTooLarge();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    bodyForwarded |= content.content().isReadable();
    if (last) {
      requestComplete();
    }
    c.channel().writeAndFlush(content).addListener(f -> {
      if (c != connection) {
        return;
      }
      if (!f.isSuccess()) {
        if (responseStarted) {
          discardRestOfRequest();
        } else {
          fail(f.cause(), c);
        }
      } else if (last) {
        requestSent = true;
        if (!responseStarted) {
          armTimer();
        }
      } else if (!isDiscardingBody()) {
        front.readRequest();
      }
    });
  }

  private void bodyTooLarge() {
    LOG.log(Level.INFO, () -> "request body over " + limits.maxBodyBytes() + " bytes for " + describe() + " -> 413");
    closeUpstream();
    if (responseStarted) {
      abortClient();
      return;
    }
    cancelTimer();
    abandonRequest();
    respond(ProxyFailure.BODY_TOO_LARGE);
  }

  /** The upstream's response head, or an interim 1xx, which is not passed on. */
  void upstreamResponse(HttpResponse response) {
    cancelTimer();
    if (response.decoderResult().isFailure()) {
      upstreamFailed(response.decoderResult().cause());
      return;
    }
    int code = response.status().code();
    if (code == 101) {
      if (webSocket && !responseStarted) {
        switchProtocols(response);
      } else {
        upstreamFailed(new IllegalStateException("101 Switching Protocols without an upgrade request"));
      }
      return;
    }
    if (code < 200) {
      skippingInterim = true;
      readUpstream();
      return;
    }
    responseStarted = true;
    boolean chunkedClient = !front.isHttp2() && request.protocolVersion().equals(HttpVersion.HTTP_1_1);
    reusable = UpstreamMessages.response(response, request.method().equals(HttpMethod.HEAD), chunkedClient);
    writeHead(response);
    // Flushed with the first piece of the body, or at the end of this read if none came with it: one TLS
    // write instead of two for the usual response that arrives in one piece.
    headUnflushed = true;
    readUpstream();
  }

  void upstreamContent(HttpContent content) {
    cancelTimer();
    if (skippingInterim) {
      skippingInterim = !(content instanceof LastHttpContent);
      content.release();
      readUpstream();
      return;
    }
    if (!responseStarted || isFinished()) {
      content.release();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    upstreamDone = last;
    pendingClientWrites++;
    writeContent(content).addListener(f -> {
      pendingClientWrites--;
      if (!f.isSuccess()) {
        clientGone();
      } else if (last) {
        responseEnded();
      } else if (pendingClientWrites == 0 && !upstreamDone) {
        readUpstream();
      }
    });
    headUnflushed = false;
    front.flush();
  }

  /** What the upstream sent so far has been handled: a head still waiting for its body goes out now. */
  void upstreamReadComplete() {
    if (headUnflushed) {
      headUnflushed = false;
      front.flush();
    }
  }

  private void readUpstream() {
    if (connection != null) {
      connection.read();
      if (requestSent || responseStarted) {
        armTimer();
      }
    }
  }

  private void responseEnded() {
    cancelTimer();
    UpstreamConnection c = connection;
    connection = null;
    if (c != null) {
      if (reusable && requestSent) {
        front.runtime().pool().release(c.channel().eventLoop(), c, limits);
      } else {
        c.close();
      }
    }
    discardRestOfRequest();
    responseComplete();
  }

  private void switchProtocols(HttpResponse response) {
    UpstreamMessages.response(response, false, false);
    responseStarted = true;
    writeHead(response);
    front.flush();
    UpstreamConnection c = connection;
    connection = null;
    front.switchToRelay(this, c.channel());
  }

  /** The upstream connection {@code c} closed. */
  void upstreamClosed(UpstreamConnection c) {
    if (c != connection || upstreamDone) {
      return;
    }
    if (!responseStarted) {
      fail(new ClosedChannelException(), c);
      return;
    }
    connection = null;
    LOG.log(Level.WARNING, () -> "upstream " + upstream.spec() + " closed mid-response for " + describe());
    abortClient();
  }

  /** Talking to the upstream failed (decoder error, exception, timeout). */
  void upstreamFailed(Throwable cause) {
    if (!responseStarted) {
      fail(cause, null);
      return;
    }
    closeUpstream();
    if (!isFinished() && !upstreamDone) {
      LOG.log(Level.WARNING, () -> "upstream " + upstream.spec() + " failed mid-response for " + describe() + ": " + describeCause(cause));
      abortClient();
    }
  }

  /**
   * Failure before the response began: retry a keep-alive race once, else an error page.
   *
   * @param failed the connection that failed, if it got that far
   */
  private void fail(Throwable cause, UpstreamConnection failed) {
    cancelTimer();
    closeUpstream();
    if (isFinished() || responseStarted) {
      return;
    }
    boolean keepAliveRace = failed != null && failed.isReused() && cause instanceof ClosedChannelException;
    if (keepAliveRace && !retried && !bodyForwarded && (bodiless || isRequestDone() || !requestSent)) {
      retried = true;
      requestSent = false;
      connect(true);
      return;
    }
    ProxyFailure failure = ErrorPages.forUpstreamFailure(cause);
    // Per request at DEBUG only: UpstreamOutageLog writes one WARN line per outage, with its count.
    LOG.log(
        Level.DEBUG,
        () -> "upstream " + upstream.spec() + ": " + describeCause(cause) + " -> " + failure.status().code() + " for " + describe());
    if (!isRequestDone()) {
      abandonRequest();
    }
    respond(failure);
  }

  @Override
  void clientGone() {
    cancelTimer();
    closeUpstream();
    finish();
  }

  /** The response cannot be completed: cut the client connection (or stream) so it sees a truncation. */
  private void abortClient() {
    cancelTimer();
    front.abort();
    finish();
  }

  private void closeUpstream() {
    UpstreamConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
  }

  /** The upstream connection's deadline passed: it sent nothing for {@code upstreamResponseTimeout}. */
  void upstreamTimedOut() {
    upstreamFailed(new UpstreamTimeoutException(limits.upstreamResponseTimeout()));
  }

  /** The upstream must send something within {@code upstreamResponseTimeout} (a deadline, not a timer). */
  private void armTimer() {
    UpstreamConnection c = connection;
    long nanos = limits.upstreamResponseTimeout().toNanos();
    if (c != null) {
      if (nanos > 0) {
        c.deadlineIn(nanos);
      } else {
        c.clearDeadline();
      }
    }
  }

  private void cancelTimer() {
    UpstreamConnection c = connection;
    if (c != null) {
      c.clearDeadline();
    }
  }

  private String describe() {
    return info.method() + " " + target.authority() + info.uri();
  }

  private static String describeCause(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }
}
