package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.tls.CertificateNames;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The certificate served for the host (with SNI, RFC 6066 §3) must name it in subjectAltName (RFC 6125 §6.4;
 * the subject CN does not count). The usual cause when it does not: the server block for the name has no
 * {@code listen 443 ssl}, so another site's certificate answers.
 */
public final class CertificateNameCheck implements AuditCheck {
  @Override
  public String id() {
    return "certificate-name";
  }

  @Override
  public String description() {
    return "the certificate names the host";
  }

  @Override
  public CheckResult run(AuditContext context) {
    X509Certificate leaf = context.tlsSession().leaf();
    List<String> names = CertificateNames.of(leaf);
    String observed = "subjectAltName: " + (names.isEmpty() ? "(none)" : String.join(", ", names))
        + "; subject: " + leaf.getSubjectX500Principal().getName();
    if (CertificateNames.covers(leaf, context.host())) {
      return CheckResult.of(this, List.of(finding(Severity.OK, context.options().url(),
          "The certificate names " + context.host() + ".", observed, "")));
    }
    return CheckResult.of(this, List.of(finding(Severity.ERROR, context.options().url(),
        "The certificate does not name " + context.host() + ": browsers refuse the connection.", observed,
        "Get a certificate that lists " + context.host() + ": certbot --nginx -d " + context.host()
            + " (every name with its own -d), or gatehouse serve " + context.host() + " (each name as an "
            + "argument); Caddy: put " + context.host() + " in the site address. nginx: the server block with "
            + "server_name " + context.host() + " needs listen 443 ssl and its own ssl_certificate.")));
  }
}
