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
    StringBuilder value = new StringBuilder("max-age=").append(maxAge);
    if (policy.includeSubdomains()) {
      value.append("; includeSubDomains");
    }
    if (policy.preload() && maxAge >= HstsPolicy.PRELOAD_MIN_SECONDS) {
      value.append("; preload");
    }
    return Optional.of(value.toString());
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
