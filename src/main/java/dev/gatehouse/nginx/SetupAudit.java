package dev.gatehouse.nginx;

import dev.gatehouse.audit.AuditOptions;
import dev.gatehouse.audit.AuditReport;
import dev.gatehouse.audit.AuditRunner;
import dev.gatehouse.audit.AuditUnavailableException;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.check.StandardChecks;
import dev.gatehouse.audit.http.ProbeLimits;
import dev.gatehouse.audit.tls.TrustStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.generate.Site;
import java.net.InetAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last verification of {@code nginx setup}: {@code gatehouse audit} against the live site. An error in
 * what the new nginx configuration decides (redirects, certificate, TLS, HSTS, ACME path, forwarded
 * headers) fails the setup, which then rolls back; anything else (Django's settings, which setup only prints
 * at its end) is a warning.
 */
final class SetupAudit {

  /** Checks whose outcome the generated nginx configuration and certificate decide. */
  static final Set<String> NGINX_CHECKS =
      Set.of(
          "http-redirect", "certificate-chain", "certificate-name", "certificate-expiry", "certificate-key",
          "tls-versions", "tls-ciphers", "http2", "hsts", "hsts-plain-http", "forwarded-headers", "acme-http01");

  /** Pages to crawl for mixed content: enough to warn, few enough to keep setup quick. */
  static final int CRAWL_PAGES = 5;

  private final Site site;
  private final String address;

  SetupAudit(Site site, String address) {
    this.site = site;
    this.address = address;
  }

  /**
   * Audits the first name; returns one warning line per finding that does not fail the setup.
   *
   * @throws SetupException naming the first nginx-side error and its fix
   */
  List<String> run(CertifiedKey served) throws Exception {
    String name = site.names().get(0);
    List<X509Certificate> issuers = served.chain().subList(1, served.chain().size());
    TrustStore trust = TrustStore.jdkDefault().with(issuers, "the CA that issued the new certificate");
    AuditOptions options =
        new AuditOptions(
            URI.create("https://" + name + site.httpsPortSuffix() + "/"), site.httpPort(),
            Map.of(name, InetAddress.getByName(address)), trust, AuditOptions.DEFAULT_LOGIN_PATH, Optional.empty(),
            CRAWL_PAGES, List.of(), ProbeLimits.defaults());
    AuditReport report;
    try {
      report = new AuditRunner(StandardChecks.all(), Clock.systemUTC()).run(options);
    } catch (AuditUnavailableException e) {
      throw new SetupException("audit the live site", e.getMessage());
    }
    // A CA that sends no intermediate (a private root signing leaves directly) leaves nothing to anchor the
    // chain to but the public roots: then the chain check can only warn. The served certificate itself was
    // already pinned by SiteVerifier.
    boolean chainCheckable = !issuers.isEmpty();
    List<String> warnings = new ArrayList<>();
    for (Finding f : report.findings()) {
      boolean decisive = NGINX_CHECKS.contains(f.checkId())
          && (chainCheckable || !f.checkId().equals("certificate-chain"));
      if (f.severity() == Severity.ERROR && decisive) {
        throw new SetupException("audit the live site", f.checkId() + ": " + f.message() + " Fix: " + f.fix());
      }
      if (f.severity() == Severity.ERROR || f.severity() == Severity.WARNING) {
        warnings.add(f.checkId() + ": " + f.message() + (f.fix().isEmpty() ? "" : " Fix: " + f.fix()));
      }
    }
    return warnings;
  }
}
