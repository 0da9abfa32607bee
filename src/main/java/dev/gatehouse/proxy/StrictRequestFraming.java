package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * RFC 9112 message framing checked on the raw bytes, before Netty's {@code HttpServerCodec}, which accepts
 * some framing other servers read differently (obs-fold, bare LF, whitespace before the colon, {@code
 * Transfer-Encoding} lists, {@code 0x} chunk sizes): a request that two parsers could split differently is
 * how requests are smuggled past a proxy. Bytes pass on unchanged once checked; at the first fault nothing
 * more passes, and the codec's place in the pipeline gets a request (or, inside a body, a last content) whose
 * decoder result is the failure: 400, 414 or 431 through {@link ErrorPages}, then the connection closes.
 *
 * <p>The head must also arrive within the header read timeout (slowloris), and a body may not pause longer
 * than the body idle timeout while Gatehouse waits for it. See {@link FramingRules} for what is accepted.
 */
final class StrictRequestFraming extends ChannelDuplexHandler {

  private static final System.Logger LOG = System.getLogger(StrictRequestFraming.class.getName());

  /** A first line buffer that holds a typical request line or header field without growing. */
  static final int INITIAL_LINE_BYTES = 256;

  private enum State {
    REQUEST_LINE, HEADER_LINE, FIXED_BODY, CHUNK_SIZE_LINE, CHUNK_DATA, CHUNK_END_LINE, TRAILER_LINE,
    /** After a head with {@code Upgrade}: later bytes wait for the protocol switch (or the connection's end). */
    UPGRADE_PENDING,
    FAILED
  }

  private final FramingRules rules;
  private final boolean upgradesAllowed;
  private final TimeoutTimer headerTimer;
  private final TimeoutTimer bodyTimer;
  /**
   * The line being read, grown on demand up to its limit: allocating the limit (the header-section size, 16
   * KiB and more) for every connection made it most of an idle connection's memory (issue 6).
   */
  private byte[] line = new byte[INITIAL_LINE_BYTES];
  private int lineLength;
  private State state = State.REQUEST_LINE;
  private FramingRules.Head head;
  private long remaining;
  private ByteBuf held;
  private Object failure;
  private int emptyLines;

  /**
   * @param upgradesAllowed whether a head with {@code Upgrade} may switch protocols (port 443's WebSocket
   *     relay removes this handler when it does); without, {@code Upgrade} is an ordinary field
   */
  StrictRequestFraming(FramingRules rules, boolean upgradesAllowed) {
    this.rules = rules;
    this.upgradesAllowed = upgradesAllowed;
    this.headerTimer = new TimeoutTimer(rules.headerReadTimeout(), "request head not complete");
    this.bodyTimer = new TimeoutTimer(rules.bodyIdleTimeout(), "request body idle");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      headerTimer.arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    headerTimer.arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (isInBody()) {
      bodyTimer.armIfIdle(ctx);
    }
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    bodyTimer.cancel();
    if (state == State.FAILED) {
      in.release();
      return;
    }
    if (state == State.UPGRADE_PENDING) {
      hold(ctx, in);
      return;
    }
    if (state == State.REQUEST_LINE || state == State.HEADER_LINE) {
      // The header read timeout runs from a head's first byte (or the connection's start), not from the end
      // of the previous request: an upstream taking its time must not close the connection.
      headerTimer.armIfIdle(ctx);
    }
    int checkedUpTo = check(in);
    if (state == State.FAILED) {
      if (checkedUpTo > in.readerIndex()) {
        ctx.fireChannelRead(in.retainedSlice(in.readerIndex(), checkedUpTo - in.readerIndex()));
      }
      in.release();
      ctx.fireChannelRead(failure);
      failure = null;
      return;
    }
    if (state == State.UPGRADE_PENDING && checkedUpTo < in.writerIndex()) {
      ByteBuf rest = in.retainedSlice(checkedUpTo, in.writerIndex() - checkedUpTo);
      in.writerIndex(checkedUpTo);
      ctx.fireChannelRead(in);
      hold(ctx, rest);
      return;
    }
    ctx.fireChannelRead(in);
  }

