package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One request stream of an {@link Http2ServerConnection}: a plain object kept on Netty's stream under the
 * connection's property key, with no channel and no pipeline of its own.
 *
 * <p>Request: the connection hands over the head and then each DATA piece and the trailers as HTTP/1 messages;
 * they wait here until asked for, one per {@link #readRequest} (through a {@link RequestBodyBuffer} when the
 * request has a body). The flow-control credit of a piece goes back to the client ({@code consumeBytes}, a
 * WINDOW_UPDATE; RFC 9113 §6.9) only when the next piece is asked for, that is once the upstream or the buffer
 * has taken this one: a slow upstream makes the client wait, and a stream holds at most its window here.
 *
 * <p>Response: the exchange's HTTP/1 messages become HEADERS and DATA frames through the connection's encoder,
 * whose flow controller holds DATA until the stream's window lets it out and only then completes its future
 * (see {@link ResponseSink}). Event loop only.
 */
final class Http2ServerStream implements ClientStream, RequestPipe {

  private static final System.Logger LOG = System.getLogger(Http2ServerStream.class.getName());

  private final Http2ServerConnection connection;
  private final ChannelHandlerContext ctx;
  private final Http2Stream stream;
  private final ServerRuntime runtime;
  /** Present when the request has a body: buffers it whole, or times it while it streams. */
  private final RequestBodyBuffer bodyBuffer;
  /** Body pieces and trailers received and not yet asked for; bounded by the stream's receive window. */
  private final ArrayDeque<HttpContent> received = new ArrayDeque<>(4);
  private boolean readPending;
  /** Bytes of the piece last handed on, whose credit goes back when the next one is asked for. */
  private int uncredited;
  private Exchange exchange;
  /** The body is being buffered ahead of the head ({@link #bufferingStarted}): counted in flight already. */
  private boolean buffering;
  private boolean exchangeOver;
  private boolean closed;

  Http2ServerStream(
      Http2ServerConnection connection, ChannelHandlerContext ctx, Http2Stream stream, ServerRuntime runtime,
      boolean bodyFollows) {
    this.connection = connection;
    this.ctx = ctx;
    this.stream = stream;
    this.runtime = runtime;
    this.bodyBuffer = bodyFollows ? new RequestBodyBuffer(runtime) : null;
  }

  /** The request head arrived: the exchange starts (once its body is buffered, if it is buffered). */
  void begin(HttpRequest head) {
    fromClient(head);
  }

  /** Whether DATA for this stream is still wanted; if not, the connection drops it and returns its credit. */
  boolean takesBody() {
    return !exchangeOver && !closed;
  }

  /** A body piece or the trailers arrived from the client. */
  void received(HttpContent piece) {
    if (readPending) {
      readPending = false;
      handOn(piece);
    } else {
      received.add(piece);
    }
  }

  /** Netty closed the stream (both ends done, a reset either way, or the connection gone). */
  void closed() {
    closed = true;
    HttpContent piece;
    while ((piece = received.poll()) != null) {
      piece.release();
    }
    if (bodyBuffer != null) {
      bodyBuffer.clientGone();
    }
    if (buffering) {
      // The client reset the stream (or left) while its body was being buffered: no exchange, no response.
      buffering = false;
      runtime.requestAbandoned();
    }
    if (exchange != null) {
      exchange.clientGone();
    }
  }

  // ---- the request side, as the exchange and the body buffer see it

  @Override
  public void readRequest() {
    if (bodyBuffer != null) {
      bodyBuffer.read(this);
    } else {
      read();
    }
  }

  /** The next message from the client, for the body buffer or (without one) the exchange. */
  @Override
  public void read() {
    returnCredit();
    HttpContent next = received.poll();
    if (next == null) {
      readPending = !closed;
      return;
    }
    handOn(next);
  }

  private void handOn(HttpContent piece) {
    uncredited = piece.content().readableBytes();
    fromClient(piece);
  }

  private void returnCredit() {
    int bytes = uncredited;
    uncredited = 0;
    if (bytes > 0 && !closed) {
      connection.returnCredit(stream, bytes);
    }
  }

  private void fromClient(HttpObject msg) {
    if (bodyBuffer != null) {
      bodyBuffer.channelRead(this, msg);
    } else {
      fireChannelRead(msg);
    }
  }

