package dev.gatehouse.audit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import org.junit.jupiter.api.Test;

class CertificateNamesTest {
  @Test
  void wildcardCoversExactlyOneLeftMostLabel() {
    assertThat(CertificateNames.matches("*.example.test", "www.example.test")).isTrue();
    assertThat(CertificateNames.matches("*.example.test", "WWW.Example.Test.")).isTrue();
    assertThat(CertificateNames.matches("*.example.test", "example.test")).isFalse();
    assertThat(CertificateNames.matches("*.example.test", "a.b.example.test")).isFalse();
    assertThat(CertificateNames.matches("example.test", "www.example.test")).isFalse();
  }

  @Test
  void onlySubjectAltNamesCountNotTheCommonName() {
    TestCert cert = TestCerts.forNames("a.example.test", "127.0.0.1").commonName("b.example.test").issue();

    assertThat(CertificateNames.of(cert.certificate())).containsExactly("a.example.test", "127.0.0.1");
    assertThat(CertificateNames.covers(cert.certificate(), "a.example.test")).isTrue();
    assertThat(CertificateNames.covers(cert.certificate(), "b.example.test")).isFalse();
  }
}
