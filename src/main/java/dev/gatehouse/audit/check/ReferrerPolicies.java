package dev.gatehouse.audit.check;

import dev.gatehouse.audit.html.HtmlDocument;
import dev.gatehouse.audit.html.HtmlTag;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The referrer policy a browser applies to a page (W3C Referrer Policy §8.1, §4). */
final class ReferrerPolicies {
  /** The policy tokens browsers know (Referrer Policy §3); unknown tokens are skipped. */
  static final Set<String> KNOWN = Set.of("no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
      "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url");

  private ReferrerPolicies() {}

  /**
   * The effective policy: the last known token of the {@code Referrer-Policy} header (§8.1), overridden by a
   * {@code <meta name="referrer">} in the page (§4.2); empty when neither sets one.
   */
  static Optional<String> effective(ProbeResponse page) {
    Optional<String> policy = lastKnownToken(String.join(",", page.headers().all("Referrer-Policy")));
    if (page.isHtml()) {
      List<HtmlTag> metas = HtmlDocument.parse(page.bodyText()).tags("meta");
      for (HtmlTag meta : metas) {
        if (meta.attribute("name").map(n -> n.equalsIgnoreCase("referrer")).orElse(false)) {
          Optional<String> fromMeta = lastKnownToken(meta.attribute("content").orElse(""));
          if (fromMeta.isPresent()) {
            policy = fromMeta;
          }
        }
      }
    }
    return policy;
  }

  static Optional<String> lastKnownToken(String value) {
    Optional<String> last = Optional.empty();
    for (String token : value.split(",")) {
      String t = token.trim().toLowerCase(Locale.ROOT);
      if (KNOWN.contains(t)) {
        last = Optional.of(t);
      }
    }
    return last;
  }
}
