package dev.gatehouse.generate;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One Django site behind a front proxy, as the generators see it: the names it answers to, the app server
 * it forwards to, the directories served directly, and where its certificate and ACME challenge files live.
 *
 * @param names the site's names; the first names the certificate ({@code CERT_DIR/FIRST/fullchain.pem})
 * @param webroot where ACME http-01 token files are written, under {@code .well-known/acme-challenge/}
 * @param certDir the certbot {@code live/} directory holding one {@code NAME/} directory per certificate
 * @param bind the one address to listen on; empty: every IPv4 and IPv6 address
 */
public record Site(
    List<String> names,
    Upstream upstream,
    List<StaticMount> statics,
    Path webroot,
    Path certDir,
    long maxBodyBytes,
    HstsPolicy hsts,
    Optional<String> bind,
    int httpPort,
    int httpsPort) {

  /** A common webroot for ACME challenge files in certbot guides, outside any app's document root. */
  public static final Path DEFAULT_WEBROOT = Path.of("/var/www/letsencrypt");

  /** Where certbot keeps the current certificates. */
  public static final Path DEFAULT_CERT_DIR = Path.of("/etc/letsencrypt/live");

  public static final int DEFAULT_HTTP_PORT = 80;
  public static final int DEFAULT_HTTPS_PORT = 443;

  public Site {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a site needs at least one name");
    }
    names = List.copyOf(names);
    statics = List.copyOf(statics);
  }

  /** A site with the defaults of every optional flag. */
  public static Site of(List<String> names, Upstream upstream) {
    return new Site(
        names,
        upstream,
        List.of(),
        DEFAULT_WEBROOT,
        DEFAULT_CERT_DIR,
        Limits.DEFAULT_MAX_BODY_BYTES,
        HstsPolicy.DEFAULT,
        Optional.empty(),
        DEFAULT_HTTP_PORT,
        DEFAULT_HTTPS_PORT);
  }

  /**
   * Checks every path that goes into a generated file. Paths are written unquoted into nginx, Caddy and
   * systemd syntax, so characters that each of them would read as syntax are refused rather than escaped
   * three different ways.
   */
  public Site validated() throws ConfigException {
    SafePaths.check("--webroot", webroot);
    SafePaths.check("--cert-dir", certDir);
    for (StaticMount mount : statics) {
      SafePaths.check("--static", mount.directory());
      SafePaths.checkText("--static", mount.prefix());
      if (mount.prefix().equals("/")) {
        throw ConfigException.invalid(
            "--static", mount.prefix() + "=" + mount.directory(), "a prefix below /, e.g. /static/ (/ is the app)");
      }
    }
    if (upstream instanceof Upstream.UnixSocket socket) {
      SafePaths.check("--upstream", socket.socket());
    }
    if (httpPort == httpsPort) {
      throw new ConfigException(
          "--http-port and --https-port: both are " + httpPort + " (expected: two different ports)");
    }
    return this;
  }

  /** The certbot lineage name: the first name, without the {@code *.} of a wildcard. */
  public String certificateName() {
    String first = names.get(0);
    return first.startsWith("*.") ? first.substring(2) : first;
  }

  public Path fullchain() {
    return certDir.resolve(certificateName()).resolve("fullchain.pem");
  }

  public Path privkey() {
    return certDir.resolve(certificateName()).resolve("privkey.pem");
  }

  /** {@code ""} for 443, else {@code ":PORT"}: what follows the host in an https URL of this site. */
  public String httpsPortSuffix() {
    return httpsPort == DEFAULT_HTTPS_PORT ? "" : ":" + httpsPort;
  }

  /** The https origins (RFC 6454) browsers send in {@code Origin} for this site. */
  public List<String> httpsOrigins() {
    return names.stream().map(n -> "https://" + n + httpsPortSuffix()).toList();
  }
}
