package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.ProbeTokens;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.RedirectChain;
import java.net.URI;
import java.util.List;

/**
 * Certificate renewal by HTTP-01 (RFC 8555 §8.3) needs {@code http://HOST/.well-known/acme-challenge/TOKEN} on
 * port 80 to reach a server that answers. For an unknown token a 404 is right, and so is a redirect to HTTPS
 * that ends in a 404 (Let's Encrypt follows redirects); a refused connection, a timeout, a redirect loop or a
 * 5xx make renewal fail.
 */
public final class AcmeChallengeCheck implements AuditCheck {
  /** RFC 8555 §8.3: the well-known path of HTTP-01 challenge responses. */
  public static final String CHALLENGE_PATH = "/.well-known/acme-challenge/";

  private static final String FIX = "Port 80 must reach the server that answers challenges. nginx + certbot: "
      + "in the listen 80 server, location /.well-known/acme-challenge/ { root /var/www/certbot; } before "
      + "return 301; (certbot --nginx adds it). gatehouse serve and Caddy answer challenges on port 80 "
      + "themselves. Without port 80, renew with tls-alpn-01 or dns-01.";

  @Override
  public String id() {
    return "acme-http01";
  }

  @Override
  public String description() {
    return "http://HOST" + CHALLENGE_PATH + "… reaches a server that answers (renewal readiness)";
  }

  @Override
  public CheckResult run(AuditContext context) {
    URI probe = context.httpUri(CHALLENGE_PATH + "gatehouse-audit-" + ProbeTokens.hex(16));
    RedirectChain chain = context.client().follow(ProbeRequest.get(probe));
    String observed = chain.describe();
    if (chain.ending() == RedirectChain.Ending.FAILED) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, probe,
          "An ACME HTTP-01 validation request gets no answer: renewal by HTTP-01 will fail.", observed, FIX)));
    }
    if (chain.ending() != RedirectChain.Ending.ARRIVED) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, probe,
          "An ACME HTTP-01 validation request ends in a redirect loop: renewal by HTTP-01 will fail.",
          observed, FIX)));
    }
    ProbeResponse last = chain.last().orElseThrow();
    if (last.status() >= 500) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, probe,
          "An ACME HTTP-01 validation request gets " + last.status() + ": renewal by HTTP-01 will fail.",
          observed, FIX)));
    }
    return CheckResult.of(this, List.of(finding(Severity.OK, probe,
        "The ACME challenge path answers (" + last.status() + " for an unknown token), so HTTP-01 renewal can "
            + "reach the server.", observed, "")));
  }
}
