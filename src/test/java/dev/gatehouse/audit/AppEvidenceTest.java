package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.audit.http.HeaderFields;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which answers show the Django app, and which could be the proxy's own. */
class AppEvidenceTest {
  private static final URI LOGIN = URI.create("https://s.test:8443/admin/login/");

  private static ProbeResponse response(URI uri, int status, String body, String... headers) {
    return new ProbeResponse(ProbeRequest.get(uri), status, "", HeaderFields.of(headers),
        body.getBytes(StandardCharsets.UTF_8), false);
  }

  @Test
  void djangoCookiesFormsAndErrorPagesShowTheApp() {
    assertThat(AppEvidence.of(response(LOGIN, 200, "", "Set-Cookie", "csrftoken=abc; Secure; Path=/")))
        .contains("sets Django's cookie csrftoken");
    assertThat(AppEvidence.of(response(LOGIN, 200, "<input type=\"hidden\" name=\"csrfmiddlewaretoken\" "
        + "value=\"x\">"))).contains("has a form with Django's csrfmiddlewaretoken");
    assertThat(AppEvidence.of(response(LOGIN, 404, "<!doctype html><html lang=\"en\"><head><title>Not Found"
        + "</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p>"
        + "</body></html>"))).contains("is Django's 404 page");
  }

  @Test
  void aRedirectToTheSameUrlShowsTheLoopEvenWithAnotherSpellingOfThePort() {
    ProbeResponse self = response(URI.create("https://s.test:443/admin/login/"), 301, "", "Location",
        "https://S.test/admin/login/");

    assertThat(AppEvidence.redirectsToItself(self)).isTrue();
    assertThat(AppEvidence.of(self)).contains("answers 301 with a Location to itself");
  }

  @Test
  void proxyPagesAndOtherRedirectsShowNothing() {
    assertThat(AppEvidence.of(response(LOGIN, 404, "<html><head><title>404 Not Found</title></head><body>"
        + "<center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>"))).isEmpty();
    assertThat(AppEvidence.of(response(LOGIN, 200, "<h1>Welcome</h1>", "Set-Cookie", "lb=7; Path=/")))
        .isEmpty();
    assertThat(AppEvidence.redirectsToItself(response(LOGIN, 301, "", "Location", "/admin/login/?next=/")))
        .isFalse();
    assertThat(AppEvidence.redirectsToItself(response(URI.create("http://s.test/"), 301, "", "Location",
        "http://s.test/"))).isFalse();
  }
}
