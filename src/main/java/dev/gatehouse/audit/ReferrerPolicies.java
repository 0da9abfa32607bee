package dev.gatehouse.audit;

import dev.gatehouse.audit.html.HtmlDocument;
import dev.gatehouse.audit.html.HtmlTag;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The referrer policy a browser applies to a page (W3C Referrer Policy §8.1, §4), and what the browser then sends
 * with a form POST from that page, which is what Django's CSRF check reads.
 */
public final class ReferrerPolicies {
  /** The policy tokens browsers know (Referrer Policy §3); unknown tokens are skipped. */
  public static final Set<String> KNOWN = Set.of("no-referrer", "no-referrer-when-downgrade", "same-origin",
      "origin", "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url");
  /** The policy browsers apply when a page sets none (Referrer Policy §3, Fetch "default referrer policy"). */
  public static final String BROWSER_DEFAULT = "strict-origin-when-cross-origin";

  /**
   * The {@code Origin} and {@code Referer} a browser sends with a same-origin POST.
   *
   * @param origin the {@code Origin} value: the page's origin, or {@code null} (the literal string)
   * @param referer the {@code Referer} value, empty when none is sent
   */
  public record SameOriginPost(String origin, Optional<String> referer) {}

  private ReferrerPolicies() {}

  /**
   * The effective policy: the last known token of the {@code Referrer-Policy} header (§8.1), overridden by a
   * {@code <meta name="referrer">} in the page (§4.2); empty when neither sets one.
   */
  public static Optional<String> effective(ProbeResponse page) {
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

  /**
   * What a browser sends with a POST from {@code pageUrl} to the same HTTPS origin under {@code policy}. Fetch
   * §3.1 ("append a request Origin header"): under {@code no-referrer} the {@code Origin} of a POST is
   * {@code null}, whatever the target; the other policies send the origin to the same origin. Referrer Policy
   * §8.3: {@code no-referrer} sends no {@code Referer}, {@code origin} and {@code strict-origin} only the origin,
   * the rest the full URL (without fragment).
   *
   * @param origin the page's origin, {@code https://host[:port]}
   */
  public static SameOriginPost sameOriginPost(Optional<String> policy, String origin, String pageUrl) {
    return switch (policy.orElse(BROWSER_DEFAULT)) {
      case "no-referrer" -> new SameOriginPost("null", Optional.empty());
      case "origin", "strict-origin" -> new SameOriginPost(origin, Optional.of(origin + "/"));
      default -> new SameOriginPost(origin, Optional.of(pageUrl));
    };
  }
}
