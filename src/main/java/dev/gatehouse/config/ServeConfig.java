package dev.gatehouse.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code gatehouse serve} needs, from flags or {@code gatehouse.toml}. Immutable: a reload
 * builds a new one and swaps it in whole.
 *
 * @param bind the address both listeners bind to ({@code --bind}); default all addresses
 * @param httpPort {@code --http-port}; 0 disables the plain-HTTP listener
 * @param redirectStatus {@code --redirect-status}: 301 or 308, or 0 for 301 on GET/HEAD and 308 otherwise
 * @param trustedProxies peers whose X-Forwarded-* and Forwarded headers are passed on
 * @param accessLogFormat how each access log line is written ({@code --access-log-format})
 * @param store a database shared with other servers of the site, or the state dir alone
 * @param admin the admin listener ({@code --admin}); empty, the default, for none
 */
public record ServeConfig(
    List<SiteConfig> sites,
    String bind,
    int httpPort,
    int httpsPort,
    Path stateDir,
    HstsPolicy hsts,
    int redirectStatus,
    Limits limits,
    List<Cidr> trustedProxies,
    AccessLog accessLog,
    AccessLogFormat accessLogFormat,
    AcmeSettings acme,
    StoreSettings store,
    Optional<AdminListener> admin) {

  public static final String DEFAULT_BIND = "0.0.0.0";
  public static final int DEFAULT_HTTP_PORT = 80;
  public static final int DEFAULT_HTTPS_PORT = 443;

  public ServeConfig {
    sites = List.copyOf(sites);
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** A single server (everything in the state dir) with the default access log format and no admin listener. */
  public ServeConfig(List<SiteConfig> sites, String bind, int httpPort, int httpsPort, Path stateDir,
      HstsPolicy hsts, int redirectStatus, Limits limits, List<Cidr> trustedProxies, AccessLog accessLog,
      AcmeSettings acme) {
    this(sites, bind, httpPort, httpsPort, stateDir, hsts, redirectStatus, limits, trustedProxies, accessLog,
        AccessLogFormat.COMMON, acme, StoreSettings.STATE_DIR, Optional.empty());
  }

  /** The site that answers {@code host} (lower-case, without port), if any. */
  public Optional<SiteConfig> siteFor(String host) {
    for (SiteConfig site : sites) {
      if (site.names().contains(host)) {
        return Optional.of(site);
      }
    }
    return sites.stream().filter(s -> s.answers(host)).findFirst();
  }

  /** RFC 9110 §15.4: 301 may turn a POST into a GET, 308 never changes the method. */
  public int redirectStatusFor(String method) {
    if (redirectStatus != 0) {
      return redirectStatus;
    }
    return method.equals("GET") || method.equals("HEAD") ? 301 : 308;
  }

  /** {@code /var/lib/gatehouse} as root, else {@code ~/.local/share/gatehouse}. */
  public static Path defaultStateDir() {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/gatehouse");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "gatehouse");
  }
}
