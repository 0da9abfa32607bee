package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.acme.RecordedAcmeServer.Answer;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AcmeIssuer against recorded CA answers for what Debian's Pebble 2.4 cannot produce: ARI renewalInfo (RFC
 * 9773), {@code replaces}, profiles, rate limits, long badNonce streaks.
 */
class AcmeIssuerRecordedTest {

  private static final Instant NOW = Instant.parse("2025-01-02T00:00:00Z");

  @TempDir Path dir;
  private RecordedAcmeServer ca;

  @AfterEach
  void stop() {
    if (ca != null) {
      ca.close();
    }
  }

  private AcmeIssuer issuer(String directory, Optional<String> profile) throws Exception {
    ca = RecordedAcmeServer.start(directory);
    AcmeSettings settings = new AcmeSettings(ca.directory(), List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), profile, KeyType.ECDSA_P256, Optional.empty());
    return AcmeIssuer.builder(settings, new FileStorage(dir.resolve("state")))
        .solver(new Http01Solver(Http01Responder.inProcess(new ChallengeResponses(), "port 80")))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  private static final TestCert ISSUER = TestCerts.ca("Recorded Intermediate");

  private static CertifiedKey stored(String name) {
    TestCert leaf = TestCerts.forNames(name).signedBy(ISSUER).issue();
    return new CertifiedKey(leaf.chain(), leaf.keyPair().getPrivate());
  }

  /** RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial DER content), computed here by hand. */
  private static String certId(CertifiedKey cert) throws Exception {
    var holder = new X509CertificateHolder(cert.leaf().getEncoded());
    byte[] aki = AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifierOctets();
    byte[] serialDer = holder.toASN1Structure().getSerialNumber().getEncoded();
    byte[] serial = Arrays.copyOfRange(serialDer, 2, serialDer.length);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(aki) + "." + b64.encodeToString(serial);
  }

