package dev.gatehouse.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small pool of connections to the store's database ({@value #SIZE}: a node makes a few short queries at
 * a time) plus dedicated connections for locks and LISTEN. Reaching the server is bounded by {@value
 * #CONNECT_TIMEOUT_SECONDS} s, the whole login (TLS, SCRAM, in a JVM that may still be loading the driver) by
 * {@value #LOGIN_TIMEOUT_SECONDS} s, and every read by {@value #SOCKET_TIMEOUT_SECONDS} s. During an outage at most
 * one call per {@value #RETRY_MILLIS} ms tries to connect; the others fail at once with {@link
 * StorageUnavailableException}, so callers never queue behind a dead database.
 */
final class PostgresConnections implements AutoCloseable {

  static final int SIZE = 4;
  static final int CONNECT_TIMEOUT_SECONDS = 5;
  static final int LOGIN_TIMEOUT_SECONDS = 10;
  static final int SOCKET_TIMEOUT_SECONDS = 10;
  static final long RETRY_MILLIS = 1000;
  private static final long IDLE_CHECK_MILLIS = 30_000;

  /** Work on a borrowed connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException, IOException;
  }

  /** Called on every new connection before it is used (schema, key check), until it has succeeded once. */
  @FunctionalInterface
  interface FirstUse {
    void prepare(Connection connection) throws SQLException, IOException;
  }

  private final PostgresLocation location;
  private final Properties properties;
  private final OutageLog outages;
  private final Semaphore permits = new Semaphore(SIZE);
  private final Deque<Idle> idle = new ArrayDeque<>();
  private final FirstUse firstUse;
  private volatile boolean prepared;
  private long lastAttempt;

  private record Idle(Connection connection, long since) {}

  PostgresConnections(PostgresLocation location, String password, OutageLog outages, FirstUse firstUse) {
    this.location = location;
    this.properties = location.driverProperties(password, CONNECT_TIMEOUT_SECONDS, LOGIN_TIMEOUT_SECONDS,
        SOCKET_TIMEOUT_SECONDS);
    this.outages = outages;
    this.firstUse = firstUse;
  }

  /**
   * Runs {@code work} on a pooled connection; a connection that failed is closed, not returned. Every use of
   * the store is idempotent (a read, an upsert, a delete), so when a connection that waited in the pool turns
   * out to be dead (the server restarted since), the idle ones are dropped and {@code work} runs once more on
   * a new connection instead of failing a call while the database is up.
   */
  <T> T run(Work<T> work) throws IOException {
    acquire();
    try {
      Connection connection = take();
      boolean reused = connection != null;
      if (!reused) {
        connection = connect();
      }
      try {
        return runOn(connection, work);
      } catch (SQLException e) {
        if (!reused || !isConnectionFailure(e)) {
          throw translate(e);
        }
        dropIdle();
        try {
          return runOn(connect(), work);
        } catch (SQLException again) {
          throw translate(again);
        }
      }
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      permits.release();
    }
  }

  private <T> T runOn(Connection connection, Work<T> work) throws SQLException, IOException {
    try {
      T result = work.run(connection);
      outages.reachable();
      release(connection);
      return result;
    } catch (SQLException | IOException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static boolean isConnectionFailure(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return state.isEmpty() || state.startsWith("08") || state.startsWith("57P");
  }

  /** A connection of its own, for a session that outlives one call (an advisory lock, LISTEN). */
  Connection openDedicated() throws IOException {
    try {
      Connection connection = connect();
      outages.reachable();
      return connection;
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Turns a driver failure into an {@link IOException} with one line: {@link StorageUnavailableException} when
   * the database could not be reached (connection classes 08 and 57P of PostgreSQL's SQLSTATE codes, Appendix
   * A), which also starts the outage log.
   */
  IOException translate(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String reason = firstLine(e.getMessage());
    if (isConnectionFailure(e)) {
      outages.unreachable(reason);
      return new StorageUnavailableException("PostgreSQL at " + location + " is unreachable: " + reason, e);
    }
    if (state.startsWith("28")) {
      return new IOException("PostgreSQL at " + location + " refused the login: " + reason + " (expected: the"
          + " password in PGPASSWORD, ~/.pgpass or the TOML's password_file)", e);
    }
    return new IOException("PostgreSQL at " + location + ": " + reason, e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }

  private void acquire() throws IOException {
    try {
      if (!permits.tryAcquire(CONNECT_TIMEOUT_SECONDS + SOCKET_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("PostgreSQL at " + location + ": all " + SIZE + " connections stayed busy");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a connection to " + location);
    }
  }

  /** An idle connection that is fresh or still answers, or {@code null} when there is none. */
  private Connection take() throws SQLException {
    Idle candidate;
    while ((candidate = poll()) != null) {
      boolean fresh = System.currentTimeMillis() - candidate.since() < IDLE_CHECK_MILLIS;
      if (fresh || candidate.connection().isValid(CONNECT_TIMEOUT_SECONDS)) {
        return candidate.connection();
      }
      closeQuietly(candidate.connection());
    }
    return null;
  }

  private synchronized void dropIdle() {
    idle.forEach(i -> closeQuietly(i.connection()));
    idle.clear();
  }

  private synchronized Idle poll() {
    return idle.pollFirst();
  }

  private synchronized void release(Connection connection) {
    idle.addFirst(new Idle(connection, System.currentTimeMillis()));
  }

  private Connection connect() throws SQLException, IOException {
    synchronized (this) {
      long now = System.nanoTime();
      if (outages.isDown() && now - lastAttempt < TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS)) {
        throw new StorageUnavailableException("PostgreSQL at " + location + " is unreachable (retrying every "
            + RETRY_MILLIS + " ms)", null);
      }
      lastAttempt = now;
    }
    Connection connection = DriverManager.getConnection(location.jdbcUrl(), properties);
    if (!prepared) {
      try {
        firstUse.prepare(connection);
        prepared = true;
      } catch (SQLException | IOException | RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
    }
    return connection;
  }

  static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing a broken connection can fail; it is gone either way.
    }
  }

  @Override
  public void close() {
    dropIdle();
  }
}
