package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.audit.http.HeaderFields;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The referrer policy of a page, and the Origin and Referer a browser sends with a form POST under it. */
class ReferrerPoliciesTest {
  private static final String ORIGIN = "https://s.test:8443";
  private static final String PAGE = ORIGIN + "/admin/login/?next=/admin/";

  private static ProbeResponse page(String html, String... headers) {
    return new ProbeResponse(ProbeRequest.get(URI.create("https://s.test/")), 200, "OK",
        HeaderFields.of(headers), html.getBytes(StandardCharsets.UTF_8), false);
  }

  @Test
  void policyIsTheLastKnownTokenAndAMetaTagOverridesTheHeader() {
    assertThat(ReferrerPolicies.effective(page("", "Referrer-Policy", "no-referrer, same-origin, made-up")))
        .contains("same-origin");
    assertThat(ReferrerPolicies.effective(page("<meta name=referrer content=no-referrer>",
        "Referrer-Policy", "same-origin", "Content-Type", "text/html"))).contains("no-referrer");
    assertThat(ReferrerPolicies.effective(page("", "Content-Type", "text/html"))).isEmpty();
  }

  @Test
  void noReferrerPostsCarryOriginNullAndNoReferer() {
    assertThat(ReferrerPolicies.sameOriginPost(Optional.of("no-referrer"), ORIGIN, PAGE))
        .isEqualTo(new ReferrerPolicies.SameOriginPost("null", Optional.empty()));
  }

  @Test
  void originPoliciesSendTheOriginAsReferer() {
    for (String policy : new String[] {"origin", "strict-origin"}) {
      assertThat(ReferrerPolicies.sameOriginPost(Optional.of(policy), ORIGIN, PAGE))
          .isEqualTo(new ReferrerPolicies.SameOriginPost(ORIGIN, Optional.of(ORIGIN + "/")));
    }
  }

  @Test
  void sameOriginAndTheBrowserDefaultSendTheFullPageUrl() {
    for (Optional<String> policy : List.of(Optional.of("same-origin"), Optional.<String>empty(),
        Optional.of("strict-origin-when-cross-origin"), Optional.of("unsafe-url"))) {
      assertThat(ReferrerPolicies.sameOriginPost(policy, ORIGIN, PAGE))
          .isEqualTo(new ReferrerPolicies.SameOriginPost(ORIGIN, Optional.of(PAGE)));
    }
  }
}
