package dev.gatehouse.audit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainVerifierTest {
  private static final TestCert ROOT = TestCerts.ca("Verifier Root");
  private static final TestCert INTERMEDIATE = TestCerts.forNames("intermediate.example.test")
      .commonName("Verifier Intermediate").asCa().signedBy(ROOT).issue();
  private static final TestCert LEAF = TestCerts.forNames("shop.example.test").signedBy(INTERMEDIATE).issue();

  private static ChainVerifier trusting(TestCert root, Path dir) throws IOException {
    return new ChainVerifier(TrustStore.fromPem(root.writeCertificate(dir.resolve("root.pem"))));
  }

  @Test
  void fullChainVerifies(@TempDir Path dir) throws IOException {
    assertThat(trusting(ROOT, dir).problem(LEAF.chain(), Instant.now())).isEmpty();
  }

  @Test
  void missingIntermediateNamesItsIssuer(@TempDir Path dir) throws IOException {
    assertThat(trusting(ROOT, dir).problem(List.of(LEAF.certificate()), Instant.now()))
        .hasValueSatisfying(problem -> assertThat(problem)
            .contains("issued by CN=Verifier Intermediate, which is neither sent nor trusted"));
  }

  @Test
  void selfSignedCertificateIsNamed(@TempDir Path dir) throws IOException {
    TestCert selfSigned = TestCerts.forNames("shop.example.test").issue();

    assertThat(trusting(ROOT, dir).problem(selfSigned.chain(), Instant.now()))
        .hasValueSatisfying(problem -> assertThat(problem).startsWith("the chain ends in the self-signed "
            + "CN=shop.example.test"));
  }

  @Test
  void anExpiredLeafFailsNowButNotWithinItsValidity(@TempDir Path dir) throws IOException {
    TestCert expired = TestCerts.forNames("shop.example.test").signedBy(ROOT).expired().issue();
    ChainVerifier verifier = trusting(ROOT, dir);

    assertThat(verifier.problem(expired.chain(), Instant.now())).isPresent();
    assertThat(verifier.problem(expired.chain(), expired.certificate().getNotAfter().toInstant().minusSeconds(60)))
        .isEmpty();
  }

  @Test
  void aPemFileWithoutCertificatesIsRejectedNamingTheFile(@TempDir Path dir) throws IOException {
    Path empty = java.nio.file.Files.writeString(dir.resolve("empty.pem"), "no pem here\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustStore.fromPem(empty))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(empty.toString());
  }
}
