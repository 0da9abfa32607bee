package dev.gatehouse.proxy;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Strict-Transport-Security value for a response (RFC 6797 §6.1), sent only over HTTPS and only when
 * the application did not send its own.
 */
final class Hsts {
  private Hsts() {}

  /**
   * The value built last: nearly every response carries the same one, and building it per response (a
   * {@code StringBuilder}, a {@code String}, an {@code Optional}) was ~1 % of the proxy's time.
   */
  private static volatile Built last = new Built(-1, false, false, Optional.empty());

  private record Built(long maxAge, boolean includeSubdomains, boolean preload, Optional<String> value) {}

  /**
   * The header value for a request to {@code siteName} (the configured name that matched), or empty for
   * {@code --hsts off}. {@code preload} is added only from a one-year max-age on, the preload list's minimum
   * (https://hstspreload.org/#submission-requirements), so a ramp does not ask for preloading too early.
   */
  static Optional<String> value(HstsPolicy policy, HstsRamp ramp, String siteName) {
    long maxAge =
        switch (policy.mode()) {
          case OFF -> -1;
          case FIXED -> policy.fixedSeconds();
          case RAMP -> ramp.maxAge(siteName);
        };
    if (maxAge < 0) {
      return Optional.empty();
    }
    boolean preload = policy.preload() && maxAge >= HstsPolicy.PRELOAD_MIN_SECONDS;
    Built built = last;
    if (built.maxAge() != maxAge || built.includeSubdomains() != policy.includeSubdomains()
        || built.preload() != preload) {
      built = new Built(maxAge, policy.includeSubdomains(), preload, Optional.of(build(maxAge, policy, preload)));
      last = built;
    }
    return built.value();
  }

  private static String build(long maxAge, HstsPolicy policy, boolean preload) {
    StringBuilder value = new StringBuilder("max-age=").append(maxAge);
    if (policy.includeSubdomains()) {
      value.append("; includeSubDomains");
    }
    if (preload) {
      value.append("; preload");
    }
    return value.toString();
  }

  /** Whether each configured name is served with a certificate that is valid now. */
  static Map<String, Boolean> health(ServeConfig config, CertificateCache certificates, Instant now) {
    Map<String, Boolean> health = new LinkedHashMap<>();
    for (SiteConfig site : config.sites()) {
      for (String name : site.names()) {
        Optional<CertifiedKey> key = certificates.lookup(name);
        health.put(
            name, key.isPresent() && !now.isBefore(key.get().notBefore()) && now.isBefore(key.get().notAfter()));
      }
    }
    return health;
  }
}
