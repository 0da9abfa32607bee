package dev.gatehouse.localca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import dev.gatehouse.testing.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NSS databases of a home directory, changed with the real {@code certutil}. */
class NssTrustStoreTest {

  @TempDir Path home;

  @Test
  void chromiumsDatabaseIsCreatedAndEveryFirefoxProfileWithADatabaseIsChanged() throws Exception {
    Path profile = Files.createDirectories(home.resolve(".mozilla/firefox/abcd1234.default-esr"));
    certutil("-N", "-d", "sql:" + profile, "--empty-password");
    Files.createDirectories(home.resolve(".mozilla/firefox/Crash Reports"));
    FileStorage storage = new FileStorage(home.resolve("state"));
    LocalRoot root = new LocalRoot(storage.pathOf(StorageKeys.LOCAL_CA_ROOT), new LocalCaIssuer(storage).root().leaf());

    List<NssTrustStore> stores = NssTrustStore.under(home);

    assertThat(stores).hasSize(2);
    assertThat(stores).allSatisfy(s -> assertThat(s.install(root).outcome()).isEqualTo(TrustChange.Outcome.DONE));
    assertThat(stores).allSatisfy(s -> assertThat(s.install(root).outcome()).isEqualTo(TrustChange.Outcome.UNCHANGED));
    assertThat(certutil("-L", "-d", "sql:" + home.resolve(".pki/nssdb"))).contains(root.alias());
    assertThat(certutil("-L", "-d", "sql:" + profile)).contains(root.alias());

    assertThat(stores).allSatisfy(s -> assertThat(s.uninstall(root).outcome()).isEqualTo(TrustChange.Outcome.DONE));
    assertThat(stores).allSatisfy(s -> assertThat(s.uninstall(root).outcome()).isEqualTo(TrustChange.Outcome.UNCHANGED));
    assertThat(certutil("-L", "-d", "sql:" + profile)).doesNotContain(root.alias());
  }

  private String certutil(String... args) {
    List<String> command = new ArrayList<>(List.of("certutil"));
    command.addAll(List.of(args));
    return ManagedProcess.run(command, Map.of(), home, Duration.ofSeconds(60)).orThrow(String.join(" ", command));
  }
}
