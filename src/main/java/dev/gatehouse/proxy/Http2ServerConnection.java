package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import java.lang.System.Logger.Level;

/**
 * One HTTP/2 connection, one handler: frames are read and written here, at the connection level, and each
 * request stream is a {@link Http2ServerStream} kept on Netty's stream under a property key, not a child
 * channel with a pipeline of its own (the design of gRPC-java's {@code NettyServerHandler}; Netty#5772 measured
 * it ~30 % ahead of child channels). Netty's codec under it keeps the stream states, flow control (RFC 9113
 * §5.2, §6.9) and the flood limits ({@link #create}).
 *
 * <p>Where Netty's decoder answers otherwise than RFC 9113 asks, this handler corrects it: a HEADERS frame
 * after the client's END_STREAM, on a closed stream, or on a stream id below one already used ({@link
 * #onStreamError}, §5.1, §5.1.1); a request without its required pseudo-header fields ({@link
 * Http2RequestHeads}, §8.3.1). Writes of streams are flushed once per event-loop pass ({@link #flushSoon}).
 * Event loop only.
 */
final class Http2ServerConnection extends Http2ConnectionHandler {

  private static final System.Logger LOG = System.getLogger(Http2ServerConnection.class.getName());

  private final ServerRuntime runtime;
  private final int maxHeaderCount;
  private final int streamWindowBytes;
  private final InboundHeadersTracker inboundHeaders;
  private final Http2Connection.PropertyKey streamKey;
  private final Runnable flushTask = this::flushNow;
  private ChannelHandlerContext ctx;
  private boolean flushScheduled;

