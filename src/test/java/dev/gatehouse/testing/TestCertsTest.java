package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertsTest {

  @Test
  void leafUnderIntermediateValidatesToTheRootAndWritesPkcs8Key(@TempDir Path dir) throws Exception {
    TestCert root = TestCerts.ca("Root");
    TestCert intermediate = TestCerts.forNames("Intermediate").asCa().signedBy(root).issue();
    TestCert leaf = TestCerts.forNames("app.test", "127.0.0.1").signedBy(intermediate).issue();

    TestCert.PemFiles files = leaf.writeTo(dir, "app");

    List<X509Certificate> chain = Pems.readCertificates(files.cert());
    assertThat(chain).containsExactly(leaf.certificate(), intermediate.certificate());
    validate(chain, root.certificate());
    assertThat(Files.readString(files.key())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pems.readPrivateKey(files.key())).isEqualTo(leaf.keyPair().getPrivate());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");
    assertThat(leaf.certificate().getSubjectAlternativeNames().stream().map(n -> n.get(0) + "=" + n.get(1)))
        .containsExactly("2=app.test", "7=127.0.0.1");
  }

  @Test
  void expiredCertificateFailsValidation() throws Exception {
    TestCert root = TestCerts.ca("Root");
    TestCert expired = TestCerts.forNames("old.test").signedBy(root).keyType(TestCerts.KeyType.RSA_2048)
        .expired().issue();

    assertThatThrownBy(expired.certificate()::checkValidity).isInstanceOf(CertificateExpiredException.class);
    assertThatThrownBy(() -> validate(List.of(expired.certificate()), root.certificate()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  private static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }
}
