package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.KeyType;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes on one storage (two {@link FileStorage} instances, as two processes would open it). */
class SharedChallengesTest {

  @TempDir Path dir;
  private final ChallengeResponses ordering = new ChallengeResponses();
  private final ChallengeResponses other = new ChallengeResponses();
  private FileStorage orderingStorage;
  private SharedChallenges orderingNode;
  private SharedChallenges otherNode;

  @BeforeEach
  void setUp() throws Exception {
    orderingStorage = new FileStorage(dir);
    orderingNode = SharedChallenges.start(orderingStorage, ordering);
    otherNode = SharedChallenges.start(new FileStorage(dir), other);
  }

  @AfterEach
  void tearDown() {
    orderingNode.close();
    otherNode.close();
  }

  @Test
  void anHttp01AnswerIsServedByTheOtherNodeOnceVisibleAndWithdrawnAfter() throws Exception {
    orderingNode.putHttp01("tok_en-1", "tok_en-1.thumbprint");
    orderingNode.awaitVisible();

    assertThat(other.http01("tok_en-1")).as("the CA may ask the other node now").contains("tok_en-1.thumbprint");
    assertThat(ordering.http01("tok_en-1")).contains("tok_en-1.thumbprint");

    orderingNode.removeHttp01("tok_en-1");
    assertThat(ordering.http01("tok_en-1")).isEmpty();
    await(() -> other.http01("tok_en-1").isEmpty());
    assertThat(orderingStorage.load(StorageKeys.http01Challenge("tok_en-1"))).isEmpty();
  }

  @Test
  void aTlsAlpn01CertificateAndItsKeyReachTheOtherNodeAsASecret() throws Exception {
    CertifiedKey challenge = new LocalCaIssuer(orderingStorage)
        .issue(new IssueRequest(List.of("app.example"), KeyType.ECDSA_P256, Optional.empty()));

    orderingNode.putTlsAlpn01("app.example", challenge);
    orderingNode.awaitVisible();

    CertifiedKey mirrored = other.tlsAlpn01("app.example").orElseThrow();
    assertThat(mirrored.chain()).isEqualTo(challenge.chain());
    assertThat(mirrored.privateKey()).isEqualTo(challenge.privateKey());
    assertThat(orderingStorage.pathOf(StorageKeys.tlsAlpn01Challenge("app.example")))
        .satisfies(p -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
            .isEqualTo("rw-------"));

    orderingNode.removeTlsAlpn01("app.example");
    await(() -> other.tlsAlpn01("app.example").isEmpty());
  }

  @Test
  void aNodeStartedWhileAnotherIsOrderingAnswersTheAnswersAlreadyPending() throws Exception {
    orderingNode.putHttp01("pending", "pending.thumbprint");
    ChallengeResponses late = new ChallengeResponses();

    SharedChallenges lateNode = SharedChallenges.start(new FileStorage(dir), late);
    try {
      assertThat(late.http01("pending")).contains("pending.thumbprint");
    } finally {
      lateNode.close();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition still false after 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
