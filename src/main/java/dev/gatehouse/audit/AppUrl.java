package dev.gatehouse.audit;

import dev.gatehouse.audit.http.ProbeResponse;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The URL the app-side probes use (forwarded headers, the app's own redirects), and how the audit found it. On
 * many sites {@code /} is answered by the proxy itself (a landing page, a static index, a health page), so probes
 * sent there never reach Django; see {@link AuditContext#appUrl()} for the order in which URLs are tried.
 *
 * @param uri the URL
 * @param foundBy how it was found, for reports: {@code "the login path"}, {@code "a page of the crawl"}
 * @param evidence what showed that the app answers it ({@link AppEvidence}); empty when no URL tried showed the
 *     app, and the start URL is used for want of a better one
 * @param answer the app's response that showed it; empty when {@code evidence} is
 */
public record AppUrl(URI uri, String foundBy, Optional<String> evidence, Optional<ProbeResponse> answer) {
  public AppUrl {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(foundBy, "foundBy");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(answer, "answer");
  }

  /** A URL whose {@code answer} showed the app by {@code evidence}. */
  static AppUrl answeredBy(ProbeResponse answer, String foundBy, String evidence) {
    return new AppUrl(answer.uri(), foundBy, Optional.of(evidence), Optional.of(answer));
  }

  /** For reports: {@code https://example.com/admin/login/ (the login path, which sets Django's cookie csrftoken)}. */
  public String describe() {
    return uri + " (" + foundBy + evidence.map(e -> ", which " + e).orElse(
        "; no URL tried showed an answer from the app") + ")";
  }
}
