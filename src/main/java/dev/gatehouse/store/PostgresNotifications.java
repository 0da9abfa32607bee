package dev.gatehouse.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTENs on the store's channel on a connection of its own and hands each changed key to the watches whose
 * prefix it falls under, within a moment of the commit. Runs on one daemon thread; when the connection drops it
 * reconnects with backoff (up to {@value #MAX_BACKOFF_MILLIS} ms), while the watches' periodic checks cover
 * what it misses meanwhile.
 */
final class PostgresNotifications implements AutoCloseable {

  static final int WAIT_MILLIS = 1000;
  static final long MAX_BACKOFF_MILLIS = 5000;

  /** One watch's interest: keys under {@code prefix} go to {@code deliver}. */
  record Listener(String prefix, Consumer<String> deliver) {}

  private final PostgresConnections connections;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean closed;

  PostgresNotifications(PostgresConnections connections, String where) {
    this.connections = connections;
    this.thread = new Thread(this::listen, "storage-notifications " + where);
    this.thread.setDaemon(true);
  }

  synchronized void add(Listener listener) {
    listeners.add(listener);
    if (!thread.isAlive() && !closed) {
      thread.start();
    }
  }

  void remove(Listener listener) {
    listeners.remove(listener);
  }

  private void listen() {
    long backoff = 100;
    while (!closed) {
      try (Connection connection = connections.openDedicated()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + SchemaMigrations.CHANNEL);
        }
        backoff = 100;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              dispatch(notification.getParameter());
            }
          }
        }
      } catch (IOException | SQLException e) {
        if (e instanceof SQLException sql) {
          connections.translate(sql);
        }
        sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private void dispatch(String key) {
    for (Listener listener : listeners) {
      if (key.startsWith(listener.prefix())) {
        listener.deliver().accept(key);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
