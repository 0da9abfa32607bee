package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body whole before the request goes on (the way nginx's {@code proxy_request_buffering}
 * does): in memory up to {@link Limits#bodyMemoryBytes()}, in a temporary file beyond, never past {@code
 * --max-body}. A client uploading at 1 KiB/s then holds no Gunicorn sync worker: the upstream sees the request
 * only once it is all here, with a {@code Content-Length} Gatehouse counted itself. A body whose framing broke
 * (or that grew past the limit) turns the request into a failure (400, 413) that never reaches the upstream.
 *
 * <p>On HTTP/1.1 it sits in the pipeline between {@link OneMessagePerRead} and {@link HttpsRequestHandler}; an
 * HTTP/2 stream whose request has a body drives one through its {@link RequestPipe}. File writes
 * and reads run on the file executor, never on the event loop; each body piece is read from the client only
 * once the previous one is stored. The handler's state stays on the event loop: a file task is handed the
 * {@link RequestBodyFile} and hands back what it did, and a client that leaves meanwhile has the file deleted
 * when the task returns, not closed under it. Off with {@code --no-buffer-requests}, or for the paths under a {@code
 * --stream-requests} prefix (streaming uploads); WebSocket upgrades and bodiless requests pass straight through.
 * A streamed HTTP/2 body still gets the body idle timeout here (HTTP/1.1 gets it from the framing check).
 *
 * <p>A request whose body is being buffered is in flight although its head has not gone on yet: {@link
 * RequestPipe#bufferingStarted} tells the request handler or stream, so that the keep-alive timeout (between requests) does not
 * cut an upload slower than it, a drain waits for it, and it is counted. The body idle timeout still bounds
 * each pause in the body.
 */
final class RequestBodyBuffer extends ChannelDuplexHandler {

  private static final System.Logger LOG = System.getLogger(RequestBodyBuffer.class.getName());

  /** Size of the pieces replayed from the temporary file. */
  static final int REPLAY_PIECE_BYTES = 64 << 10;

  /** CLOSED: the connection (or stream) is gone; what a file task hands back then is deleted. */
  private enum State { PASSING, BUFFERING, REPLAYING, DISCARDING, CLOSED }

  private final ServerRuntime runtime;
  private final Limits limits;
  private final Executor files;
  private final Path stateDir;
  private RequestPipe pipe;
  private State state = State.PASSING;
  private HttpRequest request;
  private CompositeByteBuf memory;
  private long total;
  /**
   * The body's file once a file task created it. Like every field here, read and written on the event loop
   * only: a file task gets it as an argument and hands back what it did.
   */
  private RequestBodyFile spill;
  /**
   * A file task is writing or reading {@link #spill} (or creating it): a release meanwhile leaves the file to
   * that task's return, which deletes it, instead of closing it under the task.
   */
  private boolean fileTaskRunning;
  private long replayPosition;
  private boolean memoryReplayed;
  private long spilledBytes;
  private ScheduledFuture<?> idleTimer;
  private boolean streamingBody;

  RequestBodyBuffer(ServerRuntime runtime) {
    this.runtime = runtime;
    this.limits = runtime.config().limits();
    this.files = runtime.fileExecutor();
    this.stateDir = runtime.config().stateDir();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    pipe = RequestPipe.of(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    channelRead(pipe, msg);
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    read(pipe);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    clientGone();
    ctx.fireChannelInactive();
  }

  /** The next message from the client; on HTTP/1.1 through the pipeline, on HTTP/2 from the stream. */
  void channelRead(RequestPipe ctx, Object msg) {
    switch (state) {
      case PASSING -> {
        cancelIdleTimer();
        if (msg instanceof HttpRequest head && shouldBuffer(head)) {
          startBuffering(ctx, head);
        } else {
          trackStreamedBody(ctx, msg);
          ctx.fireChannelRead(msg);
        }
      }
      case BUFFERING -> {
        if (msg instanceof HttpContent content) {
          bodyPiece(ctx, content);
        } else {
          ReferenceCountUtil.release(msg);
          ctx.close();
        }
      }
      case DISCARDING -> {
        if (msg instanceof LastHttpContent) {
          state = State.PASSING;
        }
        ctx.fireChannelRead(msg);
      }
      case REPLAYING -> {
        ReferenceCountUtil.release(msg);
        ctx.close();
      }
      case CLOSED -> ReferenceCountUtil.release(msg);
    }
  }

  private boolean shouldBuffer(HttpRequest head) {
    // A request without body framing is passed before its target is parsed for the streamed prefixes.
    return limits.bufferRequestBodies()
        && !(head instanceof FullHttpRequest)
        && (HttpUtil.isTransferEncodingChunked(head) || head.headers().contains(HttpHeaderNames.CONTENT_LENGTH))
        && limits.buffersBodyFor(rawPath(head))
        && !head.decoderResult().isFailure()
        && !head.headers().contains(HttpHeaderNames.UPGRADE)
        && (HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0)
        && HttpUtil.getContentLength(head, 0L) <= limits.maxBodyBytes();
  }

  /** The path a streamed prefix is matched against; a target the request handler will refuse gets buffered. */
  private static String rawPath(HttpRequest head) {
    return RequestTarget.of(head).map(RequestTarget::rawPath).orElse("/");
  }

  private void startBuffering(RequestPipe ctx, HttpRequest head) {
    state = State.BUFFERING;
    request = head;
    memory = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    total = 0;
    if (HttpUtil.is100ContinueExpected(head)) {
      // The client waits for this before sending the body that Gatehouse is about to read itself.
      head.headers().remove(HttpHeaderNames.EXPECT);
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    ctx.bufferingStarted();
    readFromClient(ctx);
  }

  private void bodyPiece(RequestPipe ctx, HttpContent content) {
    cancelIdleTimer();
    if (content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      giveUp(ctx, cause);
      return;
    }
    ByteBuf bytes = content.content();
    total += bytes.readableBytes();
    boolean last = content instanceof LastHttpContent;
    if (total > limits.maxBodyBytes()) {
      content.release();
      giveUp(ctx, new BodyTooLargeException(limits.maxBodyBytes()));
      return;
    }
    if (spill == null && memory.readableBytes() + bytes.readableBytes() <= limits.bodyMemoryBytes()) {
      if (bytes.isReadable()) {
        memory.addComponent(true, bytes.retain());
      }
      content.release();
      afterStored(ctx, last);
      return;
    }
    ByteBuf copy = bytes.retain();
    spilledBytes += copy.readableBytes();
    content.release();
    fileTaskRunning = true;
    RequestBodyFile.append(files, ctx.executor(), stateDir, spill, copy,
        (file, failed) -> spillWritten(ctx, file, failed, last));
  }

  /** Back from a file write: goes on with the body, unless the client left meanwhile. */
  private void spillWritten(RequestPipe ctx, RequestBodyFile file, IOException failed, boolean last) {
    fileTaskRunning = false;
    if (state != State.BUFFERING) {
      discard(file);
      return;
    }
    spill = file;
    if (failed != null) {
      LOG.log(Level.ERROR, "cannot buffer a request body in " + RequestBodyFiles.directory(stateDir) + ": "
          + failed.getMessage());
      giveUp(ctx, failed);
    } else {
      afterStored(ctx, last);
    }
  }

  private void afterStored(RequestPipe ctx, boolean last) {
    if (!last) {
      readFromClient(ctx);
      return;
    }
    state = State.REPLAYING;
    request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    request.headers().set(HttpHeaderNames.CONTENT_LENGTH, total);
    HttpRequest head = request;
    request = null;
    ctx.fireChannelRead(head);
    ctx.fireChannelReadComplete();
  }

  /** The body cannot be passed on: the request goes on as a failure, the rest of its body is dropped. */
  private void giveUp(RequestPipe ctx, Throwable cause) {
    release();
    state = State.DISCARDING;
    HttpRequest head = request;
    request = null;
    head.setDecoderResult(DecoderResult.failure(cause));
    ctx.fireChannelRead(head);
    ctx.fireChannelReadComplete();
  }

  private void readFromClient(RequestPipe ctx) {
    armIdleTimer(ctx);
    ctx.read();
  }

  /** The request handler asks for the next message. */
  void read(RequestPipe ctx) {
    switch (state) {
      case REPLAYING -> replayNext(ctx);
      case BUFFERING -> {
        // This handler reads the body itself while buffering.
      }
      default -> {
        if (streamingBody) {
          armIdleTimer(ctx);
        }
        ctx.read();
      }
    }
  }

  /**
   * Notes whether an HTTP/2 request body is being streamed (not buffered): while one is, each read Gatehouse
   * asks for must be answered within the body idle timeout, as HTTP/1.1 bodies are by {@link
   * StrictRequestFraming}. Only while a read is pending: an upstream that is slow to take the body stalls no
   * timer.
   */
  private void trackStreamedBody(RequestPipe ctx, Object msg) {
    if (msg instanceof LastHttpContent) {
      streamingBody = false;
    } else if (msg instanceof HttpRequest head && !(head instanceof FullHttpRequest)) {
      streamingBody = ctx.timesStreamedBodies();
    }
  }

  /** Hands the next stored piece to the request handler: memory first, then the file, then the end. */
  private void replayNext(RequestPipe ctx) {
    if (!memoryReplayed) {
      memoryReplayed = true;
      ByteBuf bytes = memory;
      memory = null;
      deliver(ctx, bytes, spill == null);
      return;
    }
    RequestBodyFile file = spill;
    fileTaskRunning = true;
    file.read(files, ctx.executor(), ctx.alloc(), replayPosition, REPLAY_PIECE_BYTES,
        (piece, n, failed) -> pieceRead(ctx, file, piece, n, failed));
  }

  /** Back from a file read: passes the piece on, unless the client left meanwhile. */
  private void pieceRead(RequestPipe ctx, RequestBodyFile file, ByteBuf piece, int n, IOException failed) {
    fileTaskRunning = false;
    if (state != State.REPLAYING) {
      piece.release();
      discard(file);
      return;
    }
    if (failed != null) {
      piece.release();
      LOG.log(Level.ERROR, "cannot read back a buffered request body from " + file.path() + ": " + failed.getMessage());
      ctx.close();
      return;
    }
    replayPosition += Math.max(n, 0);
    deliver(ctx, piece, n <= 0 || replayPosition >= spilledBytes);
  }

  private void deliver(RequestPipe ctx, ByteBuf bytes, boolean last) {
    if (last) {
      release();
      state = State.PASSING;
      ctx.fireChannelRead(new DefaultLastHttpContent(bytes));
    } else {
      ctx.fireChannelRead(new DefaultHttpContent(bytes));
    }
    ctx.fireChannelReadComplete();
  }

  /** Like nginx's client_body_timeout: a body that stops arriving for {@code bodyIdleTimeout} ends the connection. */
  private void armIdleTimer(RequestPipe ctx) {
    cancelIdleTimer();
    long nanos = limits.bodyIdleTimeout().toNanos();
    if (nanos > 0) {
      idleTimer = ctx.executor().schedule(() -> {
        LOG.log(Level.DEBUG, () -> "closing a client stream: request body idle for " + limits.bodyIdleTimeout());
        ctx.close();
      }, nanos, TimeUnit.NANOSECONDS);
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  /** The client connection (HTTP/1.1) or stream (HTTP/2) is gone: frees what is held. */
  void clientGone() {
    release();
    state = State.CLOSED;
    if (request != null) {
      ReferenceCountUtil.release(request);
      request = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
    state = State.CLOSED;
  }

  private void release() {
    cancelIdleTimer();
    if (memory != null) {
      memory.release();
      memory = null;
    }
    if (!fileTaskRunning) {
      discard(spill);
    }
    spill = null;
    memoryReplayed = false;
    replayPosition = 0;
    spilledBytes = 0;
  }

  private void discard(RequestBodyFile file) {
    if (file != null) {
      files.execute(file::delete);
    }
  }
}
