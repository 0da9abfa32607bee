package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.AccessLog;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.CertificateSource;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.proxy.GatehouseServer;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's testssl.sh against the HTTPS listener: protocols, cipher order, server defaults, forward secrecy
 * and the known vulnerabilities (about 40 s). No HIGH or CRITICAL finding but the documented waivers.
 */
class TestsslIT {

  /** The testssl binary of Debian's {@code testssl.sh} package. */
  static final Path TESTSSL = Path.of("/usr/bin/testssl");

  /**
   * Findings that are HIGH or CRITICAL by design here, each with its reason (README "TLS": the same list).
   *
   * <ul>
   *   <li>{@code cipher_order}: Mozilla intermediate leaves the order to the client (all suites are AEAD with
   *       forward secrecy); testssl 3.0 rates "no server order" HIGH.
   *   <li>{@code cert_chain_of_trust}: the test CA is in no trust store testssl knows.
   *   <li>{@code cert_revocation}: the test CA (like the local CA, and Let's Encrypt since 2025) publishes no
   *       OCSP or CRL URL.
   * </ul>
   */
  static final Set<String> WAIVED = Set.of("cipher_order", "cert_chain_of_trust", "cert_revocation");

  @Test
  void testsslFindsNothingHighOrCriticalBeyondTheWaivers(@TempDir Path dir) throws Exception {
    TestCert ca = TestCerts.ca("Gatehouse testssl root");
    TestCert leaf = TestCerts.forNames("app.test").signedBy(ca).issue();
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test"), new CertifiedKey(leaf.chain(), leaf.keyPair().getPrivate()));
    SiteConfig site = new SiteConfig(List.of("app.test"), Optional.empty(), List.of(), new CertificateSource.LocalCa());
    ServeConfig config = new ServeConfig(List.of(site), "127.0.0.1", 0, 0, dir.resolve("state"), HstsPolicy.DEFAULT, 0,
        Limits.DEFAULTS, List.of(), new AccessLog.Off(), AcmeSettings.DEFAULT);
    Path json = dir.resolve("testssl.json");

    try (GatehouseServer server = GatehouseServer.start(config, certificates, new ChallengeResponses())) {
      ManagedProcess.Result run = ManagedProcess.run(
          List.of(TESTSSL.toString(), "--quiet", "--warnings", "batch", "--color", "0", "--ip", "127.0.0.1",
              "-p", "-P", "-S", "-f", "-U", "--jsonfile", json.toString(), "app.test:" + server.httpsPort()),
          Map.of(), dir, Duration.ofMinutes(3));
      assertThat(json).as("testssl output: " + run.output()).exists();
    }

    Map<String, JsonNode> findings = new HashMap<>();
    List<String> severe = new java.util.ArrayList<>();
    for (JsonNode f : new ObjectMapper().readTree(Files.readString(json))) {
      String id = f.get("id").asText();
      findings.put(id, f);
      String severity = f.get("severity").asText();
      if ((severity.equals("HIGH") || severity.equals("CRITICAL")) && !WAIVED.contains(id)) {
        severe.add(severity + " " + id + ": " + f.get("finding").asText());
      }
    }
    assertThat(severe).isEmpty();
    assertThat(findings.get("SSLv3").get("finding").asText()).isEqualTo("not offered");
    assertThat(findings.get("TLS1").get("finding").asText()).isEqualTo("not offered");
    assertThat(findings.get("TLS1_1").get("finding").asText()).isEqualTo("not offered");
    assertThat(findings.get("TLS1_2").get("finding").asText()).isEqualTo("offered");
    assertThat(findings.get("TLS1_3").get("finding").asText()).startsWith("offered");
    assertThat(findings.get("PFS_ECDHE_curves").get("finding").asText().split(" "))
        .containsExactlyInAnyOrder("X25519", "prime256v1", "secp384r1");
    assertThat(findings.get("cipher_order").get("finding").asText()).isEqualTo("NOT a cipher order configured");
    assertThat(findings.get("sessionresumption_ticket").get("finding").asText()).isEqualTo("supported");
  }
}