  private Http2ServerConnection(
      Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      ServerRuntime runtime, InboundHeadersTracker inboundHeaders) {
    super(decoder, encoder, settings);
    this.runtime = runtime;
    this.maxHeaderCount = runtime.config().limits().maxHeaderCount();
    Integer window = settings.initialWindowSize();
    this.streamWindowBytes = window == null ? Http2CodecUtil.DEFAULT_WINDOW_SIZE : window;
    this.inboundHeaders = inboundHeaders;
    this.streamKey = connection().newKey();
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        Http2ServerStream closed = stream.removeProperty(streamKey);
        if (closed != null) {
          closed.closed();
        }
      }
    });
    decoder.frameListener(new RequestFrames());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
    widenConnectionWindow();
  }

  /**
   * SETTINGS_INITIAL_WINDOW_SIZE covers streams only; the connection's window stays 65,535 until widened by a
   * WINDOW_UPDATE (RFC 9113 §6.9.2). Widened to twice the stream window, as Netty's frame codec does, so one
   * stream that holds its whole window unread leaves room for the others.
   */
  private void widenConnectionWindow() throws Http2Exception {
    Http2Stream connectionStream = connection().connectionStream();
    Http2LocalFlowController flow = connection().local().flowController();
    int delta = streamWindowBytes - flow.initialWindowSize(connectionStream);
    if (delta > 0) {
      flow.incrementWindowSize(connectionStream, 2 * delta);
      flush(ctx);
    }
  }

  /** The client may send {@code bytes} more on {@code stream} (and on the connection): a WINDOW_UPDATE. */
  void returnCredit(Http2Stream stream, int bytes) {
    try {
      if (connection().local().flowController().consumeBytes(stream, bytes)) {
        flushSoon();
      }
    } catch (Http2Exception e) {
      onError(ctx, true, e);
    }
  }

  /**
   * Flushes at the end of the event loop's current pass, once for all the streams that wrote in it: responses
   * mostly finish in reads of upstream connections, one stream each, and flushing each on its own would run
   * the flow controller and cut a TLS record per stream (gRPC-java's WriteQueue batches the same way).
   */
  void flushSoon() {
    if (!flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(flushTask);
    }
  }

  private void flushNow() {
    flushScheduled = false;
    flush(ctx);
  }

  /**
   * Netty's answers to a HEADERS frame the stream's state does not allow, corrected to RFC 9113: after the
   * client's END_STREAM (half-closed remote) a stream error STREAM_CLOSED (§5.1), where Netty says
   * PROTOCOL_ERROR; on a stream Netty no longer tracks a connection error (§5.1 closed: STREAM_CLOSED for the
   * latest stream; §5.1.1: PROTOCOL_ERROR for an id below it, which a new stream may not use), where Netty
   * resets the stream.
   */
  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception.StreamException error) {
    int headersStream = inboundHeaders.takeStreamId();
    if (outbound || error.streamId() != headersStream) {
      super.onStreamError(ctx, outbound, cause, error);
      return;
    }
    Http2Stream stream = connection().stream(headersStream);
    if (stream == null && error.error() == Http2Error.STREAM_CLOSED) {
      boolean latest = headersStream == connection().remote().lastStreamCreated();
      onConnectionError(ctx, false, cause,
          Http2Exception.connectionError(
              latest ? Http2Error.STREAM_CLOSED : Http2Error.PROTOCOL_ERROR,
              latest ? "HEADERS on closed stream %d" : "HEADERS on stream %d, below a stream id already used",
              headersStream));
    } else if (stream != null && stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE) {
      super.onStreamError(ctx, false, cause,
          (Http2Exception.StreamException) Http2Exception.streamError(
              headersStream, Http2Error.STREAM_CLOSED, cause, "HEADERS after END_STREAM on stream %d", headersStream));
    } else {
      super.onStreamError(ctx, outbound, cause, error);
    }
  }

  /** What the decoder passes on after its checks: request heads, bodies and trailers. */
  private final class RequestFrames extends Http2FrameAdapter {

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endStream)
        throws Http2Exception {
      inboundHeaders.takeStreamId();
      Http2Stream stream = connection().stream(streamId);
      Http2ServerStream request = stream.getProperty(streamKey);
      if (request != null) {
        LastHttpContent trailers = Http2RequestHeads.trailers(streamId, headers);
        try {
          request.received(trailers);
        } catch (RuntimeException e) {
          throw failedStream(streamId, e);
        }
        return;
      }
      HttpRequest head = Http2RequestHeads.head(streamId, headers, endStream, maxHeaderCount);
      request = new Http2ServerStream(Http2ServerConnection.this, ctx, stream, runtime, !endStream);
      stream.setProperty(streamKey, request);
      try {
        request.begin(head);
      } catch (RuntimeException e) {
        throw failedStream(streamId, e);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency, short weight,
        boolean exclusive, int padding, boolean endStream) throws Http2Exception {
      onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    /**
     * A body piece waits in its stream until the exchange asks for it; its credit is returned then (padding
     * at once). DATA nobody wants any more is dropped and credited at once.
     */
    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
        throws Http2Exception {
      Http2Stream stream = connection().stream(streamId);
      Http2ServerStream request = stream == null ? null : stream.getProperty(streamKey);
      if (request == null || !request.takesBody()) {
        return data.readableBytes() + padding;
      }
      ByteBuf body = data.retain();
      try {
        request.received(endOfStream ? new DefaultLastHttpContent(body) : new DefaultHttpContent(body));
      } catch (RuntimeException e) {
        throw failedStream(streamId, e);
      }
      return padding;
    }

    /**
     * A bug in handling one request resets that stream (INTERNAL_ERROR) and ends its exchange; an exception
     * left to Netty would end the whole connection and every other stream on it.
     */
    private Http2Exception failedStream(int streamId, RuntimeException e) {
      LOG.log(Level.ERROR, "HTTP/2 stream " + streamId + " failed", e);
      return Http2Exception.streamError(streamId, Http2Error.INTERNAL_ERROR, e, "request handling failed");
    }
  }

  /**
   * The handler for one new connection: the settings and flood limits documented in {@link
   * HttpsChannelInitializer}, Netty's builder applying them.
   */
  static Http2ServerConnection create(ServerRuntime runtime) {
    return new Builder(runtime).create();
  }

  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerConnection, Builder> {

    private final ServerRuntime runtime;
    private final InboundHeadersTracker inboundHeaders = new InboundHeadersTracker();

    Builder(ServerRuntime runtime) {
      this.runtime = runtime;
      Limits limits = runtime.config().limits();
      connection(serverConnection());
      frameLogger(inboundHeaders);
      initialSettings(
          Http2Settings.defaultSettings()
              .maxConcurrentStreams(HttpsChannelInitializer.MAX_CONCURRENT_STREAMS)
              .maxHeaderListSize(limits.maxHeaderBytes())
              .initialWindowSize(HttpsChannelInitializer.STREAM_WINDOW_BYTES));
      validateHeaders(true);
      decoderEnforceMaxRstFramesPerWindow(
          HttpsChannelInitializer.MAX_RST_FRAMES_PER_WINDOW, HttpsChannelInitializer.RST_WINDOW_SECONDS);
      decoderEnforceMaxSmallContinuationFrames(HttpsChannelInitializer.MAX_SMALL_CONTINUATION_FRAMES);
      decoderEnforceMaxConsecutiveEmptyDataFrames(HttpsChannelInitializer.MAX_CONSECUTIVE_EMPTY_DATA_FRAMES);
      encoderEnforceMaxQueuedControlFrames(HttpsChannelInitializer.MAX_QUEUED_CONTROL_FRAMES);
      gracefulShutdownTimeoutMillis(limits.drainTimeout().toMillis());
    }

    /**
     * A server connection whose response bytes are shared out evenly among the streams that have some
     * ({@link UniformStreamByteDistributor}): the priority tree of Netty's default distributor costs time on
     * every write, and RFC 9113 §5.3.2 deprecated the priority signals it follows.
     */
    private static Http2Connection serverConnection() {
      Http2Connection connection = new DefaultHttp2Connection(true);
      connection.remote().flowController(
          new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
      return connection;
    }

    Http2ServerConnection create() {
      return build();
    }

    @Override
    protected Http2ServerConnection build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      return new Http2ServerConnection(decoder, encoder, settings, runtime, inboundHeaders);
    }
  }
}
