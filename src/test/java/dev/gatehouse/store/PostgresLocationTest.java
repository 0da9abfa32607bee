package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresLocationTest {

  @Test
  void parsesUserHostPortDatabaseAndSslmode() {
    PostgresLocation location = PostgresLocation.parse("postgresql://gate@db.internal:6432/site?sslmode=verify-full");
    assertThat(location).isEqualTo(new PostgresLocation("gate", "db.internal", 6432, "site",
        Map.of("sslmode", "verify-full")));
    assertThat(location.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/site");
    assertThat(location.driverProperties("pw", 3, 10, 10).getProperty("sslmode")).isEqualTo("verify-full");
    assertThat(location.toString()).isEqualTo("gate@db.internal:6432/site");
  }

  @Test
  void defaultsToPort5432AndSslmodePreferAsLibpqDoes() {
    PostgresLocation location = PostgresLocation.parse("postgres://gate@10.0.0.5/site");
    assertThat(location.port()).isEqualTo(5432);
    assertThat(location.driverProperties("pw", 3, 10, 10).getProperty("sslmode")).isEqualTo("prefer");
  }

  @Test
  void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() {
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://gate:s3cret@db/site"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'postgresql://gate:***@db/site' holds a password")
        .hasMessageContaining("PGPASSWORD, ~/.pgpass or password_file")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void badValuesNameWhatIsWrongAndTheExpectedForm() {
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://db/site"))
        .hasMessage("'postgresql://db/site' is not a PostgreSQL store: no user (expected: "
            + PostgresLocation.EXPECTED + ")");
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://gate@db/"))
        .hasMessageContaining("no database");
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://gate@db/site?sslmode=maybe"))
        .hasMessageContaining("sslmode 'maybe' (expected: one of allow, disable, prefer, require, verify-ca,"
            + " verify-full)");
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://gate@db/site?pool=9"))
        .hasMessageContaining("unknown option 'pool'");
  }
}