  @Test
  void renewalWindowIsTheCasSuggestionAndRetryAfterSaysWhenToAskAgain() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*",
        new Answer(200, "renewal-info.json", Map.of("Retry-After", "Thu, 02 Jan 2025 03:00:00 GMT")));
    CertifiedKey cert = stored("ari.example.com");

    AriWindow window = issuer.renewalWindow(cert.leaf()).orElseThrow();

    assertThat(window.start()).isEqualTo(Instant.parse("2025-01-02T04:00:00Z"));
    assertThat(window.end()).isEqualTo(Instant.parse("2025-01-03T04:00:00Z"));
    assertThat(window.nextCheck()).isEqualTo(Instant.parse("2025-01-02T03:00:00Z"));
    assertThat(window.explanation()).isEmpty();
    assertThat(ca.requests()).contains("GET /acme/renewal-info/" + certId(cert));
  }

  @Test
  void withoutRetryAfterTheWindowIsAskedForAgainInSixHours() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*", Answer.of(200, "renewal-info.json"));
    assertThat(issuer.renewalWindow(stored("six.example.com").leaf()).orElseThrow().nextCheck())
        .isEqualTo(NOW.plus(Duration.ofHours(6)));
  }

  @Test
  void aRetryAfterOfOneSecondIsStretchedToOneMinute() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*",
        new Answer(200, "renewal-info.json", Map.of("Retry-After", "Thu, 02 Jan 2025 00:00:01 GMT")));
    assertThat(issuer.renewalWindow(stored("eager.example.com").leaf()).orElseThrow().nextCheck())
        .isEqualTo(NOW.plus(Duration.ofMinutes(1)));
  }

  @Test
  void anIncidentWindowInThePastCarriesTheCasExplanation() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*", Answer.of(200, "renewal-info-incident.json"));
    AriWindow window = issuer.renewalWindow(stored("incident.example.com").leaf()).orElseThrow();
    assertThat(window.end()).isBefore(NOW);
    assertThat(window.explanation().orElseThrow().toString())
        .isEqualTo("https://community.letsencrypt.org/t/revoking-certain-certificates-on-march-4/114864");
  }

  @Test
  void anInvertedWindowCountsAsNoAnswer() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*", Answer.of(200, "renewal-info-inverted.json"));
    assertThatThrownBy(() -> issuer.renewalWindow(stored("inverted.example.com").leaf()))
        .isInstanceOf(IssuanceException.class)
        .hasMessageEndingWith("— falling back to the lifetime rule");
  }

  @Test
  void aDirectoryWithoutRenewalInfoHasNoWindowAndIsNotAsked() throws Exception {
    AcmeIssuer issuer = issuer("directory-without-ari.json", Optional.empty());
    assertThat(issuer.renewalWindow(stored("plain.example.com").leaf())).isEmpty();
    assertThat(ca.requests()).containsExactly("GET /dir");
  }

  @Test
  void aRenewalNamesTheReplacedCertificateAndOrdersWithoutItWhenItWasAlreadyReplaced() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/new-order",
        Answer.of(409, "problem-already-replaced.json"), Answer.of(403, "problem-unauthorized.json"));
    CertifiedKey old = stored("renew.example.com");

    assertThatThrownBy(() -> issuer.issue(new IssueRequest(List.of("renew.example.com"), KeyType.ECDSA_P256,
            Optional.of(old))))
        .isInstanceOf(IssuanceException.class)
        .hasMessageContaining("unauthorized: recorded answer that ends the test's order");

    var orders = ca.payloads("/acme/new-order");
    assertThat(orders).hasSize(2);
    assertThat(orders.get(0).path("replaces").asText()).isEqualTo(certId(old));
    assertThat(orders.get(0).path("identifiers").get(0).path("value").asText()).isEqualTo("renew.example.com");
    assertThat(orders.get(1).has("replaces")).isFalse();
  }

  @Test
  void aRenewalSendsNoReplacesToACaWithoutRenewalInfo() throws Exception {
    AcmeIssuer issuer = issuer("directory-without-ari.json", Optional.empty());
    ca.answer("/order-plz", Answer.of(403, "problem-unauthorized.json"));
    assertThatThrownBy(() -> issuer.issue(new IssueRequest(List.of("old.example.com"), KeyType.ECDSA_P256,
            Optional.of(stored("old.example.com")))))
        .isInstanceOf(IssuanceException.class);
    assertThat(ca.payloads("/order-plz")).singleElement().satisfies(o -> assertThat(o.has("replaces")).isFalse());
  }

  @Test
  void theProfileGoesIntoTheOrder() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.of("shortlived"));
    ca.answer("/acme/new-order", Answer.of(403, "problem-unauthorized.json"));
    assertThatThrownBy(() -> issuer.issue(new IssueRequest(List.of("short.example.com"), KeyType.ECDSA_P256,
            Optional.empty())))
        .isInstanceOf(IssuanceException.class);
    assertThat(ca.payloads("/acme/new-order").get(0).path("profile").asText()).isEqualTo("shortlived");
  }

  @Test
  void aProfileTheCaDoesNotOfferIsNamedWithTheOffered() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.of("longlived"));
    assertThatThrownBy(() -> issuer.issue(new IssueRequest(List.of("long.example.com"), KeyType.ECDSA_P256,
            Optional.empty())))
        .isInstanceOf(IssuanceException.class)
        .hasMessage("--profile: 'longlived' is not offered by " + ca.directory()
            + " (expected: classic, shortlived, tlsserver)");
    assertThat(ca.payloads("/acme/new-order")).isEmpty();
  }

  @Test
  void aRateLimitSaysUntilWhenAndCarriesRetryAfter() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/new-order",
        new Answer(429, "problem-rate-limited.json", Map.of("Retry-After", "Thu, 02 Jan 2025 10:00:00 GMT",
            "Link", "<https://letsencrypt.org/docs/rate-limits/>;rel=\"help\"")));
    assertThatThrownBy(() -> issuer.issue(new IssueRequest(List.of("busy.example.com"), KeyType.ECDSA_P256,
            Optional.empty())))
        .isInstanceOfSatisfying(IssuanceException.class, e -> {
          assertThat(e.retryAfter()).contains(Instant.parse("2025-01-02T10:00:00Z"));
          assertThat(e.getMessage())
              .startsWith("busy.example.com: rateLimited: too many certificates (5) already issued")
              .endsWith("— likely fix: wait until 2025-01-02T10:00:00Z"
                  + " (see https://letsencrypt.org/docs/rate-limits/); Gatehouse retries by itself");
        });
  }

  @Test
  void aBadNonceStreakLongerThanAcme4jsTenRetriesIsRetried() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    Answer[] answers = new Answer[13];
    Arrays.fill(answers, Answer.of(400, "problem-bad-nonce.json"));
    answers[12] = new Answer(201, "account.json", Map.of("Location", "BASE/acme/acct/1"));
    ca.answer("/acme/new-acct", answers);
    ca.answer("/acme/new-order", Answer.of(403, "problem-unauthorized.json"));
    assertThatThrownBy(() -> issuer.issue(new IssueRequest(List.of("nonce.example.com"), KeyType.ECDSA_P256,
            Optional.empty())))
        .hasMessageContaining("unauthorized: recorded answer that ends the test's order");
    assertThat(ca.payloads("/acme/new-acct")).hasSize(13);
  }

}
