package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Http2ResponseHeadersTest {

  private static HttpResponse django() {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    r.headers()
        .add("Content-Type", "text/html; charset=utf-8")
        .add("Content-Length", "1024")
        .add("Set-Cookie", "a=1; Secure")
        .add("Set-Cookie", "b=2; HttpOnly")
        .add("Vary", "Cookie")
        .add("X-Frame-Options", "DENY")
        .add("strict-transport-security", "max-age=63072000");
    return r;
  }

  private static List<Map.Entry<CharSequence, CharSequence>> fields(Http2Headers h) {
    List<Map.Entry<CharSequence, CharSequence>> out = new ArrayList<>();
    h.forEach(e -> out.add(Map.entry(e.getKey().toString(), e.getValue().toString())));
    return out;
  }

  private static void assertSameAsNetty(HttpResponse response) {
    assertThat(fields(Http2ResponseHeaders.of(response)))
        .containsExactlyElementsOf(fields(HttpConversionUtil.toHttp2Headers(response, true)));
  }

  @Test
  void lowerCasesNamesKeepsRepeatsAndOrderLikeNetty() {
    HttpResponse r = django();
    Http2Headers h = Http2ResponseHeaders.of(r);

    assertThat(h.status().toString()).isEqualTo("200");
    assertThat(h.getAll("set-cookie")).extracting(Object::toString).containsExactly("a=1; Secure", "b=2; HttpOnly");
    assertThat(h.contains("Content-Type")).isFalse();
    assertSameAsNetty(r);
  }

  @Test
  void dropsConnectionSpecificFieldsLikeNetty() {
    HttpResponse r = django();
    r.headers()
        .add("Keep-Alive", "timeout=5")
        .add("Proxy-Connection", "keep-alive")
        .add("Transfer-Encoding", "chunked")
        .add("Upgrade", "h2c")
        .add("Host", "app.test")
        .add("x-http2-stream-id", "3")
        .add("X-HTTP2-Scheme", "http")
        .add("x-http2-path", "/");
    Http2Headers h = Http2ResponseHeaders.of(r);

    assertThat(fields(h)).extracting(e -> e.getKey().toString()).doesNotContain(
        "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "x-http2-stream-id",
        "x-http2-scheme", "x-http2-path");
    assertSameAsNetty(r);
  }

  @Test
  void connectionTeAndCookieTakeNettysPath() {
    HttpResponse listed = django();
    listed.headers().add("Connection", "close, X-Frame-Options");
    HttpResponse te = django();
    te.headers().add("TE", "trailers, gzip");
    HttpResponse cookie = django();
    cookie.headers().add("Cookie", "a=1; b=2");

    assertThat(Http2ResponseHeaders.of(listed).contains("x-frame-options")).isFalse();
    assertSameAsNetty(listed);
    assertSameAsNetty(te);
    assertSameAsNetty(cookie);
  }
}
