package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session tickets across key rotations, seen by {@code openssl s_client}: a ticket resumes after one rotation
 * (the previous key still decrypts) and not after two.
 */
class SessionTicketRotationIT {

  @TempDir Path dir;

  @Test
  void aTicketSurvivesOneRotationButNotTwo() throws Exception {
    TestCert ca = TestCerts.ca("Gatehouse ticket root");
    Path caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test"), TestConfigs.key(TestCerts.forNames("app.test").signedBy(ca).issue()));
    var site = TestConfigs.site(List.of("app.test"), Optional.empty(), List.of());
    try (GatehouseServer server =
        GatehouseServer.start(TestConfigs.serve(List.of(site), 0, 0, dir.resolve("state")), certificates, new ChallengeResponses())) {
      Path session = dir.resolve("session.pem");
      assertThat(handshake(server, caPem, "-sess_out", session)).contains("New, ");

      server.rotateSessionTicketKeys();
      assertThat(handshake(server, caPem, "-sess_in", session)).as("resumed after one rotation").contains("Reused, ");

      server.rotateSessionTicketKeys();
      assertThat(handshake(server, caPem, "-sess_in", session)).as("refused after two rotations").contains("New, ");
    }
  }

  /** One TLS 1.2 handshake (its session file carries the ticket); returns s_client's report. */
  private String handshake(GatehouseServer server, Path caPem, String sessionFlag, Path session) {
    // stdin from /dev/null: s_client ends after the handshake instead of waiting for input.
    String command = "openssl s_client -connect 127.0.0.1:" + server.httpsPort() + " -servername app.test -CAfile "
        + caPem + " -tls1_2 " + sessionFlag + " " + session + " < /dev/null";
    return ManagedProcess.run(List.of("sh", "-c", command), Map.of(), dir, Duration.ofSeconds(20)).output();
  }
}
