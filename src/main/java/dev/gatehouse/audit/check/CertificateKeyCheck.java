package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Locale;

/**
 * The key and signature must be strong enough for browsers and the CA/Browser Forum Baseline Requirements
 * §6.1.5 (RSA at least {@value #MIN_RSA_BITS} bits, ECDSA P-256 or larger) and §7.1.3.2 (no SHA-1 or MD5
 * signatures). The issuer is reported too.
 */
public final class CertificateKeyCheck implements AuditCheck {
  public static final int MIN_RSA_BITS = 2048;
  public static final int MIN_EC_BITS = 256;

  @Override
  public String id() {
    return "certificate-key";
  }

  @Override
  public String description() {
    return "the certificate's key and signature are strong; who issued it";
  }

  @Override
  public CheckResult run(AuditContext context) {
    X509Certificate leaf = context.tlsSession().leaf();
    PublicKey key = leaf.getPublicKey();
    String keyDescription;
    boolean weak;
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      keyDescription = "RSA " + bits + "-bit";
      weak = bits < MIN_RSA_BITS;
    } else if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      keyDescription = "ECDSA " + bits + "-bit";
      weak = bits < MIN_EC_BITS;
    } else {
      keyDescription = key.getAlgorithm();
      weak = false;
    }
    String signature = leaf.getSigAlgName();
    String upper = signature.toUpperCase(Locale.ROOT);
    boolean weakSignature = upper.contains("MD5") || upper.startsWith("SHA1") || upper.contains("SHA1WITH");
    String observed = keyDescription + " key, signature " + signature + ", issuer "
        + leaf.getIssuerX500Principal().getName();
    if (weak || weakSignature) {
      return CheckResult.of(this, List.of(finding(Severity.ERROR, context.options().url(),
          (weak ? "The certificate's key is too small (" + keyDescription + ")."
              : "The certificate is signed with " + signature + ", which browsers reject.")
              + " Issue a new certificate.", observed,
          "certbot: certbot certonly --key-type ecdsa (or --rsa-key-size 2048 at least); Caddy generates "
              + "ECDSA P-256 keys by default.")));
    }
    return CheckResult.of(this, List.of(finding(Severity.OK, context.options().url(),
        "The certificate has a " + keyDescription + " key, signed with " + signature + " by "
            + leaf.getIssuerX500Principal().getName() + ".", observed, "")));
  }
}
