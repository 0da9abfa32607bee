package dev.gatehouse.audit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SetCookieTest {
  @Test
  void parsesDjangoCsrfCookie() {
    SetCookie cookie = SetCookie.parse("csrftoken=abc123; expires=Sun, 21 Nov 2027 21:50:55 GMT; "
        + "Max-Age=31449600; Path=/; SameSite=Lax; Secure").orElseThrow();

    assertThat(cookie.name()).isEqualTo("csrftoken");
    assertThat(cookie.value()).isEqualTo("abc123");
    assertThat(cookie.secure()).isTrue();
    assertThat(cookie.httpOnly()).isFalse();
    assertThat(cookie.sameSite()).contains("Lax");
    assertThat(cookie.deletes()).isFalse();
  }

  @Test
  void attributeNamesAreCaseInsensitiveAndValuesMayBeQuoted() {
    SetCookie cookie = SetCookie.parse("sessionid=\"x y\"; HTTPONLY; secure;;").orElseThrow();

    assertThat(cookie.value()).isEqualTo("x y");
    assertThat(cookie.httpOnly()).isTrue();
    assertThat(cookie.secure()).isTrue();
    assertThat(cookie.sameSite()).isEmpty();
  }

  @Test
  void fieldsWithoutANameValuePairAreIgnored() {
    assertThat(SetCookie.parse("justtext; Secure")).isEmpty();
    assertThat(SetCookie.parse("=value")).isEmpty();
  }

  @Test
  void maxAgeZeroDeletesAndTheJarForgetsTheCookie() {
    ProbeRequest get = ProbeRequest.get(URI.create("https://example.test/"));
    CookieJar jar = new CookieJar();
    jar.update(new ProbeResponse(get, 200, "OK", HeaderFields.of("Set-Cookie", "a=1", "Set-Cookie", "b=2"),
        new byte[0], false));
    jar.update(new ProbeResponse(get, 200, "OK", HeaderFields.of("Set-Cookie", "a=; Max-Age=0"), new byte[0],
        false));

    assertThat(jar.applyTo(get).headers().all("Cookie")).containsExactly("b=2");
    assertThat(new CookieJar().applyTo(get).headers().contains("Cookie")).isFalse();
  }
}
