package dev.gatehouse.config;

/**
 * How Strict-Transport-Security is sent. {@code ramp} (the default) starts small and rises as HTTPS keeps
 * working, so a broken certificate on day one does not lock browsers out for a year (the staged rollout
 * of https://hstspreload.org/#deployment-recommendations).
 *
 * @param fixedSeconds the max-age for {@link Mode#FIXED}; ignored otherwise
 */
public record HstsPolicy(Mode mode, long fixedSeconds, boolean includeSubdomains, boolean preload) {

  public enum Mode {
    OFF,
    RAMP,
    FIXED
  }

  /** One year: the minimum the preload list accepts. */
  public static final long PRELOAD_MIN_SECONDS = 31_536_000L;

  public static final HstsPolicy DEFAULT = new HstsPolicy(Mode.RAMP, 0, false, false);

  public static HstsPolicy parse(String where, String value, boolean includeSubdomains, boolean preload)
      throws ConfigException {
    String v = value.trim();
    HstsPolicy policy;
    if (v.equalsIgnoreCase("off")) {
      policy = new HstsPolicy(Mode.OFF, 0, includeSubdomains, preload);
    } else if (v.equalsIgnoreCase("ramp")) {
      policy = new HstsPolicy(Mode.RAMP, 0, includeSubdomains, preload);
    } else {
      long seconds;
      try {
        seconds = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw ConfigException.invalid(where, value, "off, ramp or a number of seconds");
      }
      if (seconds < 0) {
        throw ConfigException.invalid(where, value, "off, ramp or a number of seconds >= 0");
      }
      policy = new HstsPolicy(Mode.FIXED, seconds, includeSubdomains, preload);
    }
    if (preload && policy.mode == Mode.OFF) {
      throw new ConfigException("--hsts-preload needs HSTS: use --hsts ramp or --hsts " + PRELOAD_MIN_SECONDS);
    }
    if (preload && !includeSubdomains) {
      throw new ConfigException(
          "--hsts-preload needs --hsts-include-subdomains (the preload list requires includeSubDomains)");
    }
    if (preload && policy.mode == Mode.FIXED && policy.fixedSeconds < PRELOAD_MIN_SECONDS) {
      throw new ConfigException(
          "--hsts-preload needs --hsts of at least " + PRELOAD_MIN_SECONDS + " (got " + v + ")");
    }
    return policy;
  }
}
