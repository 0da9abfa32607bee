package dev.gatehouse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link Storage} in a PostgreSQL database shared by the nodes of one site: certificates, keys, accounts,
 * challenge answers and state in one table ({@link SchemaMigrations}), secrets sealed with the {@link StoreKey}
 * that only the nodes hold. Locks are session advisory locks on a connection of their own, so PostgreSQL
 * releases them when the holder's process or connection dies. Watches hear of changes by LISTEN/NOTIFY, with a
 * check every {@link #WATCH_PERIOD} in case a notification was missed (a dropped LISTEN connection).
 *
 * <p>When the database is unreachable, calls fail within a few seconds with {@link
 * StorageUnavailableException}, except {@link #load} and {@link #list}, which answer from the {@link
 * LastServedCopy} under the state dir, saying so once per outage.
 */
public final class PostgresStorage implements Storage, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PostgresStorage.class.getName());

  /** The periodic check behind LISTEN/NOTIFY: every node sees a change within this, plus one query. */
  static final Duration WATCH_PERIOD = Duration.ofSeconds(3);

  /** Where the last-served copy lives under the state dir. */
  public static final String LAST_SERVED_DIR = "last-served";

  private static final String KEY_FINGERPRINT = "store_key_fingerprint";

  private final PostgresLocation location;
  private final Path keyFile;
  private final Path copyDir;
  private final OutageLog outages;
  private final PostgresConnections connections;
  private final PostgresNotifications notifications;
  private volatile StoreKey key;
  private volatile LastServedCopy copy;
  private final AtomicBoolean copyFailing = new AtomicBoolean();
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

  private PostgresStorage(PostgresLocation location, String password, Path keyFile, Path copyDir) {
    this.location = location;
    this.keyFile = keyFile;
    this.copyDir = copyDir;
    this.outages = new OutageLog(location.toString());
    this.connections = new PostgresConnections(location, password, outages, this::prepare);
    this.notifications = new PostgresNotifications(connections, location.toString());
  }

  /**
   * Opens the store: applies the schema and checks the key file against the key the store was written with.
   * Without a key file and with no secret in the store yet, creates the key file (0600) and says how to copy
   * it. With the database unreachable but a key file present, opens anyway and serves the last-served copy.
   *
   * @param password from {@link PostgresPassword}; empty when the server asks for none
   * @param stateDir this node's state dir, for the last-served copy
   * @throws StoreKeyException for a missing, unreadable or wrong key file
   * @throws StorageUnavailableException when the database is unreachable and there is no key file yet
   */
  public static PostgresStorage open(PostgresLocation location, Optional<String> password, Path keyFile,
      Path stateDir) throws IOException {
    PostgresStorage storage =
        new PostgresStorage(location, password.orElse(""), keyFile, stateDir.resolve(LAST_SERVED_DIR));
    try {
      if (Files.exists(keyFile)) {
        storage.useKey(StoreKey.read(keyFile));
      }
      storage.connections.run(connection -> null);
      return storage;
    } catch (StorageUnavailableException e) {
      if (storage.key == null) {
        storage.close();
        throw new StorageUnavailableException(e.getMessage() + " (a first start needs it, to create or check"
            + " the store key " + keyFile + ")", e);
      }
      return storage;
    } catch (IOException | RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  /** Schema and key check, on the first connection that reaches the database. */
  private void prepare(Connection connection) throws SQLException, IOException {
    SchemaMigrations.apply(connection);
    Optional<String> stored = fingerprint(connection);
    if (key == null) {
      if (stored.isPresent()) {
        throw new StoreKeyException(keyFile, "does not exist, and the store at " + location + " was written with"
            + " a key (fingerprint " + stored.get() + "): copy the key file from a node that has it");
      }
      useKey(StoreKey.create(keyFile));
      LOG.log(System.Logger.Level.WARNING, "storage: created the store key " + keyFile + " (mode 0600,"
          + " fingerprint " + key.fingerprint() + "); every node of this site needs the same file: copy it before"
          + " starting another, e.g. scp -p " + keyFile + " OTHER-NODE:" + keyFile);
    }
    if (stored.isEmpty()) {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + SchemaMigrations.META
          + " (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
        insert.setString(1, KEY_FINGERPRINT);
        insert.setString(2, key.fingerprint());
        insert.executeUpdate();
      }
      stored = fingerprint(connection);
    }
    if (!stored.orElseThrow().equals(key.fingerprint())) {
      throw new StoreKeyException(keyFile, "is not the key the store at " + location + " was written with"
          + " (fingerprint " + key.fingerprint() + ", the store's " + stored.get() + "): copy the key file from a"
          + " node that has the right one");
    }
  }

  private void useKey(StoreKey storeKey) throws IOException {
    key = storeKey;
    copy = new LastServedCopy(copyDir, storeKey);
  }

  private static Optional<String> fingerprint(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT value FROM " + SchemaMigrations.META + " WHERE name = ?")) {
      select.setString(1, KEY_FINGERPRINT);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  public PostgresLocation location() {
    return location;
  }

  /** The store key file this storage seals secrets with. */
  public Path keyFile() {
    return keyFile;
  }

  @Override
  public Optional<byte[]> load(String storageKey) throws IOException {
    FileStorage.segments(storageKey);
    Optional<byte[]> value;
    try {
      value = connections.run(connection -> select(connection, storageKey));
    } catch (StorageUnavailableException e) {
      Optional<byte[]> copied = copy == null ? Optional.empty() : copy.recall(storageKey);
      if (copied.isEmpty()) {
        throw e;
      }
      outages.servingFromCopy(copy.dir());
      return copied;
    }
    keepCopy(storageKey, value);
    return value;
  }

  /**
   * Brings the last-served copy of {@code storageKey} up to date. A local disk that refuses must not fail a
   * read or write the database did: the copy is for outages, so this says so once and carries on.
   */
  private void keepCopy(String storageKey, Optional<byte[]> value) {
    try {
      if (value.isPresent()) {
        copy.remember(storageKey, value.get());
      } else {
        copy.forget(storageKey);
      }
      copyFailing.set(false);
    } catch (IOException | RuntimeException e) {
      if (copyFailing.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "storage: cannot keep the local copy in " + copy.dir() + " ("
            + e.getMessage() + "); a restart while PostgreSQL is down would not find " + storageKey);
      }
    }
  }

  private Optional<byte[]> select(Connection connection, String storageKey) throws SQLException, IOException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT value, secret FROM " + SchemaMigrations.TABLE + " WHERE key = ?")) {
      select.setString(1, storageKey);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        byte[] value = rows.getBytes(1);
        return Optional.of(rows.getBoolean(2) ? key.open(storageKey, value) : value);
      }
    }
  }

  /** Every key in the store with whether it is a secret, for {@link StoreCopy}. */
  Map<String, Boolean> keysWithSecrecy() throws IOException {
    return connections.run(connection -> {
      try (PreparedStatement select =
          connection.prepareStatement("SELECT key, secret FROM " + SchemaMigrations.TABLE + " ORDER BY key");
          ResultSet rows = select.executeQuery()) {
        Map<String, Boolean> keys = new java.util.LinkedHashMap<>();
        while (rows.next()) {
          keys.put(rows.getString(1), rows.getBoolean(2));
        }
        return keys;
      }
    });
  }

  @Override
  public void store(String storageKey, byte[] data, boolean secret) throws IOException {
    FileStorage.segments(storageKey);
    connections.run(connection -> {
      byte[] stored = secret ? key.seal(storageKey, data) : data;
      try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + SchemaMigrations.TABLE
          + " (key, value, secret, version) VALUES (?, ?, ?, nextval('gatehouse_store_version'))"
          + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, secret = EXCLUDED.secret,"
          + " version = EXCLUDED.version, modified = now()")) {
        upsert.setString(1, storageKey);
        upsert.setBytes(2, stored);
        upsert.setBoolean(3, secret);
        return upsert.executeUpdate();
      }
    });
    keepCopy(storageKey, Optional.of(data));
  }

  @Override
  public void delete(String storageKey) throws IOException {
    FileStorage.segments(storageKey);
    connections.run(connection -> {
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM " + SchemaMigrations.TABLE + " WHERE key = ?")) {
        delete.setString(1, storageKey);
        return delete.executeUpdate();
      }
    });
    keepCopy(storageKey, Optional.empty());
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    String normalized = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    try {
      TreeSet<String> children = new TreeSet<>();
      for (String storageKey : versions(normalized).keySet()) {
        int slash = storageKey.indexOf('/', normalized.length());
        children.add(slash < 0 ? storageKey : storageKey.substring(0, slash + 1));
      }
      return List.copyOf(children);
    } catch (StorageUnavailableException e) {
      if (copy == null) {
        throw e;
      }
      outages.servingFromCopy(copy.dir());
      return copy.list(normalized);
    }
  }

  /** Key → version of every key under {@code prefix}, at any depth. */
  private Map<String, String> versions(String prefix) throws IOException {
    return connections.run(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT key, version FROM " + SchemaMigrations.TABLE + " WHERE starts_with(key, ?)")) {
        select.setString(1, prefix);
        Map<String, String> versions = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            versions.put(rows.getString(1), rows.getString(2));
          }
        }
        return versions;
      }
    });
  }

  /**
   * {@inheritDoc} Here a session advisory lock ({@code pg_try_advisory_lock}) keyed by Gatehouse's namespace
   * and {@code hashtext(name)}, on a connection held until {@link Lock#close()}: if this process dies or its
   * connection is cut, PostgreSQL ends the session and the lock is free. The other side of that: a holder
   * whose connection is cut (the database restarted) has lost the lock without being told, so what it guards
   * must stay safe to do twice (an ACME order for the same names is). Two names with the same 32-bit hash
   * share a lock, which only makes one wait for the other.
   */
  @Override
  public Lock lock(String name, Duration maxWait) throws IOException {
    long deadline = LockWait.deadline(maxWait);
    Connection connection = connections.openDedicated();
    try {
      return LockWait.until(deadline, name, maxWait, () -> tryLock(connection, name));
    } catch (IOException | RuntimeException e) {
      PostgresConnections.closeQuietly(connection);
      throw e;
    }
  }

  private Lock tryLock(Connection connection, String name) throws IOException {
    try (PreparedStatement lock = connection.prepareStatement(
        "SELECT pg_try_advisory_lock(" + SchemaMigrations.LOCK_NAMESPACE + ", hashtext(?))")) {
      lock.setString(1, name);
      try (ResultSet rows = lock.executeQuery()) {
        rows.next();
        return rows.getBoolean(1) ? new SessionLock(connection) : null;
      }
    } catch (SQLException e) {
      throw connections.translate(e);
    }
  }

  /** Held for as long as its connection is open; closing the connection ends the session and the lock. */
  private static final class SessionLock implements Lock {
    private final Connection connection;
    private final AtomicBoolean open = new AtomicBoolean(true);

    SessionLock(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        PostgresConnections.closeQuietly(connection);
      }
    }
  }

  @Override
  public Subscription watch(String under, Consumer<String> changedKey) throws IOException {
    String prefix = under.isEmpty() || under.endsWith("/") ? under : under + "/";
    PollingWatch polling = PollingWatch.start("storage-watch " + prefix, WATCH_PERIOD, () -> versions(prefix),
        changedKey);
    PostgresNotifications.Listener listener =
        new PostgresNotifications.Listener(prefix, key -> polling.execute(() -> changedKey.accept(key)));
    notifications.add(listener);
    Subscription subscription = new Subscription() {
      @Override
      public void close() {
        subscriptions.remove(this);
        notifications.remove(listener);
        polling.close();
      }
    };
    subscriptions.add(subscription);
    return subscription;
  }

  /** Ends every watch, then the LISTEN and pooled connections; held locks keep their own until closed. */
  @Override
  public void close() {
    List.copyOf(subscriptions).forEach(Subscription::close);
    notifications.close();
    connections.close();
  }

  /** {@code postgresql://USER@HOST:PORT/DB}: where this store is, for messages; no password. */
  @Override
  public String toString() {
    return "postgresql://" + location;
  }
}
