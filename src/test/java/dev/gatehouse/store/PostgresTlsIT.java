package dev.gatehouse.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.PostgresServer;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sslmode} and {@code sslrootcert} in the store URL mean what they mean to libpq. */
class PostgresTlsIT {

  private static PostgresServer postgres;
  private static TestCert ca;

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgresWithTls() {
    postgres = PostgresServer.startNew();
    ca = TestCerts.ca("Database CA");
    postgres.requireTls(TestCerts.forNames("127.0.0.1").signedBy(ca).issue());
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private PostgresStorage open(String options) throws Exception {
    return PostgresStorage.open(PostgresLocation.parse(postgres.storeUrl(PostgresServer.DATABASE) + options),
        Optional.of(postgres.password()), tmp.resolve("store.key"), tmp.resolve("state"));
  }

  @Test
  void verifyFullWithTheServersCaConnects() throws Exception {
    Path root = ca.writeCertificate(tmp.resolve("db-ca.pem"));
    try (PostgresStorage storage = open("?sslmode=verify-full&sslrootcert=" + root)) {
      storage.store("state/hsts.json", "{}".getBytes(UTF_8), false);
      assertThat(storage.load("state/hsts.json")).isPresent();
    }
  }

  @Test
  void verifyFullWithAnotherCaRefusesTheServer() {
    Path otherRoot = TestCerts.ca("Someone else").writeCertificate(tmp.resolve("other-ca.pem"));
    assertThatThrownBy(() -> open("?sslmode=verify-full&sslrootcert=" + otherRoot))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("SSL")
        .hasMessageNotContaining("\n");
  }

  @Test
  void sslmodeDisableIsRefusedByAServerThatRequiresTls() {
    assertThatThrownBy(() -> open("?sslmode=disable"))
        .hasMessageContaining("refused the login")
        .hasMessageContaining("no encryption");
  }
}
