package dev.gatehouse.proxy;

import dev.gatehouse.config.Cidr;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamMessagesTest {

  private static HttpRequest upstream(HttpRequest client) throws Exception {
    RequestTarget target = RequestTarget.of(client).orElseThrow();
    return UpstreamMessages.request(
        client, target, ForwardedHeaders.Client.of(InetAddress.getByName("203.0.113.9"), 8443), List.of(), UpstreamMessages.isWebSocketUpgrade(client));
  }

  @Test
  void requestKeepsHostTargetAndBodyFramingButNotConnectionFields() throws Exception {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/a%2Fb/?q=%20");
    client.headers()
        .add("Host", "App.Test:8443")
        .add("Connection", "keep-alive, X-Hop")
        .add("X-Hop", "1")
        .add("Expect", "100-continue")
        .add("Transfer-Encoding", "chunked")
        .add("x-http2-scheme", "http")
        .add("Cookie", "sessionid=abc");

    HttpRequest up = upstream(client);

    assertThat(up.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(up.uri()).isEqualTo("/a%2Fb/?q=%20");
    assertThat(up.headers().getAll("Host")).containsExactly("App.Test:8443");
    assertThat(up.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(up.headers().get("Cookie")).isEqualTo("sessionid=abc");
    assertThat(up.headers().contains("Connection")).isFalse();
    assertThat(up.headers().contains("X-Hop")).isFalse();
    assertThat(up.headers().contains("Expect")).isFalse();
    assertThat(up.headers().contains("x-http2-scheme")).isFalse();
    assertThat(up.headers().get("X-Forwarded-For")).isEqualTo("203.0.113.9");
  }

  @Test
  void requestDropsEveryCaseOfSpoofedAndHopByHopNamesAndKeepsTheRestInOrder() throws Exception {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
    client.headers()
        .add("HOST", "app.test")
        .add("Accept", "*/*")
        .add("X-FORWARDED-FOR", "6.6.6.6")
        .add("x-Forwarded-Ssl", "off")
        .add("KEEP-ALIVE", "timeout=5")
        .add("Connection", "Host, Content-Length, x-private")
        .add("X-Private", "1")
        .add("Content-Length", "3")
        .add("Accept", "text/html")
        .add("x-http2-stream-id", "3");

    HttpRequest up = upstream(client);

    assertThat(up.headers().names()).containsExactly("Accept", "Content-Length", "host", "x-forwarded-for",
        "x-real-ip", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port");
    assertThat(up.headers().getAll("Accept")).containsExactly("*/*", "text/html");
    assertThat(up.headers().getAll("Host")).containsExactly("app.test");
    assertThat(up.headers().getAll("X-Forwarded-For")).containsExactly("203.0.113.9");
    assertThat(up.headers().get("Content-Length")).isEqualTo("3");
  }

  @Test
  void requestFromTrustedProxyExtendsItsChainAndKeepsItsScheme() throws Exception {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    client.headers().add("Host", "app.test").add("X-Forwarded-For", "198.51.100.7").add("X-Forwarded-Proto", "http")
        .add("Forwarded", "for=198.51.100.7").add("X-Real-IP", "6.6.6.6");
    RequestTarget target = RequestTarget.of(client).orElseThrow();

    HttpRequest up = UpstreamMessages.request(
        client, target, ForwardedHeaders.Client.of(InetAddress.getByName("10.0.0.2"), 443), List.of(Cidr.parse("t", "10.0.0.0/8")), false);

    assertThat(up.headers().getAll("X-Forwarded-For")).containsExactly("198.51.100.7, 10.0.0.2");
    assertThat(up.headers().getAll("X-Real-IP")).containsExactly("198.51.100.7");
    assertThat(up.headers().getAll("X-Forwarded-Proto")).containsExactly("http");
    assertThat(up.headers().getAll("Forwarded")).containsExactly("for=198.51.100.7");
  }

  @Test
  void chunkedRequestLosesItsContentLength() throws Exception {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
    client.headers().add("Host", "app.test").add("Transfer-Encoding", "chunked").add("Content-Length", "3");

    HttpRequest up = upstream(client);

    assertThat(up.headers().contains("Content-Length")).isFalse();
    assertThat(up.headers().getAll("Transfer-Encoding")).containsExactly("chunked");
  }

  @Test
  void absoluteFormBecomesOriginFormWithItsAuthorityAsHost() throws Exception {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "https://app.test:8443/x?y");
    client.headers().add("Host", "other.test");

    HttpRequest up = upstream(client);

    assertThat(up.uri()).isEqualTo("/x?y");
    assertThat(up.headers().getAll("Host")).containsExactly("app.test:8443");
  }

  @Test
  void webSocketUpgradeIsPassedOn() throws Exception {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws/echo");
    client.headers().add("Host", "app.test").add("Connection", "Upgrade").add("Upgrade", "websocket")
        .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").add("Sec-WebSocket-Version", "13");

    HttpRequest up = upstream(client);

    assertThat(up.headers().get("Connection")).isEqualToIgnoringCase("upgrade");
    assertThat(up.headers().get("Upgrade")).isEqualTo("websocket");
    assertThat(up.headers().get("Sec-WebSocket-Key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
  }

  @Test
  void otherUpgradesAreDropped() throws Exception {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    client.headers().add("Host", "app.test").add("Connection", "Upgrade, HTTP2-Settings").add("Upgrade", "h2c")
        .add("HTTP2-Settings", "AAMAAABkAAQAAP__");

    HttpRequest up = upstream(client);

    assertThat(up.headers().contains("Upgrade")).isFalse();
    assertThat(up.headers().contains("HTTP2-Settings")).isFalse();
  }

  @Test
  void responseLosesHopByHopFieldsAndGetsFramingTheClientCanRead() {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);
    response.headers().add("Connection", "close, X-Internal").add("X-Internal", "1").add("Keep-Alive", "timeout=2")
        .add("Set-Cookie", "a=b; Secure");

    boolean keepAlive = UpstreamMessages.response(response, false, true);

    assertThat(keepAlive).as("an HTTP/1.0 upstream that closes").isFalse();
    assertThat(response.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(response.headers().names()).containsExactlyInAnyOrder("Set-Cookie", "transfer-encoding");
    assertThat(response.headers().get("Transfer-Encoding")).isEqualTo("chunked");
  }

  @Test
  void responseForHttp10ClientOrWithALengthIsNotChunked() {
    HttpResponse unknownLength = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpResponse known = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    known.headers().add("Content-Length", "5");
    HttpResponse notModified = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);

    UpstreamMessages.response(unknownLength, false, false);
    UpstreamMessages.response(known, false, true);
    UpstreamMessages.response(notModified, false, true);

    assertThat(unknownLength.headers().contains("Transfer-Encoding")).isFalse();
    assertThat(known.headers().contains("Transfer-Encoding")).isFalse();
    assertThat(notModified.headers().contains("Transfer-Encoding")).isFalse();
  }

  @Test
  void upstreamConnectionIsReusedOnlyAfterAnHttp11ResponseWithoutClose() {
    HttpResponse plain = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    plain.headers().add("Connection", "keep-alive").add("Content-Length", "0");
    HttpResponse closing = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    closing.headers().add("Connection", "X-Internal").add("Connection", "x-a, Close").add("Content-Length", "0");
    HttpResponse http10 = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);
    http10.headers().add("Connection", "keep-alive").add("Content-Length", "0");

    assertThat(UpstreamMessages.response(plain, false, true)).isTrue();
    assertThat(UpstreamMessages.response(closing, false, true)).isFalse();
    assertThat(UpstreamMessages.response(http10, false, true)).isFalse();
    assertThat(closing.headers().contains("Connection")).isFalse();
  }
}
