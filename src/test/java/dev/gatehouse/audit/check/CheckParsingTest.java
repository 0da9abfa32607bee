package dev.gatehouse.audit.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.audit.http.HeaderFields;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The header and markup interpretation the checks rely on. */
class CheckParsingTest {
  private static ProbeResponse page(String html, String... headers) {
    return new ProbeResponse(ProbeRequest.get(URI.create("https://s.test/")), 200, "OK",
        HeaderFields.of(headers), html.getBytes(StandardCharsets.UTF_8), false);
  }

  @Test
  void hstsParsesDirectivesCaseInsensitivelyAndRejectsInvalidValues() {
    assertThat(StrictTransportSecurity.parse("Max-Age=\"31536000\"; INCLUDESUBDOMAINS; preload"))
        .contains(new StrictTransportSecurity(31536000, true, true));
    assertThat(StrictTransportSecurity.parse("max-age=300; unknown=1")).contains(
        new StrictTransportSecurity(300, false, false));
    assertThat(StrictTransportSecurity.parse("includeSubDomains")).isEmpty();
    assertThat(StrictTransportSecurity.parse("max-age=abc")).isEmpty();
    assertThat(StrictTransportSecurity.parse("max-age=1; max-age=2")).isEmpty();
    assertThat(StrictTransportSecurity.parse("max-age=1; includeSubDomains; includeSubDomains")).isEmpty();
  }

  @Test
  void srcsetCandidatesAreSplitIntoUrls() {
    assertThat(MixedContentCheck.srcsetUrls("a.png 1x, http://b.test/b.png 2x,c.png"))
        .containsExactly("a.png", "http://b.test/b.png", "c.png");
  }

  @Test
  void versionedProductTokensAreFoundButBareNamesAreNot() {
    assertThat(ServerHeaderCheck.VERSION.matcher("nginx/1.22.1").find()).isTrue();
    assertThat(ServerHeaderCheck.VERSION.matcher("gunicorn/20.1.0 Python/3.11").find()).isTrue();
    assertThat(ServerHeaderCheck.VERSION.matcher("nginx").find()).isFalse();
    assertThat(ServerHeaderCheck.VERSION.matcher("cloudflare").find()).isFalse();
  }
}
