package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.KeyType;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {

  @TempDir Path dir;
  private FileStorage storage;
  private CertificateStore store;
  private LocalCaIssuer ca;

  @BeforeEach
  void setUp() throws Exception {
    storage = new FileStorage(dir.resolve("state"));
    store = new CertificateStore(storage);
    ca = new LocalCaIssuer(storage);
  }

  private CertifiedKey issue(String... names) throws Exception {
    return ca.issue(new IssueRequest(List.of(names), KeyType.ECDSA_P256, Optional.empty()));
  }

  @Test
  void savesTheCertbotLayoutThatNginxAndOpensslRead() throws Exception {
    CertifiedKey key = issue("app.localhost", "www.app.localhost");
    store.save("app.localhost", key);

    Path live = storage.pathOf("live/app.localhost");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(live.resolve("privkey.pem"))))
        .isEqualTo("rw-------");
    for (String file : List.of("fullchain.pem", "cert.pem", "chain.pem")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(live.resolve(file))))
          .as(file)
          .isEqualTo("rw-r--r--");
    }
    assertThat(Pem.readCertificates(live.resolve("fullchain.pem"))).isEqualTo(key.chain());
    assertThat(Pem.readCertificates(live.resolve("cert.pem"))).containsExactly(key.leaf());
    assertThat(Pem.readCertificates(live.resolve("chain.pem"))).isEqualTo(key.chain().subList(1, 2));
    String verified =
        Openssl.run(live, "verify", "-CAfile", storage.pathOf(StorageKeys.LOCAL_CA_ROOT).toString(),
            "-untrusted", "chain.pem", "cert.pem");
    assertThat(verified).contains("cert.pem: OK");
  }

  @Test
  void loadGivesBackWhatWasSaved() throws Exception {
    CertifiedKey key = issue("app.localhost");
    store.save("app.localhost", key);

    CertifiedKey loaded = store.load("app.localhost").orElseThrow();

    assertThat(loaded.chain()).isEqualTo(key.chain());
    assertThat(loaded.privateKey()).isEqualTo(key.privateKey());
    assertThat(store.storedSerial("app.localhost")).contains(key.serialHex());
  }

  @Test
  void nothingStoredIsEmpty() throws Exception {
    assertThat(store.load("app.localhost")).isEmpty();
    assertThat(store.storedSerial("app.localhost")).isEmpty();
  }

  @Test
  void aWildcardIsStoredUnderItsSafeName() throws Exception {
    store.save("*.app.localhost", issue("*.app.localhost"));
    assertThat(Files.exists(storage.pathOf("live/wildcard_.app.localhost/fullchain.pem"))).isTrue();
    assertThat(store.load("*.app.localhost")).isPresent();
  }

  @Test
  void aTruncatedFullchainIsAClearErrorNamingTheFile() throws Exception {
    store.save("app.localhost", issue("app.localhost"));
    Path fullchain = storage.pathOf(StorageKeys.fullchain("app.localhost"));
    byte[] bytes = Files.readAllBytes(fullchain);
    Files.write(fullchain, java.util.Arrays.copyOf(bytes, bytes.length / 3));

    assertThatThrownBy(() -> store.load("app.localhost"))
        .isInstanceOf(CertificateFileException.class)
        .hasMessageStartingWith("live/app.localhost/fullchain.pem: truncated or corrupt PEM");
  }

  @Test
  void aFullchainCutBetweenTwoCertificatesDisagreesWithChainPem() throws Exception {
    CertifiedKey key = issue("app.localhost");
    store.save("app.localhost", key);
    Files.write(storage.pathOf(StorageKeys.fullchain("app.localhost")), Pem.encodeCertificates(List.of(key.leaf())));

    assertThatThrownBy(() -> store.load("app.localhost"))
        .hasMessage("live/app.localhost/chain.pem: does not agree with fullchain.pem"
            + " (the set was written partly or changed by hand)");
  }

  @Test
  void aNewCertificateNextToTheOldKeyIsAMismatch() throws Exception {
    store.save("app.localhost", issue("app.localhost"));
    CertifiedKey next = issue("app.localhost");
    // What a crash after the certificates but before the key of a renewal leaves behind.
    storage.store(StorageKeys.certificate("app.localhost"), Pem.encodeCertificates(next.chain().subList(0, 1)), false);
    storage.store(StorageKeys.chain("app.localhost"), Pem.encodeCertificates(next.chain().subList(1, 2)), false);
    storage.store(StorageKeys.fullchain("app.localhost"), Pem.encodeCertificates(next.chain()), false);

    assertThatThrownBy(() -> store.load("app.localhost"))
        .hasMessageStartingWith("live/app.localhost/privkey.pem: private key does not match the first certificate"
            + " in live/app.localhost/fullchain.pem");
  }

  @Test
  void aMissingKeyIsAnIncompleteSet() throws Exception {
    store.save("app.localhost", issue("app.localhost"));
    storage.delete(StorageKeys.privateKey("app.localhost"));

    assertThatThrownBy(() -> store.load("app.localhost"))
        .hasMessage("live/app.localhost/privkey.pem: missing (the stored set is incomplete)");
  }

  @Test
  void deleteRemovesTheSet() throws Exception {
    store.save("app.localhost", issue("app.localhost"));
    store.delete("app.localhost");
    assertThat(store.load("app.localhost")).isEmpty();
    assertThat(storage.list("live/app.localhost/")).isEmpty();
  }
}
