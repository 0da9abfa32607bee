package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The leaf certificate must be valid now and not about to expire. ACME clients renew with a third of the
 * lifetime left (30 days of Let's Encrypt's 90), so under
 * {@value #WARNING_DAYS} days means renewal has failed for weeks; under {@value #ERROR_DAYS} it is urgent.
 */
public final class CertificateExpiryCheck implements AuditCheck {
  /** Fewer days than this left is a warning. */
  public static final int WARNING_DAYS = 14;
  /** Fewer days than this left is an error. */
  public static final int ERROR_DAYS = 7;

  private static final String RENEWAL_FIX = "Renewal is not working. certbot: run certbot renew --dry-run and "
      + "check systemctl list-timers certbot.timer; gatehouse serve renews by itself: check its log for ACME "
      + "errors; Caddy: check its log.";

  @Override
  public String id() {
    return "certificate-expiry";
  }

  @Override
  public String description() {
    return "the certificate is valid now and for at least " + WARNING_DAYS + " more days";
  }

  @Override
  public CheckResult run(AuditContext context) {
    X509Certificate leaf = context.tlsSession().leaf();
    Instant now = context.now();
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    String observed = "notBefore " + notBefore + ", notAfter " + notAfter;
    if (now.isBefore(notBefore)) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, context.options().url(),
          "The certificate is not valid yet (or this machine's clock is wrong).", observed,
          "Check the server's clock (timedatectl); reissue the certificate if its dates are wrong.")));
    }
    if (now.isAfter(notAfter)) {
      long daysAgo = Duration.between(notAfter, now).toDays();
      return CheckResult.of(this, List.of(finding(Severity.ERROR, context.options().url(),
          "The certificate expired " + (daysAgo == 0 ? "today" : daysAgo + " day(s) ago")
              + ": browsers refuse the connection.", observed, RENEWAL_FIX)));
    }
    long daysLeft = Duration.between(now, notAfter).toDays();
    if (daysLeft < ERROR_DAYS) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, context.options().url(),
          "The certificate expires in " + daysLeft + " day(s).", observed, RENEWAL_FIX)));
    }
    if (daysLeft < WARNING_DAYS) {
      return CheckResult.of(this, List.of(finding(Severity.WARNING, context.options().url(),
          "The certificate expires in " + daysLeft + " days; it should have been renewed already.", observed,
          RENEWAL_FIX)));
    }
    return CheckResult.of(this, List.of(finding(Severity.OK, context.options().url(),
        "The certificate is valid for " + daysLeft + " more days.", observed, "")));
  }
}
