package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.certs.CertifiedKey;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.Test;

/** RFC 8737 §3: what a validation server checks in the challenge certificate. */
class TlsAlpn01CertificateTest {

  private static byte[] digest(String keyAuthorization) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void carriesTheNameAsOnlySanAndTheDigestInACriticalAcmeIdentifierExtension() throws Exception {
    byte[] digest = digest("token.thumbprint");
    CertifiedKey challenge = TlsAlpn01Certificate.create("www.example.com", digest);

    var cert = challenge.leaf();
    assertThat(challenge.names()).containsExactly("www.example.com");
    assertThat(cert.getCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.1.31");
    byte[] extension = ASN1OctetString.getInstance(cert.getExtensionValue("1.3.6.1.5.5.7.1.31")).getOctets();
    assertThat(ASN1OctetString.getInstance(extension).getOctets()).isEqualTo(digest);
    cert.verify(cert.getPublicKey());
    assertThat(challenge.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void anIpAddressIsAnIpSan() throws Exception {
    CertifiedKey challenge = TlsAlpn01Certificate.create("192.0.2.7", digest("t.k"));
    assertThat(challenge.leaf().getSubjectAlternativeNames())
        .singleElement().isEqualTo(java.util.List.of(7, "192.0.2.7"));
  }

  @Test
  void refusesADigestThatIsNotSha256() {
    assertThatThrownBy(() -> TlsAlpn01Certificate.create("example.com", new byte[20]))
        .hasMessage("acmeValidation: 20 bytes (expected: 32)");
  }
}
