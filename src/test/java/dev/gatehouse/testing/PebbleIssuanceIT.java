package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * The Pebble harness end to end with a minimal acme4j client: Pebble resolves the name through
 * challtestsrv to 127.0.0.1, validates http-01 on the port the test gave it, and issues under
 * {@link Pebble#issuingRootPem()}.
 */
class PebbleIssuanceIT {

  @Test
  void issuesOverHttp01ToTheGivenPortUnderTheIssuingRoot() throws Exception {
    int httpPort = FreePorts.next();
    try (Pebble pebble = Pebble.builder().httpPort(httpPort).tlsPort(FreePorts.next()).start()) {
      X509Certificate root = Pems.readCertificate(pebble.issuingRootPem());

      List<X509Certificate> chain = issueWithHttp01(pebble, httpPort, "www.pebble.test");

      assertThat(chain.get(0).getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))))
          .containsExactly("www.pebble.test");
      validate(chain, root);
      assertThat(pebble.orderCount()).isEqualTo(1);
    }
  }

  private static List<X509Certificate> issueWithHttp01(Pebble pebble, int httpPort, String domain) throws Exception {
    Session session = new Session(URI.create(pebble.directoryUrl()), new TrustingProvider(pebble.trustPem()));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    Account account = new AccountBuilder().agreeToTermsOfService().useKeyPair(generator.generateKeyPair())
        .create(session);
    Order order = account.newOrder().domain(domain).create();
    HttpServer responder = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 0);
    try {
      for (Authorization authorization : order.getAuthorizations()) {
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow();
        responder.createContext("/.well-known/acme-challenge/" + challenge.getToken(), exchange -> {
          byte[] answer = challenge.getAuthorization().getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
      }
      responder.start();
      for (Authorization authorization : order.getAuthorizations()) {
        authorization.findChallenge(Http01Challenge.class).orElseThrow().trigger();
      }
      pollUntil(order, Set.of(Status.READY, Status.INVALID));
      assertThat(order.getStatus()).as(order.getJSON().toString()).isEqualTo(Status.READY);
      order.execute(generator.generateKeyPair());
      pollUntil(order, Set.of(Status.VALID, Status.INVALID));
      return order.getCertificate().getCertificateChain();
    } finally {
      responder.stop(0);
    }
  }

  private static void pollUntil(Order order, Set<Status> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    order.fetch();
    while (!done.contains(order.getStatus()) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      order.fetch();
    }
  }

  private static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }

  /** acme4j's generic provider with an HttpClient that trusts Pebble's listener CA. */
  private static final class TrustingProvider extends GenericAcmeProvider {
    private final Path trustPem;

    TrustingProvider(Path trustPem) {
      this.trustPem = trustPem;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
      return HttpClient.newBuilder().sslContext(Pems.trusting(trustPem)).connectTimeout(Duration.ofSeconds(10)).build();
    }
  }
}
