package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.KeyType;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnDemandCertificatesTest {

  @TempDir Path dir;

  private final CertificateCache cache = new CertificateCache();
  private CountingIssuer issuer;
  private OnDemandCertificates onDemand;

  @BeforeEach
  void setUp() throws Exception {
    issuer = new CountingIssuer(new LocalCaIssuer(new FileStorage(dir.resolve("state"))));
    onDemand = new OnDemandCertificates(issuer, KeyType.ECDSA_P256, cache);
  }

  @Test
  void coversValidNamesBelowLocalhostOnly() {
    assertThat(onDemand.covers("shop.localhost")).isTrue();
    assertThat(onDemand.covers("eu.shop.localhost")).isTrue();
    assertThat(onDemand.covers("localhost")).isFalse();
    assertThat(onDemand.covers("shop.example.com")).isFalse();
    assertThat(onDemand.covers("evillocalhost")).isFalse();
    assertThat(onDemand.covers("*.localhost")).isFalse();
    assertThat(onDemand.covers("-bad-.localhost")).isFalse();
    assertThat(onDemand.covers("a..localhost")).isFalse();
  }

  @Test
  void signsANameOnceAndServesItFromTheCache() throws Exception {
    CertifiedKey first = onDemand.obtain("shop.localhost").orElseThrow();

    assertThat(onDemand.obtain("shop.localhost")).containsSame(first);
    assertThat(cache.lookup("shop.localhost")).containsSame(first);
    assertThat(first.names()).containsExactly("shop.localhost");
    assertThat(issuer.issued).hasValue(1);
  }

  @Test
  void signsNothingForANameItDoesNotCover() throws Exception {
    assertThat(onDemand.obtain("shop.example.com")).isEmpty();
    assertThat(issuer.attempts).hasValue(0);
  }

  @Test
  void refusesNewNamesAfterTheLimitAndLogsItOnce() throws Exception {
    for (int i = 0; i < OnDemandCertificates.MAX_NAMES; i++) {
      onDemand.obtain("n" + i + ".localhost").orElseThrow();
    }

    try (LogCapture log = new LogCapture(OnDemandCertificates.class)) {
      assertThat(onDemand.obtain("one-more.localhost")).isEmpty();
      assertThat(onDemand.obtain("two-more.localhost")).isEmpty();
      assertThat(log.lines()).containsExactly("WARNING no certificate for one-more.localhost or any other new name: 100"
          + " names were signed on demand already (restart gatehouse dev, or list the names with --name)");
    }
    assertThat(onDemand.obtain("n0.localhost")).as("names signed before stay served").isPresent();
    assertThat(issuer.issued).hasValue(OnDemandCertificates.MAX_NAMES);
  }
}
