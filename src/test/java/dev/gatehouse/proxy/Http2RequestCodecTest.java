package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Limits;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
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
}
