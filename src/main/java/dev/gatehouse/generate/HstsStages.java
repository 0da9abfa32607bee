package dev.gatehouse.generate;

import dev.gatehouse.config.HstsPolicy;
import java.util.List;
import java.util.Optional;

/**
 * The Strict-Transport-Security value a generated configuration sends (RFC 6797 §6.1), and the staged
 * rollout for {@code --hsts ramp}: a static file cannot raise max-age by itself, so it starts at the first
 * stage and its comments say how to raise it. Staging follows https://hstspreload.org/#deployment-recommendations:
 * a short max-age first, so a broken certificate on day one does not lock browsers out for a year.
 */
public final class HstsStages {
  private HstsStages() {}

  /** max-age values in seconds: 5 minutes, 1 day, 1 week, 30 days, 1 year (the preload list's minimum). */
  public static final List<Long> RAMP = List.of(300L, 86_400L, 604_800L, 2_592_000L, HstsPolicy.PRELOAD_MIN_SECONDS);

  /** The max-age to send now: the first stage for ramp, the fixed value otherwise; empty for off. */
  public static Optional<Long> maxAge(HstsPolicy policy) {
    return switch (policy.mode()) {
      case OFF -> Optional.empty();
      case RAMP -> Optional.of(RAMP.get(0));
      case FIXED -> Optional.of(policy.fixedSeconds());
    };
  }

  /**
   * The header value, e.g. {@code max-age=300; includeSubDomains}. {@code preload} is only written with a
   * max-age the preload list accepts; during a ramp it is left out until the last stage.
   */
  public static Optional<String> headerValue(HstsPolicy policy) {
    return maxAge(policy)
        .map(
            age -> {
              StringBuilder v = new StringBuilder("max-age=").append(age);
              if (policy.includeSubdomains()) {
                v.append("; includeSubDomains");
              }
              if (policy.preload() && age >= HstsPolicy.PRELOAD_MIN_SECONDS) {
                v.append("; preload");
              }
              return v.toString();
            });
  }

  /** The stages as comment text: {@code 300 -> 86400 -> ... -> 31536000}. */
  public static String rampText() {
    return String.join(" -> ", RAMP.stream().map(String::valueOf).toList());
  }
}
