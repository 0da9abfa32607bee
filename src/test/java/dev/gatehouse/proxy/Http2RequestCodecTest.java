package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gatehouse.config.Limits;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http2RequestCodecTest {

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

  /** What Netty's own codec makes of {@code frames}, for comparison. */
  private static List<Object> viaNetty(Http2StreamFrame... frames) {
    EmbeddedChannel ch = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true));
    return decodeAll(ch, frames);
  }

  private static List<Object> viaCodec(Http2StreamFrame... frames) {
    return decodeAll(new EmbeddedChannel(new Http2RequestCodec(Limits.DEFAULTS)), frames);
  }

  private static List<Object> decodeAll(EmbeddedChannel ch, Http2StreamFrame... frames) {
    List<Object> out = new ArrayList<>();
    for (Http2StreamFrame frame : frames) {
      ch.writeInbound(frame);
      Object msg;
      while ((msg = ch.readInbound()) != null) {
        out.add(describe(msg));
        ReferenceCountUtil.release(msg);
      }
    }
    ch.finishAndReleaseAll();
    return out;
  }

  /** A message's type, head and body as text, so two conversions can be compared field for field. */
  private static String describe(Object msg) {
    StringBuilder s = new StringBuilder(msg instanceof LastHttpContent ? "last " : msg instanceof HttpContent ? "content " : "");
    if (msg instanceof HttpRequest r) {
      s.append(msg instanceof FullHttpRequest ? "full " : "head ")
          .append(r.method()).append(' ').append(r.uri()).append(' ').append(r.protocolVersion()).append(' ')
          .append(r.decoderResult()).append(' ').append(r.headers().entries());
    }
    if (msg instanceof HttpContent c) {
      s.append(" body=").append(c.content().toString(StandardCharsets.US_ASCII));
    }
    if (msg instanceof LastHttpContent l) {
      s.append(" trailers=").append(l.trailingHeaders().entries());
    }
    return s.toString();
  }

  private static Http2Headers get() {
    return new DefaultHttp2Headers().method("GET").scheme("https").authority("app.test").path("/p?q=1")
        .add("cookie", "a=1").add("cookie", "b=2").add("accept", "*/*");
  }

  @Test
  void convertsABodilessRequestAsNettyDoes() {
    assertThat(viaCodec(new DefaultHttp2HeadersFrame(get(), true)))
        .hasSize(1)
        .containsExactlyElementsOf(viaNetty(new DefaultHttp2HeadersFrame(get(), true)));
  }

  @Test
  void convertsABodyAndTrailersAsNettyDoes() {
    Http2Headers post = request(2).set("content-length", "5");
    Http2Headers chunked = request(2);
    Http2Headers trailers = new DefaultHttp2Headers().add("x-sum", "9");
    for (Http2Headers head : List.of(post, chunked)) {
      List<Object> ours = viaCodec(
          new DefaultHttp2HeadersFrame(head, false),
          new DefaultHttp2DataFrame(Unpooled.copiedBuffer("he", StandardCharsets.US_ASCII), false),
          new DefaultHttp2DataFrame(Unpooled.copiedBuffer("llo", StandardCharsets.US_ASCII), false),
          new DefaultHttp2HeadersFrame(trailers, true));
      List<Object> netty = viaNetty(
          new DefaultHttp2HeadersFrame(head, false),
          new DefaultHttp2DataFrame(Unpooled.copiedBuffer("he", StandardCharsets.US_ASCII), false),
          new DefaultHttp2DataFrame(Unpooled.copiedBuffer("llo", StandardCharsets.US_ASCII), false),
          new DefaultHttp2HeadersFrame(trailers, true));
      assertThat(ours).hasSize(4).containsExactlyElementsOf(netty);
    }
  }

  @Test
  void aHeadWithoutPathFailsAsNettysDoes() {
    Http2Headers noPath = new DefaultHttp2Headers().method("GET").scheme("https").authority("app.test");
    Throwable ours = catchThrowable(() -> viaCodec(new DefaultHttp2HeadersFrame(noPath, true)));
    Throwable netty = catchThrowable(() -> viaNetty(new DefaultHttp2HeadersFrame(noPath, true)));
    assertThat(ours).isInstanceOf(DecoderException.class).hasSameClassAs(netty);
    assertThat(ours.getCause()).isNotNull().hasSameClassAs(netty.getCause());
  }
}
