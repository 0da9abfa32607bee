package dev.gatehouse.audit;

import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.TestCert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A server certificate with a 1024-bit RSA key signed by a test CA: what CA/Browser Forum rules forbid and the
 * harness's {@code TestCerts} (P-256, RSA-2048) cannot make. nginx on OpenSSL 3 loads it only with
 * {@code @SECLEVEL=0}.
 */
final class WeakKeyCertificate {
  static final int WEAK_RSA_BITS = 1024;

  private WeakKeyCertificate() {}

  /** Writes {@code weak.pem} and {@code weak.key} (mode 0600) into {@code dir}. */
  static TestCert.PemFiles write(TestCert ca, String host, Path dir) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(WEAK_RSA_BITS);
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
          BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(60))), new X500Name("CN=" + host), keys.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keyPair().getPrivate())));
      Path chain = dir.resolve("weak.pem");
      Path key = dir.resolve("weak.key");
      Files.writeString(chain, Pems.toPem(certificate), StandardCharsets.US_ASCII);
      Files.deleteIfExists(key);
      Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(key, Pems.toPem(keys.getPrivate()), StandardCharsets.US_ASCII);
      return new TestCert.PemFiles(chain, key);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a weak-key certificate", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
