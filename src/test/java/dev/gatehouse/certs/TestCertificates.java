package dev.gatehouse.certs;

import dev.gatehouse.config.KeyType;
import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates with any validity period, for lifetimes the local CA does not issue. */
public final class TestCertificates {
  private TestCertificates() {}

  public static CertifiedKey valid(Instant notBefore, Instant notAfter, String... names) throws Exception {
    KeyPair keys = KeyPairs.generate(KeyType.ECDSA_P256);
    X500Name subject = new X500Name("CN=" + (names.length > 0 ? names[0] : "test"));
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject, BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), subject,
            keys.getPublic());
    if (names.length > 0) {
      GeneralName[] sans = new GeneralName[names.length];
      for (int i = 0; i < names.length; i++) {
        sans[i] = new GeneralName(GeneralName.dNSName, names[i]);
      }
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    }
    var certificate =
        new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    return new CertifiedKey(List.of(certificate), keys.getPrivate());
  }
}
