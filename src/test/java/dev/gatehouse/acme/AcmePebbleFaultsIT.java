package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.TestDirs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AcmeIssuer against Pebble's fault switches and outages: each test runs its own Pebble. */
@SuppressWarnings("try") // responders are held open, not used, while issuing
class AcmePebbleFaultsIT {

  private final int httpPort = FreePorts.next();
  private final int tlsPort = FreePorts.next();
  private final ChallengeResponses responses = new ChallengeResponses();
  private Path dir;

  @BeforeEach
  void makeDir() {
    dir = TestDirs.newInstanceDir("acme-faults-it");
  }

  @AfterEach
  void removeDir() {
    TestDirs.deleteUnlessKept(dir);
  }

  private AcmeIssuer.Builder issuer(Pebble pebble, Optional<String> kid, Optional<String> hmac) throws Exception {
    AcmeSettings settings = new AcmeSettings(URI.create(pebble.directoryUrl()), List.of(pebble.trustPem()),
        Optional.empty(), kid, hmac, Optional.empty(), KeyType.ECDSA_P256, Optional.empty());
    return AcmeIssuer.builder(settings, new FileStorage(dir.resolve("state")))
        .solver(new Http01Solver(Http01Responder.inProcess(responses, "port " + httpPort)));
  }

  private static IssueRequest request(String name) {
    return new IssueRequest(List.of(name), KeyType.ECDSA_P256, Optional.empty());
  }

  @Test
  void issuesWhenTheCaRejectsHalfOfAllNonces() throws Exception {
    try (Pebble pebble = Pebble.builder().httpPort(httpPort).tlsPort(tlsPort)
            .env("PEBBLE_WFE_NONCEREJECT", "50").start();
        var server = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      AcmeIssuer issuer = issuer(pebble, Optional.empty(), Optional.empty()).build();
      for (String name : List.of("nonce1.example.test", "nonce2.example.test", "nonce3.example.test")) {
        assertThat(issuer.issue(request(name)).names()).containsExactly(name);
      }
      assertThat(pebble.log()).contains("Configured to reject 50% of good nonces");
    }
  }

  @Test
  void aCaThatIsDownAtFirstIssuesOnceItIsUpWithoutANewIssuer() throws Exception {
    try (Pebble pebble = Pebble.start(httpPort, tlsPort);
        var server = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      AcmeIssuer issuer = issuer(pebble, Optional.empty(), Optional.empty()).build();
      pebble.stop();
      assertThatThrownBy(() -> issuer.issue(request("late.example.test")))
          .isInstanceOf(IssuanceException.class)
          .hasMessageStartingWith("late.example.test: cannot reach the ACME CA at " + pebble.directoryUrl())
          .hasMessageContaining("Gatehouse retries by itself");
      pebble.start();
      CertifiedKey issued = issuer.issue(request("late.example.test"));
      assertThat(issued.names()).containsExactly("late.example.test");
    }
  }

  @Test
  void aCaThatForgotTheStoredAccountGetsItRegisteredAgain() throws Exception {
    try (Pebble pebble = Pebble.start(httpPort, tlsPort);
        var server = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      List<String> progress = new ArrayList<>();
      AcmeIssuer issuer = issuer(pebble, Optional.empty(), Optional.empty()).progress(progress::add).build();
      issuer.issue(request("before.example.test"));
      pebble.stop();
      pebble.start();
      assertThat(issuer.issue(request("after.example.test")).names()).containsExactly("after.example.test");
      assertThat(progress).contains("the CA no longer knows the stored account; registering it again");
    }
  }

  @Test
  void registersWithExternalAccountBindingAndSaysWhatIsMissingWithout() throws Exception {
    String kid = "kid-gatehouse";
    String hmac = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'g');
    try (Pebble pebble = Pebble.builder().httpPort(httpPort).tlsPort(tlsPort)
            .externalAccountBinding(kid, hmac).start();
        var server = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      assertThatThrownBy(() -> issuer(pebble, Optional.empty(), Optional.empty()).build()
              .issue(request("noeab.example.test")))
          .isInstanceOf(IssuanceException.class)
          .hasMessageStartingWith("noeab.example.test: externalAccountRequired: ")
          .hasMessageEndingWith("likely fix: this CA needs external account binding: pass --eab-kid and"
              + " --eab-hmac from its dashboard");
      dir = TestDirs.newInstanceDir("acme-faults-it");
      CertifiedKey issued = issuer(pebble, Optional.of(kid), Optional.of(hmac)).build().issue(request("eab.example.test"));
      assertThat(issued.names()).containsExactly("eab.example.test");
    }
  }
}
