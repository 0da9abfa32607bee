package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertificateManager;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.IssuanceLimits;
import dev.gatehouse.certs.IssuerSelector;
import dev.gatehouse.certs.RenewalPolicy;
import dev.gatehouse.certs.RetryBackoff;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.ServeConfigBuilder;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.TestDirs;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AcmeIssuer wired into CertificateManager the way serve wires it ({@link AcmeIssuer.Builder#answerInProcess}),
 * with a standalone listener standing in for serve's port 80: issuance, reuse after a restart, and a CA that
 * is down when serve starts.
 */
@SuppressWarnings("try") // the listener is held open, not used
class AcmeWithCertificateManagerIT {

  private static final String NAME = "managed.example.test";

  private final int httpPort = FreePorts.next();
  private final int httpsPort = FreePorts.next();
  private final ChallengeResponses responses = new ChallengeResponses();
  private Path dir;

  @BeforeEach
  void makeDir() {
    dir = TestDirs.newInstanceDir("acme-manager-it");
  }

  @AfterEach
  void removeDir() {
    TestDirs.deleteUnlessKept(dir);
  }

  private ServeConfig config(Pebble pebble) throws Exception {
    ServeConfigBuilder b = new ServeConfigBuilder()
        .site(new ServeConfigBuilder.SiteSpec(List.of(NAME, "www." + NAME), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty(), ServeConfigBuilder.SiteSpec.FLAGS))
        .httpPort("--http-port", String.valueOf(httpPort))
        .httpsPort("--https-port", String.valueOf(httpsPort))
        .stateDir(dir);
    b.ca("--ca", pebble.directoryUrl());
    AcmeSettings acme = b.acme();
    return b.acme(new AcmeSettings(acme.directory(), List.of(pebble.trustPem()), acme.email(), acme.eabKeyId(),
        acme.eabHmacKey(), acme.profile(), acme.keyType(), acme.dnsHook())).build();
  }

  private CertificateManager manager(ServeConfig config, CertificateCache cache, RetryBackoff backoff)
      throws Exception {
    FileStorage storage = new FileStorage(config.stateDir());
    AcmeIssuer acme = AcmeIssuer.builder(config.acme(), storage)
        .answerInProcess(responses, config.httpPort(), 0)
        .build();
    return new CertificateManager(config, storage, cache,
        IssuerSelector.bySource(new LocalCaIssuer(storage), Optional.of(acme)), new RenewalPolicy(), backoff,
        IssuanceLimits.DEFAULT);
  }

  @Test
  void issuesAtStartAndAfterARestartServesTheStoredCertificateWithoutANewOrder() throws Exception {
    try (Pebble pebble = Pebble.start(httpPort, httpsPort);
        var port80 = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      ServeConfig config = config(pebble);
      CertificateCache first = new CertificateCache();
      try (CertificateManager manager = manager(config, first, RetryBackoff.DEFAULT)) {
        manager.start().get(60, TimeUnit.SECONDS);
      }
      CertifiedKey issued = first.lookup("www." + NAME).orElseThrow();
      int orders = pebble.orderCount();

      CertificateCache second = new CertificateCache();
      try (CertificateManager manager = manager(config, second, RetryBackoff.DEFAULT)) {
        manager.start().get(60, TimeUnit.SECONDS);
      }

      assertThat(second.lookup(NAME).orElseThrow().serialHex()).isEqualTo(issued.serialHex());
      assertThat(pebble.orderCount()).isEqualTo(orders);
    }
  }

  @Test
  void aCaThatIsDownAtStartDeliversTheCertificateOnceItIsUpWithoutARestart() throws Exception {
    try (Pebble pebble = Pebble.start(httpPort, httpsPort);
        var port80 = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", httpPort), responses)) {
      ServeConfig config = config(pebble);
      pebble.stop();
      CertificateCache cache = new CertificateCache();
      RetryBackoff quick = new RetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1), 100);
      try (CertificateManager manager = manager(config, cache, quick)) {
        var ready = manager.start();
        Thread.sleep(1_000);
        assertThat(ready).isNotDone();
        assertThat(cache.lookup(NAME)).isEmpty();
        pebble.start();
        ready.get(60, TimeUnit.SECONDS);
      }
      assertThat(cache.lookup(NAME).orElseThrow().names()).containsExactlyInAnyOrder(NAME, "www." + NAME);
    }
  }
}
