package dev.gatehouse.localca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ca install --java} on a copy of this JDK's own {@code cacerts}, reached through a symlink as on Debian. */
class JavaTrustStoreTest {

  @TempDir Path dir;

  @Test
  void installIsIdempotentAndUninstallRemovesOnlyTheLocalRoot() throws Exception {
    Path real = dir.resolve("real-cacerts");
    Files.copy(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"), real);
    Path link = Files.createSymbolicLink(dir.resolve("cacerts"), real);
    int jdkRoots = load(real).size();
    FileStorage storage = new FileStorage(dir.resolve("state"));
    LocalRoot root = new LocalRoot(storage.pathOf(StorageKeys.LOCAL_CA_ROOT), new LocalCaIssuer(storage).root().leaf());
    JavaTrustStore store = new JavaTrustStore(link);

    assertThat(store.install(root).outcome()).isEqualTo(TrustChange.Outcome.DONE);
    assertThat(store.install(root).outcome()).isEqualTo(TrustChange.Outcome.UNCHANGED);
    KeyStore installed = load(real);
    assertThat(installed.size()).isEqualTo(jdkRoots + 1);
    assertThat(installed.getCertificate(root.alias())).isEqualTo(root.certificate());
    assertThat(Files.isSymbolicLink(link)).isTrue();

    assertThat(store.uninstall(root).outcome()).isEqualTo(TrustChange.Outcome.DONE);
    assertThat(store.uninstall(root).outcome()).isEqualTo(TrustChange.Outcome.UNCHANGED);
    KeyStore uninstalled = load(real);
    assertThat(uninstalled.size()).isEqualTo(jdkRoots);
    assertThat(uninstalled.containsAlias(root.alias())).isFalse();
  }

  @Test
  void aStoreItCannotReadGetsTheKeytoolCommand() throws Exception {
    FileStorage storage = new FileStorage(dir.resolve("state"));
    LocalRoot root = new LocalRoot(storage.pathOf(StorageKeys.LOCAL_CA_ROOT), new LocalCaIssuer(storage).root().leaf());

    TrustChange change = new JavaTrustStore(dir.resolve("missing-cacerts")).install(root);

    assertThat(change.outcome()).isEqualTo(TrustChange.Outcome.NEEDS_USER);
    assertThat(change.finish()).contains("sudo keytool -importcert -noprompt -cacerts -storepass changeit -alias "
        + root.alias() + " -file " + root.pem());
  }

  private static KeyStore load(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, JavaTrustStore.PASSWORD.toCharArray());
      return ks;
    }
  }
}