  /** A message for the exchange: the head starts one, body pieces go to it. */
  @Override
  public void fireChannelRead(Object msg) {
    if (msg instanceof HttpRequest request) {
      if (exchange != null || exchangeOver) {
        ReferenceCountUtil.release(msg);
        abort();
        return;
      }
      if (buffering) {
        buffering = false;
      } else {
        runtime.requestStarted();
      }
      exchange = RequestRouter.route(this, request);
      exchange.start();
    } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
      LOG.log(Level.DEBUG, () -> "HTTP/2 stream " + stream.id() + ": " + content.decoderResult().cause());
      content.release();
      if (exchange != null) {
        exchange.clientGone();
      }
      abort();
    } else if (msg instanceof HttpContent content && exchange != null) {
      exchange.requestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * The body buffer started reading the body: the request is in flight from now on, so a drain (which lets the
   * connection's open streams finish after GOAWAY) does not stop the server under it.
   */
  @Override
  public void bufferingStarted() {
    if (!buffering && exchange == null && !exchangeOver && !closed) {
      buffering = true;
      runtime.requestStarted();
    }
  }

  @Override
  public void fireChannelReadComplete() {
    // The exchange acts on each message as it comes; there is no batch to end.
  }

  @Override
  public void exchangeFinished(Exchange finished) {
    if (finished != exchange) {
      return;
    }
    exchange = null;
    exchangeOver = true;
    runtime.requestFinished(finished.info, finished.status(), finished.bytesSent());
    if (!finished.connectionReusable()) {
      abort();
    }
  }

  @Override
  public void switchToRelay(Exchange upgraded, Channel upstream) {
    throw new IllegalStateException("no protocol switch on HTTP/2 (RFC 9113 §8.6)");
  }

  @Override
  public ServerRuntime runtime() {
    return runtime;
  }

  @Override
  public boolean isHttp2() {
    return true;
  }

  @Override
  public Channel connection() {
    return ctx.channel();
  }

  @Override
  public boolean timesStreamedBodies() {
    return true;
  }

  // ---- the response side

  /** The connection's allocator, for the response and for the body buffer alike. */
  @Override
  public ByteBufAllocator alloc() {
    return ClientStream.super.alloc();
  }

  @Override
  public EventExecutor executor() {
    return ctx.executor();
  }

  /**
   * The frames of one message, in order: a head is HEADERS (ending the stream if nothing follows; an interim
   * 1xx never does, RFC 9113 §8.1), a body piece DATA, the end DATA and then the trailers as HEADERS. The
   * future is the last frame's.
   */
  @Override
  public ChannelFuture write(HttpObject msg) {
    if (closed) {
      ReferenceCountUtil.release(msg);
      return ctx.newFailedFuture(new ClosedChannelException());
    }
    if (msg instanceof HttpResponse response) {
      Http2Headers headers = Http2ResponseHeaders.of(response);
      boolean interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (interim || !(response instanceof FullHttpResponse full)) {
        ReferenceCountUtil.release(msg);
        return writeHeaders(headers, false);
      }
      if (!full.content().isReadable() && full.trailingHeaders().isEmpty()) {
        full.release();
        return writeHeaders(headers, true);
      }
      writeHeaders(headers, false);
      return writeEnd(full.content(), full.trailingHeaders());
    }
    if (msg instanceof LastHttpContent last) {
      return writeEnd(last.content(), last.trailingHeaders());
    }
    if (msg instanceof HttpContent content) {
      return writeData(content.content(), false);
    }
    ReferenceCountUtil.release(msg);
    return ctx.newFailedFuture(new IllegalArgumentException("cannot send " + msg.getClass().getSimpleName() + " on HTTP/2"));
  }

  /** The body's last bytes (the frame owns them), then the trailers if there are any, which end the stream. */
  private ChannelFuture writeEnd(ByteBuf body, HttpHeaders trailers) {
    boolean noTrailers = trailers.isEmpty();
    if (noTrailers) {
      return writeData(body, true);
    }
    if (body.isReadable()) {
      writeData(body, false);
    } else {
      body.release();
    }
    return writeHeaders(HttpConversionUtil.toHttp2Headers(trailers, true), true);
  }

  private ChannelFuture writeHeaders(Http2Headers headers, boolean endStream) {
    return connection.encoder().writeHeaders(ctx, stream.id(), headers, 0, endStream, ctx.newPromise());
  }

  private ChannelFuture writeData(ByteBuf data, boolean endStream) {
    return connection.encoder().writeData(ctx, stream.id(), data, 0, endStream, ctx.newPromise());
  }

  @Override
  public void writeAndFlush(HttpObject msg) {
    write(msg);
    flush();
  }

  @Override
  public void flush() {
    connection.flushSoon();
  }

  /** Resets the stream with CANCEL unless it is closed already: the client sees the response cut off. */
  @Override
  public void abort() {
    if (!closed && stream.state() != Http2Stream.State.CLOSED) {
      connection.resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
      flush();
    }
  }

  @Override
  public void close() {
    abort();
  }
}
