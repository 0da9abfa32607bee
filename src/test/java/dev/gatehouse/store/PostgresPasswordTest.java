package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresPasswordTest {

  private static final PostgresLocation DB = PostgresLocation.parse("postgresql://gate@db.internal:6432/site");

  @TempDir Path home;

  private void pgpass(String text, String mode) throws Exception {
    Path file = home.resolve(".pgpass");
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  @Test
  void passwordFileWinsOverPgpasswordWhichWinsOverPgpass() throws Exception {
    pgpass("*:*:*:*:from-pgpass\n", "rw-------");
    Path file = home.resolve("db.password");
    Files.writeString(file, "from-file\n");
    Map<String, String> env = Map.of("HOME", home.toString(), "PGPASSWORD", "from-env");
    assertThat(PostgresPassword.find(DB, Optional.of(file), env)).contains("from-file");
    assertThat(PostgresPassword.find(DB, Optional.empty(), env)).contains("from-env");
    assertThat(PostgresPassword.find(DB, Optional.empty(), Map.of("HOME", home.toString()))).contains("from-pgpass");
  }

  @Test
  void pgpassTakesTheFirstMatchingLineWithWildcardsAndEscapes() throws Exception {
    pgpass("# comment\n"
        + "db.internal:5432:site:gate:wrong-port\n"
        + "db.internal:6432:other:gate:wrong-db\n"
        + "db.internal:6432:*:gate:p\\:a\\\\ss\n"
        + "*:*:*:*:too-late\n", "rw-------");
    assertThat(PostgresPassword.find(DB, Optional.empty(), Map.of("HOME", home.toString()))).contains("p:a\\ss");
  }

  @Test
  void pgpassThatOthersMayReadIsIgnoredAsLibpqDoes() throws Exception {
    pgpass("*:*:*:*:exposed\n", "rw-r--r--");
    assertThat(PostgresPassword.find(DB, Optional.empty(), Map.of("HOME", home.toString()))).isEmpty();
  }

  @Test
  void pgpassfileNamesAnotherFile() throws Exception {
    Path file = home.resolve("elsewhere");
    Files.writeString(file, "*:*:*:gate:from-pgpassfile\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(PostgresPassword.find(DB, Optional.empty(), Map.of("PGPASSFILE", file.toString())))
        .contains("from-pgpassfile");
  }

  @Test
  void anUnreadablePasswordFileIsNamed() {
    Path missing = home.resolve("missing");
    assertThatThrownBy(() -> PostgresPassword.find(DB, Optional.of(missing), Map.of()))
        .hasMessageStartingWith("password_file " + missing + " cannot be read");
  }
}
