package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

  private static PostgresServer postgres;

  @BeforeAll
  static void start() {
    postgres = PostgresServer.startNew();
  }

  @AfterAll
  static void close() {
    postgres.close();
  }

  @Test
  void theTestUserLogsInWithItsPasswordOverLoopbackAndSurvivesARestart() throws Exception {
    try (Connection connection = postgres.connect(PostgresServer.DATABASE);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS kept (v text)");
      statement.execute("INSERT INTO kept VALUES ('before restart')");
    }
    postgres.stop();
    assertThat(postgres.isRunning()).isFalse();
    assertThatThrownBy(() -> postgres.connect(PostgresServer.DATABASE)).isInstanceOf(SQLException.class);
    postgres.start();
    try (Connection connection = postgres.connect(PostgresServer.DATABASE);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("before restart");
    }
  }

  @Test
  void aTerminatedConnectionIsClosedByTheServer() throws Exception {
    String database = postgres.createDatabase();
    try (Connection connection = postgres.connect(database)) {
      postgres.terminateConnections(database);
      assertThatThrownBy(() -> connection.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
    }
  }
}
