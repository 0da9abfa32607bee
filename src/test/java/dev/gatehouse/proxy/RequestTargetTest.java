package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

  private static Optional<RequestTarget> withHost(String host) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/p?q=1");
    request.headers().add("Host", host);
    return RequestTarget.of(request);
  }

  private static Optional<RequestTarget> withTarget(String uri) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    request.headers().add("Host", "ignored.test");
    return RequestTarget.of(request);
  }

  @ParameterizedTest(name = "Host: {0} -> {1} port {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "example.com|example.com|-1",
        "Example.COM|example.com|-1",
        "example.com.|example.com|-1",
        "example.com:8443|example.com|8443",
        "example.com:0|example.com|0",
        "example.com:65535|example.com|65535",
        "example.com:00443|example.com|443",
        "under_score.test|under_score.test|-1",
        "-lead.test|-lead.test|-1",
        "a|a|-1",
        "1.2.3.4|1.2.3.4|-1",
        "1.2.3.4:80|1.2.3.4|80",
        "[::1]|::1|-1",
        "[::1]:8443|::1|8443",
        "[2001:DB8::A]|2001:db8::a|-1",
        "[::ffff:1.2.3.4]:1|::ffff:1.2.3.4|1",
      })
  void acceptsPlainNamesAndLiterals(String host, String expected, int port) {
    RequestTarget target = withHost(host).orElseThrow();

    assertThat(target.host()).isEqualTo(expected);
    assertThat(target.port()).isEqualTo(port < 0 ? OptionalInt.empty() : OptionalInt.of(port));
    assertThat(target.authority()).isEqualTo(host);
    assertThat(target.originForm()).isEqualTo("/p?q=1");
  }

  @ParameterizedTest(name = "Host: \"{0}\" is refused")
  @ValueSource(
      strings = {
        "",
        ".",
        ":80",
        ".example.com",
        "a..b",
        "example.com..",
        "exa mple.com",
        "user@example.com",
        "example.com/x",
        "example.com%2e",
        "exämple.com",
        "example.com:",
        "example.com:65536",
        "example.com:123456",
        "example.com:99999",
        "example.com:-1",
        "example.com:+80",
        "example.com:8a",
        "example.com:80:80",
        "example.com:٣",
        "[::1",
        "[]",
        "[]:80",
        "[1.2.3.4]",
        "[::g]",
        "[::１]",
        "[::1]x",
        "[::1]:",
        "[::1]:65536",
        "[::1]]",
        "[::1%eth0]",
        "[ ::1]",
        "::1",
      })
  void refusesAnythingElse(String host) {
    assertThat(withHost(host)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1} {2} {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://App.test/a?b|app.test|App.test|/a?b",
        "https://app.test:8443|app.test|app.test:8443|/",
        "HTTPS://app.test?x=1|app.test|app.test|/?x=1",
        "http://[::1]:80/z|::1|[::1]:80|/z",
      })
  void absoluteFormWinsOverHost(String uri, String host, String authority, String originForm) {
    RequestTarget target = withTarget(uri).orElseThrow();

    assertThat(target.host()).isEqualTo(host);
    assertThat(target.authority()).isEqualTo(authority);
    assertThat(target.originForm()).isEqualTo(originForm);
  }

  @ParameterizedTest(name = "target \"{0}\" is refused")
  @ValueSource(strings = {"", "*", "p", "/ä", "http://a..b/", "http://user@app.test/", "http:///x"})
  void refusesMalformedTargets(String uri) {
    assertThat(withTarget(uri)).isEmpty();
  }

  @Test
  void refusesMissingOrRepeatedHost() {
    HttpRequest none = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    HttpRequest two = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    two.headers().add("Host", "a.test").add("Host", "b.test");

    assertThat(RequestTarget.of(none)).isEmpty();
    assertThat(RequestTarget.of(two)).isEmpty();
  }
}
