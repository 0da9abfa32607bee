package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.tls.ChainVerifier;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The chain the server sends must lead to a trusted root ({@code --ca-file} or the JDK's). The classic failure:
 * nginx pointed at {@code cert.pem} instead of {@code fullchain.pem}, so browsers without the intermediate
 * cached fail. Validity dates are judged by {@link CertificateExpiryCheck}: an expired leaf is verified as of a
 * moment it was valid, so that one problem gives one finding.
 */
public final class CertificateChainCheck implements AuditCheck {
  @Override
  public String id() {
    return "certificate-chain";
  }

  @Override
  public String description() {
    return "the certificate chain leads to a trusted root";
  }

  @Override
  public CheckResult run(AuditContext context) {
    List<X509Certificate> chain = context.tlsSession().chain();
    X509Certificate leaf = chain.get(0);
    Instant at = context.now();
    if (at.isAfter(leaf.getNotAfter().toInstant())) {
      at = leaf.getNotAfter().toInstant().minusSeconds(1);
    } else if (at.isBefore(leaf.getNotBefore().toInstant())) {
      at = leaf.getNotBefore().toInstant().plusSeconds(1);
    }
    Optional<String> problem = new ChainVerifier(context.options().trust()).problem(chain, at);
    String sent = chain.size() + " certificate(s) sent: " + String.join(" ← ",
        chain.stream().map(c -> c.getSubjectX500Principal().getName()).toList());
    if (problem.isPresent()) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, context.options().url(),
          "The certificate chain does not verify: " + problem.get() + ".", sent,
          "nginx: ssl_certificate must name the full chain (certbot: /etc/letsencrypt/live/HOST/fullchain.pem, "
              + "not cert.pem). Caddy and gatehouse serve send the chain their CA issued. A private or staging CA: "
              + "audit with --ca-file ROOT.pem.")));
    }
    return CheckResult.of(this, List.of(finding(Severity.OK, context.options().url(),
        "The certificate chain verifies against " + context.options().trust().source() + ".", sent, "")));
  }
}
