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
import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.TestDirs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** AcmeIssuer against a real Pebble, answering challenges with in-test responders on 127.0.0.1. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("try") // responders are held open, not used, while issuing
class AcmeIssuerIT {

  private final int httpPort = FreePorts.next();
  private final int tlsPort = FreePorts.next();
  private Pebble pebble;
  private Path dir;

  @BeforeAll
  void startPebble() {
    pebble = Pebble.start(httpPort, tlsPort);
    dir = TestDirs.newInstanceDir("acme-issuer-it");
  }

  @AfterAll
  void stopPebble() {
    if (pebble != null) {
      pebble.close();
    }
    TestDirs.deleteUnlessKept(dir);
  }

  private AcmeSettings settings(KeyType keyType, Optional<String> dnsHook) {
    return new AcmeSettings(URI.create(pebble.directoryUrl()), List.of(pebble.trustPem()),
        Optional.of("ops@example.org"), Optional.empty(), Optional.empty(), Optional.empty(), keyType, dnsHook);
  }

  private FileStorage storage(String name) throws Exception {
    return new FileStorage(dir.resolve(name));
  }

  @Test
  void issuesOneCertificateForEveryNameViaHttp01() throws Exception {
    ChallengeResponses responses = new ChallengeResponses();
    List<String> progress = new ArrayList<>();
    AcmeIssuer issuer = AcmeIssuer.builder(settings(KeyType.ECDSA_P256, Optional.empty()), storage("http01"))
        .solver(new Http01Solver(Http01Responder.inProcess(responses, "port " + httpPort)))
        .progress(progress::add)
        .build();
    CertifiedKey issued;
    try (var server = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      issued = issuer.issue(new IssueRequest(List.of("http.example.test", "www.http.example.test"),
          KeyType.ECDSA_P256, Optional.empty()));
    }
    assertThat(issued.names()).containsExactlyInAnyOrder("http.example.test", "www.http.example.test");
    assertThat(issued.privateKey()).isInstanceOf(ECPrivateKey.class);
    assertChainsToPebbleRoot(issued);
    assertThat(progress).anyMatch(l -> l.contains("http.example.test: answering http-01"));
    assertThat(responses.http01("anything")).isEmpty();
  }

  @Test
  void issuesViaTlsAlpn01WhenOnlyTheHttpsPortAnswers() throws Exception {
    ChallengeResponses responses = new ChallengeResponses();
    AcmeIssuer issuer = AcmeIssuer.builder(settings(KeyType.RSA2048, Optional.empty()), storage("tlsalpn"))
        .solver(new TlsAlpn01Solver(responses))
        .build();
    CertifiedKey issued;
    try (var responder = new TlsAlpn01TestResponder(tlsPort, responses)) {
      issued = issuer.issue(new IssueRequest(List.of("alpn.example.test"), KeyType.RSA2048, Optional.empty()));
    }
    assertThat(issued.names()).containsExactly("alpn.example.test");
    assertThat(issued.privateKey()).isInstanceOf(RSAPrivateKey.class);
    assertChainsToPebbleRoot(issued);
    assertThat(responses.tlsAlpn01("alpn.example.test")).isEmpty();
  }

  @Test
  void fallsBackToTlsAlpn01WhenNothingAnswersOnTheHttpPort() throws Exception {
    ChallengeResponses responses = new ChallengeResponses();
    FileStorage storage = storage("fallback");
    List<String> progress = new ArrayList<>();
    AcmeIssuer issuer = AcmeIssuer.builder(settings(KeyType.ECDSA_P256, Optional.empty()), storage)
        .solver(new Http01Solver(Http01Responder.inProcess(responses, "port " + httpPort)))
        .solver(new TlsAlpn01Solver(responses))
        .progress(progress::add)
        .build();
    CertifiedKey issued;
    try (var responder = new TlsAlpn01TestResponder(tlsPort, responses)) {
      issued = issuer.issue(new IssueRequest(List.of("fallback.example.test"), KeyType.ECDSA_P256, Optional.empty()));
    }
    assertThat(issued.names()).containsExactly("fallback.example.test");
    assertThat(progress).anyMatch(l -> l.startsWith("fallback.example.test: http-01 validation failed: connection:"))
        .anyMatch(l -> l.equals("fallback.example.test: validated by tls-alpn-01"));
    assertThat(new String(storage.load(IssuanceBudget.key(settings(KeyType.ECDSA_P256, Optional.empty()))).orElseThrow()))
        .contains("fallback.example.test");
  }

