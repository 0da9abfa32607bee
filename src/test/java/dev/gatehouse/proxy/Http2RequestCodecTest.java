package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Limits;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Http2RequestCodecTest {

  private static final Duration BODY_IDLE = Duration.ofSeconds(5);
  private static final Limits UNBUFFERED =
      Limits.DEFAULTS.withRequestBuffering(false, Limits.DEFAULT_BODY_MEMORY_BYTES)
          .withTimeout("body_idle_timeout", BODY_IDLE);

  private static Http2Headers request(int fields) {
    Http2Headers h = new DefaultHttp2Headers().method("POST").scheme("https").authority("app.test").path("/");
    for (int i = 0; i < fields; i++) {
      h.add("x-field-" + i, "v");
    }
    return h;
  }

  private static EmbeddedChannel channel(Limits limits) {
    EmbeddedChannel ch = new EmbeddedChannel(new Http2RequestCodec(limits));
    ch.config().setAutoRead(false);
    return ch;
  }

  @Test
  void oneHundredFieldsPassPseudoHeadersNotCounted() {
    EmbeddedChannel ch = channel(Limits.DEFAULTS);
    ch.writeInbound(new DefaultHttp2HeadersFrame(request(Limits.DEFAULT_MAX_HEADER_COUNT), true));

    HttpRequest request = ch.readInbound();
    assertThat(request.decoderResult().isSuccess()).isTrue();
    assertThat(request.headers().get("x-field-99")).isEqualTo("v");
    ch.finishAndReleaseAll();
  }

  @Test
  void oneFieldOverTheLimitMarksTheRequestTooLong() {
    EmbeddedChannel ch = channel(Limits.DEFAULTS);
    ch.writeInbound(new DefaultHttp2HeadersFrame(request(Limits.DEFAULT_MAX_HEADER_COUNT + 1), true));

    HttpRequest request = ch.readInbound();
    assertThat(request.decoderResult().cause()).isInstanceOf(TooLongHttpHeaderException.class);
    assertThat(ErrorPages.forDecoderFailure(request.decoderResult().cause())).isEqualTo(ProxyFailure.HEADERS_TOO_LARGE);
    ch.finishAndReleaseAll();
  }

  @Test
  void unbufferedBodyStalledWhileWaitedForClosesTheStream() {
    EmbeddedChannel ch = channel(UNBUFFERED);
    ch.writeInbound(new DefaultHttp2HeadersFrame(request(1), false));
    ch.read();

    ch.advanceTimeBy(BODY_IDLE.toMillis() - 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("before the timeout").isTrue();

    ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("after the timeout").isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void dataInTimeMovesTheDeadline() {
    EmbeddedChannel ch = channel(UNBUFFERED);
    ch.writeInbound(new DefaultHttp2HeadersFrame(request(1), false));
    ch.read();
    ch.advanceTimeBy(BODY_IDLE.toMillis() - 1, TimeUnit.MILLISECONDS);
    ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), false));
    ch.read();

    ch.advanceTimeBy(BODY_IDLE.toMillis() / 2, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("past the first deadline, within the moved one").isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void noTimeoutWhileTheProxyIsNotReadingOrAfterTheBodyEnded() {
    EmbeddedChannel waitingOnUpstream = channel(UNBUFFERED);
    waitingOnUpstream.writeInbound(new DefaultHttp2HeadersFrame(request(1), false));
    waitingOnUpstream.advanceTimeBy(BODY_IDLE.toMillis() * 2, TimeUnit.MILLISECONDS);
    waitingOnUpstream.runScheduledPendingTasks();
    assertThat(waitingOnUpstream.isOpen()).as("no read asked for: backpressure, not a stalled client").isTrue();
    waitingOnUpstream.finishAndReleaseAll();

    EmbeddedChannel ended = channel(UNBUFFERED);
    ended.writeInbound(new DefaultHttp2HeadersFrame(request(1), false));
    ended.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), true));
    HttpContent last = null;
    for (Object m; (m = ended.readInbound()) != null; ) {
      if (m instanceof HttpContent c) {
        last = c;
      } else {
        ReferenceCountUtil.release(m);
      }
    }
    assertThat(last).isNotNull();
    last.release();
    ended.read();
    ended.advanceTimeBy(BODY_IDLE.toMillis() * 2, TimeUnit.MILLISECONDS);
    ended.runScheduledPendingTasks();
    assertThat(ended.isOpen()).as("the body is complete").isTrue();
    ended.finishAndReleaseAll();
  }

  @Test
  void bufferedBodiesAreTimedByTheBufferNotHere() {
    EmbeddedChannel ch = channel(Limits.DEFAULTS);
    ch.writeInbound(new DefaultHttp2HeadersFrame(request(1), false));
    ch.read();
    ch.advanceTimeBy(Limits.DEFAULT_BODY_IDLE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.finishAndReleaseAll();
  }
}