  /**
   * Walks {@code in}; returns the index up to which bytes may pass: all of them, or, after a fault, those
   * before the line that holds it (so the codec never sees the end of a faulty head), or, on an upgrade,
   * those up to the end of its head.
   */
  private int check(ByteBuf in) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    int lineStart = lineLength == 0 ? i : -1;
    while (i < end) {
      if (state == State.FIXED_BODY || state == State.CHUNK_DATA) {
        int n = (int) Math.min(remaining, end - i);
        i += n;
        remaining -= n;
        lineStart = i;
        if (remaining == 0) {
          state = state == State.FIXED_BODY ? nextMessage() : State.CHUNK_END_LINE;
          if (state == State.UPGRADE_PENDING) {
            return i;
          }
        }
        continue;
      }
      int lf = in.indexOf(i, end, (byte) '\n');
      int stop = lf < 0 ? end : lf;
      if (!append(in, i, stop - i) || (lf >= 0 && !completeLine())) {
        return lineStart >= 0 ? lineStart : in.readerIndex();
      }
      if (lf < 0) {
        return end;
      }
      i = lf + 1;
      lineLength = 0;
      lineStart = i;
      if (state == State.UPGRADE_PENDING) {
        return i;
      }
    }
    return end;
  }

  /** Adds bytes to the current line; false (and failed) when the line grows past its limit. */
  private boolean append(ByteBuf in, int from, int length) {
    int limit = lineLimit();
    if (lineLength + length > limit + 1) {
      if (state == State.REQUEST_LINE) {
        fail(new TooLongHttpLineException("request line over " + rules.maxInitialLineBytes() + " bytes"));
      } else if (state == State.HEADER_LINE || state == State.TRAILER_LINE) {
        fail(new TooLongHttpHeaderException("header section over " + rules.maxHeaderBytes() + " bytes"));
      } else {
        fail(new CorruptedFrameException("chunk size line over " + FramingRules.MAX_CHUNK_LINE_BYTES + " bytes"));
      }
      return false;
    }
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + length, line.length * 2));
    }
    in.getBytes(from, line, lineLength, length);
    lineLength += length;
    return true;
  }

  private int lineLimit() {
    return switch (state) {
      case REQUEST_LINE -> rules.maxInitialLineBytes();
      case HEADER_LINE, TRAILER_LINE -> rules.maxHeaderBytes() - head.headerBytes();
      default -> FramingRules.MAX_CHUNK_LINE_BYTES;
    };
  }

  /** A whole line (its LF not included) is in {@code line}; false when it failed. */
  private boolean completeLine() {
    if (lineLength == 0 || line[lineLength - 1] != '\r') {
      // RFC 9112 §2.2: a bare LF is not a line end Gatehouse accepts; the upstream may read it differently.
      return fail(new CorruptedFrameException("line ending in a bare LF"));
    }
    int length = lineLength - 1;
    try {
      switch (state) {
        case REQUEST_LINE -> {
          if (length == 0) {
            // RFC 9112 §2.2: an empty line before the request line is tolerated, a few of them only.
            if (++emptyLines > FramingRules.MAX_EMPTY_LINES_BEFORE_REQUEST) {
              throw new CorruptedFrameException("empty lines instead of a request");
            }
            return true;
          }
          emptyLines = 0;
          head = FramingRules.Head.of(rules, line, length);
          state = State.HEADER_LINE;
        }
        case HEADER_LINE -> {
          if (length > 0) {
            head.field(line, length, true);
            return true;
          }
          headerTimer.cancel();
          FramingRules.Framing framing = head.framing();
          if (framing.chunked()) {
            state = State.CHUNK_SIZE_LINE;
          } else if (framing.length() > 0) {
            remaining = framing.length();
            state = State.FIXED_BODY;
          } else {
            state = nextMessage();
          }
        }
        case CHUNK_SIZE_LINE -> {
          remaining = FramingRules.chunkSize(line, length);
          state = remaining == 0 ? State.TRAILER_LINE : State.CHUNK_DATA;
          if (remaining == 0) {
            head.startTrailers();
          }
        }
        case CHUNK_END_LINE -> {
          if (length != 0) {
            throw new CorruptedFrameException("chunk data longer than its size");
          }
          state = State.CHUNK_SIZE_LINE;
        }
        case TRAILER_LINE -> {
          if (length > 0) {
            head.field(line, length, false);
            return true;
          }
          state = nextMessage();
        }
        default -> throw new IllegalStateException(state.name());
      }
      return true;
    } catch (CorruptedFrameException | TooLongHttpHeaderException e) {
      return fail(e);
    }
  }

  /** After a whole message: the next request's line, or a wait for the protocol switch. */
  private State nextMessage() {
    boolean upgrade = upgradesAllowed && head.upgrade();
    head = null;
    return upgrade ? State.UPGRADE_PENDING : State.REQUEST_LINE;
  }

  private boolean fail(Exception cause) {
    boolean inBody = isInBody();
    LOG.log(Level.DEBUG, () -> "refusing request framing: " + cause.getMessage());
    state = State.FAILED;
    headerTimer.cancel();
    bodyTimer.cancel();
    if (inBody) {
      LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      last.setDecoderResult(DecoderResult.failure(cause));
      failure = last;
    } else {
      FullHttpRequest request =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
      request.setDecoderResult(DecoderResult.failure(cause));
      failure = request;
    }
    return false;
  }

  private boolean isInBody() {
    return switch (state) {
      case FIXED_BODY, CHUNK_SIZE_LINE, CHUNK_DATA, CHUNK_END_LINE, TRAILER_LINE -> true;
      default -> false;
    };
  }

  /** Bytes after an upgrade request wait here, bounded: the relay takes them, or the connection ends. */
  private void hold(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (held == null) {
      held = ctx.alloc().compositeBuffer();
    }
    ((CompositeByteBuf) held).addComponent(true, bytes);
    if (held.readableBytes() > rules.maxHeaderBytes()) {
      LOG.log(Level.DEBUG, "closing: client sent too much before its protocol switch");
      ctx.close();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    headerTimer.stop();
    bodyTimer.stop();
    if (held != null) {
      ByteBuf bytes = held;
      held = null;
      ctx.fireChannelRead(bytes);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    headerTimer.stop();
    bodyTimer.stop();
    if (held != null) {
      held.release();
      held = null;
    }
    ctx.fireChannelInactive();
  }

  /** A timeout that closes the connection when it passes: a {@link DeadlineTimer} with its reason to log. */
  private static final class TimeoutTimer {
    private final long timeoutNanos;
    private final String reason;
    private DeadlineTimer deadline;

    TimeoutTimer(Duration timeout, String reason) {
      this.timeoutNanos = timeout.toNanos();
      this.reason = reason;
    }

    void arm(ChannelHandlerContext ctx) {
      if (timeoutNanos <= 0) {
        return;
      }
      if (deadline == null) {
        deadline = new DeadlineTimer(ctx.executor(), Long.MAX_VALUE, () -> expired(ctx));
      }
      deadline.expireIn(timeoutNanos);
    }

    void armIfIdle(ChannelHandlerContext ctx) {
      if (deadline == null || !deadline.isArmed()) {
        arm(ctx);
      }
    }

    private void expired(ChannelHandlerContext ctx) {
      LOG.log(Level.DEBUG, () -> "closing " + ctx.channel().remoteAddress() + ": " + reason + " after "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      ctx.close();
    }

    void cancel() {
      if (deadline != null) {
        deadline.clear();
      }
    }

    /** The handler is gone: nothing may fire any more. */
    void stop() {
      if (deadline != null) {
        deadline.stop();
      }
    }
  }

  static String ascii(byte[] bytes, int from, int length) {
    return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
  }
}