  @Test
  void issuesAWildcardAndItsBaseNameViaTheDnsHook() throws Exception {
    // Both names need a TXT record at _acme-challenge.wild.example.test: the hook must add, not replace.
    Path hook = Path.of(getClass().getResource("/acme/challtestsrv-dns-hook.sh").toURI());
    String command = "sh " + hook + " " + pebble.challtestsrvUrl();
    List<String> progress = new ArrayList<>();
    AcmeIssuer issuer = AcmeIssuer.builder(settings(KeyType.ECDSA_P384, Optional.of(command)), storage("dns"))
        .progress(progress::add)
        .build();
    CertifiedKey issued = issuer.issue(new IssueRequest(List.of("*.wild.example.test", "wild.example.test"),
        KeyType.ECDSA_P384, Optional.empty()));
    assertThat(issued.names()).containsExactlyInAnyOrder("*.wild.example.test", "wild.example.test");
    assertChainsToPebbleRoot(issued);
    assertThat(progress).contains("*.wild.example.test: answering dns-01 via --dns-hook");
  }

  @Test
  void aWildcardWithoutDnsHookFailsBeforeOrderingWithTheFix() throws Exception {
    AcmeIssuer issuer = AcmeIssuer.builder(settings(KeyType.ECDSA_P256, Optional.empty()), storage("nodns"))
        .solver(new Http01Solver(Http01Responder.inProcess(new ChallengeResponses(), "port " + httpPort)))
        .build();
    int orders = pebble.orderCount();
    assertThatThrownBy(() -> issuer.issue(
            new IssueRequest(List.of("*.nodns.example.test"), KeyType.ECDSA_P256, Optional.empty())))
        .isInstanceOf(IssuanceException.class)
        .hasMessage("*.nodns.example.test: no challenge Gatehouse can answer proves control of this name"
            + " — likely fix: wildcards need dns-01: pass --dns-hook CMD");
    assertThat(pebble.orderCount()).isEqualTo(orders);
  }

  @Test
  void aFailedValidationIsOneLineWithTheProblemTheNameAndTheFix() throws Exception {
    AcmeIssuer issuer = AcmeIssuer.builder(settings(KeyType.ECDSA_P256, Optional.empty()), storage("closed"))
        .solver(new Http01Solver(Http01Responder.inProcess(new ChallengeResponses(), "port " + httpPort)))
        .build();
    assertThatThrownBy(() -> issuer.issue(
            new IssueRequest(List.of("closed.example.test"), KeyType.ECDSA_P256, Optional.empty())))
        .isInstanceOf(IssuanceException.class)
        .hasMessageStartingWith("closed.example.test: http-01 validation failed: connection: ")
        .hasMessageEndingWith(" — likely fix: open port 80 to the internet and point the DNS A/AAAA records of"
            + " closed.example.test at this server")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aSecondIssuerOnTheSameStorageReusesTheAccount() throws Exception {
    ChallengeResponses responses = new ChallengeResponses();
    FileStorage storage = storage("reuse");
    AcmeSettings settings = settings(KeyType.ECDSA_P256, Optional.empty());
    String urlKey = dev.gatehouse.store.StorageKeys.accountUrl(settings.directory(), settings.email());
    String keyKey = dev.gatehouse.store.StorageKeys.accountKey(settings.directory(), settings.email());
    try (var server = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      for (String name : List.of("one.reuse.example.test", "two.reuse.example.test")) {
        AcmeIssuer issuer = AcmeIssuer.builder(settings, storage)
            .solver(new Http01Solver(Http01Responder.inProcess(responses, "port " + httpPort)))
            .build();
        issuer.issue(new IssueRequest(List.of(name), KeyType.ECDSA_P256, Optional.empty()));
        if (name.startsWith("one")) {
          firstAccount = new String(storage.load(urlKey).orElseThrow());
          firstKey = storage.load(keyKey).orElseThrow();
        }
      }
    }
    assertThat(new String(storage.load(urlKey).orElseThrow())).isEqualTo(firstAccount);
    assertThat(storage.load(keyKey).orElseThrow()).isEqualTo(firstKey);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(storage.pathOf(keyKey))))
        .isEqualTo("rw-------");
  }

  private String firstAccount;
  private byte[] firstKey;

  private void assertChainsToPebbleRoot(CertifiedKey issued) throws Exception {
    var root = Pems.readCertificate(pebble.issuingRootPem());
    var params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(issued.chain()), params);
  }
}
