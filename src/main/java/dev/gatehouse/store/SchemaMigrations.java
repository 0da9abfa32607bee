package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables, as numbered migrations that the program applies itself; {@code gatehouse_schema} records
 * which ran. Several nodes starting at once take turns on a transaction-level advisory lock, so each migration
 * runs exactly once and every node sees the finished schema. Append new migrations; never edit one that shipped.
 */
final class SchemaMigrations {
  private SchemaMigrations() {}

  /** The first key of every advisory lock Gatehouse takes ("GATE"), apart from the application's own locks. */
  static final int LOCK_NAMESPACE = 0x47415445;

  static final String TABLE = "gatehouse_store";
  static final String META = "gatehouse_store_meta";
  static final String CHANNEL = "gatehouse_store";

  /** The schema's version, 0 before the first migration; two queries, as a missing table fails any that names it. */
  private static int current(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet rows = statement.executeQuery("SELECT to_regclass('gatehouse_schema') IS NOT NULL")) {
        rows.next();
        if (!rows.getBoolean(1)) {
          return 0;
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0) FROM gatehouse_schema")) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** Migration N is {@code MIGRATIONS.get(N - 1)}. */
  static final List<String> MIGRATIONS = List.of(
      // 1: one row per storage key; version orders writes for the watchers' periodic check; a trigger tells
      // LISTENers of every change, whoever made it.
      """
      CREATE SEQUENCE gatehouse_store_version;
      CREATE TABLE gatehouse_store (
        key text PRIMARY KEY,
        value bytea NOT NULL,
        secret boolean NOT NULL,
        version bigint NOT NULL,
        modified timestamptz NOT NULL DEFAULT now());
      CREATE TABLE gatehouse_store_meta (name text PRIMARY KEY, value text NOT NULL);
      CREATE FUNCTION gatehouse_store_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('gatehouse_store', CASE TG_OP WHEN 'DELETE' THEN OLD.key ELSE NEW.key END);
        RETURN NULL;
      END $$;
      CREATE TRIGGER gatehouse_store_changed AFTER INSERT OR UPDATE OR DELETE ON gatehouse_store
        FOR EACH ROW EXECUTE FUNCTION gatehouse_store_notify();
      """);

  /**
   * Brings the schema up to date; returns how many migrations this call applied. A schema already up to date
   * is only read, so after the first start the nodes need no right to create tables.
   */
  static int apply(Connection connection) throws SQLException {
    if (current(connection) >= MIGRATIONS.size()) {
      return 0;
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_NAMESPACE + ", 0)");
      statement.execute("CREATE TABLE IF NOT EXISTS gatehouse_schema (version integer PRIMARY KEY,"
          + " applied timestamptz NOT NULL DEFAULT now())");
      int current;
      try (ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0) FROM gatehouse_schema")) {
        rows.next();
        current = rows.getInt(1);
      }
      for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
        statement.execute(MIGRATIONS.get(version - 1));
        try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO gatehouse_schema (version) VALUES (?)")) {
          insert.setInt(1, version);
          insert.executeUpdate();
        }
      }
      connection.commit();
      return Math.max(0, MIGRATIONS.size() - current);
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }
}
