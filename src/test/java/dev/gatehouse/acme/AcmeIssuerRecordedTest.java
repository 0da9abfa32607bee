package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.acme.RecordedAcmeServer.Answer;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.certs.RenewalPolicy;
import dev.gatehouse.certs.RenewalSchedule;
import dev.gatehouse.certs.RenewalWindow;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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
  void theRenewalWindowIsTheCasSuggestionWithItsRetryAfter() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*",
        new Answer(200, "renewal-info.json", Map.of("Retry-After", "Thu, 02 Jan 2025 03:00:00 GMT")));
    CertifiedKey cert = stored("ari.example.com");

    RenewalWindow window = issuer.renewalWindow(cert).orElseThrow();

    assertThat(window).isEqualTo(new RenewalWindow(Instant.parse("2025-01-02T04:00:00Z"),
        Instant.parse("2025-01-03T04:00:00Z"), Optional.of(Instant.parse("2025-01-02T03:00:00Z"))));
    assertThat(ca.requests()).contains("GET /acme/renewal-info/" + certId(cert));
  }

  @Test
  void withoutRetryAfterTheWindowHasNone() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*", Answer.of(200, "renewal-info.json"));
    assertThat(issuer.renewalWindow(stored("plain-ari.example.com")).orElseThrow().retryAfter()).isEmpty();
  }

  @Test
  void renewalPolicyRenewsInsideTheRecordedWindowNotByTheLifetimeRule() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*", Answer.of(200, "renewal-info.json"));
    TestCert leaf = TestCerts.forNames("policy.example.com").signedBy(ISSUER)
        .validity(Instant.parse("2024-11-01T00:00:00Z"), Instant.parse("2025-01-30T00:00:00Z")).issue();
    CertifiedKey cert = new CertifiedKey(leaf.chain(), leaf.keyPair().getPrivate());
    var policy = new RenewalPolicy(Clock.fixed(NOW, ZoneOffset.UTC), new Random(7));

    RenewalSchedule schedule = policy.schedule(cert, issuer.renewalWindow(cert), Optional.empty());

    assertThat(schedule.renewAt()).isBetween(Instant.parse("2025-01-02T04:00:00Z"),
        Instant.parse("2025-01-03T04:00:00Z"));
    assertThat(schedule.reason()).startsWith("ARI window");
    assertThat(policy.isDue(schedule)).isFalse();
  }

  @Test
  void anIncidentWindowIsLoggedWithTheCasExplanation() throws Exception {
    AcmeIssuer issuer = issuer("directory-with-ari.json", Optional.empty());
    ca.answer("/acme/renewal-info/*", Answer.of(200, "renewal-info-incident.json"));
    List<String> logged = new ArrayList<>();
    Logger logger = Logger.getLogger(AcmeIssuer.class.getName());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try {
      RenewalWindow window = issuer.renewalWindow(stored("incident.example.com")).orElseThrow();
      assertThat(window.end()).isBefore(NOW);
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(logged).containsExactly("incident.example.com: renewal info: " + ca.directory()
        + " suggests renewing between 2025-01-01T00:00:00Z and 2025-01-01T00:05:00Z, explained at"
        + " https://community.letsencrypt.org/t/revoking-certain-certificates-on-march-4/114864");
  }

  @Test
  void aDirectoryWithoutRenewalInfoHasNoWindowAndIsNotAsked() throws Exception {
    AcmeIssuer issuer = issuer("directory-without-ari.json", Optional.empty());
    assertThat(issuer.renewalWindow(stored("plain.example.com"))).isEmpty();
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
