package dev.gatehouse.audit.http;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The responses met while following redirects one hop at a time, and why following stopped.
 *
 * @param hops every response, first request first; empty only when the first request failed
 * @param ending why the chain ended
 * @param failure for {@link Ending#FAILED}: what went wrong with the request after the last hop
 * @param failedUri for {@link Ending#FAILED}: the URI that could not be fetched
 */
public record RedirectChain(List<ProbeResponse> hops, Ending ending, Optional<String> failure,
    Optional<URI> failedUri) {

  /** Why following stopped. */
  public enum Ending {
    /** The last hop is not a redirect. */
    ARRIVED,
    /** A redirect pointed at a URI already visited. */
    LOOP,
    /** More than {@link ProbeLimits#maxRedirects()} hops. */
    TOO_MANY,
    /** A request failed (refused, timed out, not HTTP, a Location that is not a URI). */
    FAILED
  }

  public RedirectChain {
    hops = List.copyOf(hops);
  }

  /** The last response received, if any. */
  public Optional<ProbeResponse> last() {
    return hops.isEmpty() ? Optional.empty() : Optional.of(hops.get(hops.size() - 1));
  }

  /** The hops as a report shows them: {@code http://a/ → 301 → https://a/ → 200}. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (ProbeResponse hop : hops) {
      if (out.length() > 0) {
        out.append(" → ");
      }
      out.append(hop.uri()).append(" → ").append(hop.status());
    }
    failedUri.ifPresent(uri -> out.append(" → ").append(uri));
    failure.ifPresent(reason -> out.append(" (").append(reason).append(')'));
    if (ending == Ending.LOOP) {
      last().flatMap(ProbeResponse::location).ifPresent(uri -> out.append(" → ").append(uri).append(" (loop)"));
    }
    return out.toString();
  }
}
