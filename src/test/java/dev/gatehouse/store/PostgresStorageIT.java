package dev.gatehouse.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresStorageIT {

  private static final String KEY_PEM =
      "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDu6tnSzVgHvP8x2Hcyy8iGd0wSQzDe0Fp5u1Q6GxV+R\n-----END PRIVATE KEY-----\n";

  private static PostgresServer postgres;

  @TempDir Path tmp;

  private final List<PostgresStorage> opened = new ArrayList<>();

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.startNew();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @AfterEach
  void closeStorages() {
    opened.forEach(PostgresStorage::close);
  }

  private PostgresStorage open(String database, Path keyFile, Path stateDir) throws Exception {
    PostgresStorage storage = PostgresStorage.open(PostgresLocation.parse(postgres.storeUrl(database)),
        Optional.of(postgres.password()), keyFile, stateDir);
    opened.add(storage);
    return storage;
  }

  private PostgresStorage open(String database) throws Exception {
    return open(database, tmp.resolve("store.key"), tmp.resolve("state"));
  }

  /** Another node of the same site: same store key, its own state dir. */
  private PostgresStorage secondNode(String database) throws Exception {
    return open(database, tmp.resolve("store.key"), tmp.resolve("node2"));
  }

  @Test
  void nodesStartingAtOnceOnAnEmptyDatabaseApplyTheSchemaOnce() throws Exception {
    String database = postgres.createDatabase();
    Path keyFile = tmp.resolve("store.key");
    StoreKey.create(keyFile);
    int nodes = 4;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<PostgresStorage>> started = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        Path state = tmp.resolve("node" + i);
        started.add(pool.submit(() -> {
          go.await();
          return open(database, keyFile, state);
        }));
      }
      go.countDown();
      for (Future<PostgresStorage> node : started) {
        node.get(60, TimeUnit.SECONDS).store("state/hsts.json", "{}".getBytes(UTF_8), false);
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection connection = postgres.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version FROM gatehouse_schema ORDER BY version")) {
      List<Integer> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
      assertThat(versions).hasSize(SchemaMigrations.MIGRATIONS.size()).startsWith(1);
    }
  }

  @Test
  void onceMigratedTheStoreNeedsOnlyReadAndWriteRights() throws Exception {
    String database = postgres.createDatabase();
    open(database).store("live/a.example/cert.pem", "by the owner".getBytes(UTF_8), false);
    postgres.asSuperuser(
        "CREATE ROLE gatehouse_app_" + database + " LOGIN PASSWORD 'app-password'",
        "GRANT CONNECT ON DATABASE " + database + " TO gatehouse_app_" + database);
    try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement()) {
      statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON gatehouse_store, gatehouse_store_meta,"
          + " gatehouse_schema TO gatehouse_app_" + database);
      statement.execute("GRANT USAGE ON SEQUENCE gatehouse_store_version TO gatehouse_app_" + database);
    }
    PostgresStorage app = PostgresStorage.open(
        PostgresLocation.parse("postgresql://gatehouse_app_" + database + "@127.0.0.1:" + postgres.port() + "/"
            + database),
        Optional.of("app-password"), tmp.resolve("store.key"), tmp.resolve("app-state"));
    opened.add(app);
    app.store("live/a.example/privkey.pem", KEY_PEM.getBytes(UTF_8), true);
    assertThat(app.load("live/a.example/cert.pem")).map(b -> new String(b, UTF_8)).contains("by the owner");
  }

  @Test
  void storesLoadsListsAndDeletes() throws Exception {
    PostgresStorage storage = open(postgres.createDatabase());
    storage.store("live/a.example/fullchain.pem", "chain-a".getBytes(UTF_8), false);
    storage.store("live/a.example/privkey.pem", KEY_PEM.getBytes(UTF_8), true);
    storage.store("live/b.example/fullchain.pem", "chain-b".getBytes(UTF_8), false);
    storage.store("live/readme", "r".getBytes(UTF_8), false);
    storage.store("live/a.example/fullchain.pem", "chain-a2".getBytes(UTF_8), false);

    assertThat(storage.load("live/a.example/fullchain.pem")).map(b -> new String(b, UTF_8)).contains("chain-a2");
    assertThat(storage.load("live/a.example/privkey.pem")).map(b -> new String(b, UTF_8)).contains(KEY_PEM);
    assertThat(storage.load("live/nothing/cert.pem")).isEmpty();
    assertThat(storage.list("live/")).containsExactly("live/a.example/", "live/b.example/", "live/readme");
    assertThat(storage.list("live")).containsExactly("live/a.example/", "live/b.example/", "live/readme");
    assertThat(storage.list("live/a.example/"))
        .containsExactly("live/a.example/fullchain.pem", "live/a.example/privkey.pem");
    assertThat(storage.list("")).containsExactly("live/");

    storage.delete("live/b.example/fullchain.pem");
    storage.delete("live/b.example/fullchain.pem");
    assertThat(storage.load("live/b.example/fullchain.pem")).isEmpty();
    assertThat(storage.list("live/")).containsExactly("live/a.example/", "live/readme");
    assertThatThrownBy(() -> storage.store("../x", new byte[0], false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretsAreSealedInTheTableAndOpenOnlyWithTheStoreKey() throws Exception {
    String database = postgres.createDatabase();
    Path keyFile = tmp.resolve("store.key");
    PostgresStorage storage = open(database, keyFile, tmp.resolve("state"));
    assertThat(PosixPermissions.of(keyFile)).isEqualTo("rw-------");
    storage.store("live/a.example/privkey.pem", KEY_PEM.getBytes(UTF_8), true);
    storage.store("live/a.example/cert.pem", "public".getBytes(UTF_8), false);

    try (Connection connection = postgres.connect(database);
        PreparedStatement select = connection.prepareStatement("SELECT key, value FROM gatehouse_store")) {
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String raw = new String(rows.getBytes(2), UTF_8);
          if (rows.getString(1).endsWith("privkey.pem")) {
            assertThat(raw).doesNotContain("BEGIN").doesNotContain("MC4CAQAwBQYDK2VwBCIEIDu6tnSzVgHvP8x2");
          } else {
            assertThat(raw).isEqualTo("public");
          }
        }
      }
      // A sealed row copied under another key must not open there: the key name is the associated data.
      try (Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO gatehouse_store (key, value, secret, version) SELECT"
            + " 'live/b.example/privkey.pem', value, true, 0 FROM gatehouse_store"
            + " WHERE key = 'live/a.example/privkey.pem'");
      }
    }
    assertThatThrownBy(() -> storage.load("live/b.example/privkey.pem"))
        .isInstanceOf(StoreKeyException.class)
        .hasMessageContaining("does not decrypt 'live/b.example/privkey.pem'");

    Path otherKey = tmp.resolve("other.key");
    StoreKey.create(otherKey);
    assertThatThrownBy(() -> open(database, otherKey, tmp.resolve("other-state")))
        .isInstanceOf(StoreKeyException.class)
        .hasMessageStartingWith("store key file " + otherKey + " is not the key the store at ")
        .hasMessageNotContaining("\n");
    Path missing = tmp.resolve("missing.key");
    assertThatThrownBy(() -> open(database, missing, tmp.resolve("missing-state")))
        .isInstanceOf(StoreKeyException.class)
        .hasMessageStartingWith("store key file " + missing + " does not exist");
    assertThat(missing).doesNotExist();

    assertThat(open(database, keyFile, tmp.resolve("second-node")).load("live/a.example/privkey.pem"))
        .map(b -> new String(b, UTF_8)).contains(KEY_PEM);
  }

  @Test
  void aLockExcludesOtherConnectionsUntilItsHoldersSessionDies() throws Exception {
    String database = postgres.createDatabase();
    PostgresStorage first = open(database);
    PostgresStorage second = secondNode(database);
    Storage.Lock held = first.lock("cert-example.com", Duration.ofSeconds(5));
    assertThatThrownBy(() -> second.lock("cert-example.com", Duration.ofMillis(300)))
        .isInstanceOf(LockTimeoutException.class)
        .hasMessage("lock 'cert-example.com' is still held by another process after waiting 300 ms");
    second.lock("cert-other.example", Duration.ofSeconds(5)).close();

    // The holder's session ends as if its host had crashed: PostgreSQL frees the lock, nobody closed it.
    postgres.terminateConnections(database);
    second.lock("cert-example.com", Duration.ofSeconds(30)).close();
    held.close();
  }

  @Test
  void aLockHeldByAProcessKilledWithSigkillIsFree() throws Exception {
    String database = postgres.createDatabase();
    PostgresStorage storage = open(database);
    Process holder = StorageChild.start(java.util.Map.of("PGPASSWORD", postgres.password()), "hold-postgres-lock",
        postgres.storeUrl(database), tmp.resolve("holder").toString(), tmp.resolve("store.key").toString(),
        "cert-example.com");
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> storage.lock("cert-example.com", Duration.ofMillis(300)))
          .isInstanceOf(LockTimeoutException.class);
      holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      storage.lock("cert-example.com", Duration.ofSeconds(30)).close();
    } finally {
      holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReleasedLockIsTakenByTheNextWaiter() throws Exception {
    String database = postgres.createDatabase();
    PostgresStorage first = open(database);
    PostgresStorage second = secondNode(database);
    Storage.Lock held = first.lock("account-ca", Duration.ofSeconds(5));
    CompletableFuture<Storage.Lock> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return second.lock("account-ca", Duration.ofSeconds(60));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    held.close();
    waiting.get(60, TimeUnit.SECONDS).close();
  }

  @Test
  void aWatchSeesAnotherNodesChanges() throws Exception {
    String database = postgres.createDatabase();
    PostgresStorage watched = open(database);
    PostgresStorage writer = secondNode(database);
    BlockingQueue<String> changed = new LinkedBlockingQueue<>();
    Storage.Subscription subscription = watched.watch("challenges/http-01/", changed::add);
    try {
      writer.store("state/hsts.json", "{}".getBytes(UTF_8), false);
      writer.store("challenges/http-01/tok", "tok.thumb".getBytes(UTF_8), false);
      assertThat(changed.poll(5, TimeUnit.SECONDS)).isEqualTo("challenges/http-01/tok");
      writer.delete("challenges/http-01/tok");
      String next = changed.poll(5, TimeUnit.SECONDS);
      while ("challenges/http-01/tok".equals(next) && writer.load("challenges/http-01/tok").isPresent()) {
        next = changed.poll(5, TimeUnit.SECONDS);
      }
      assertThat(next).isEqualTo("challenges/http-01/tok");
      assertThat(watched.load("challenges/http-01/tok")).isEmpty();
    } finally {
      subscription.close();
    }
    assertThat(changed).allMatch(key -> key.startsWith("challenges/http-01/"));
  }

  @Test
  void aWatchStillSeesChangesWhenNoNotificationArrives() throws Exception {
    String database = postgres.createDatabase();
    PostgresStorage watched = open(database);
    try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE gatehouse_store DISABLE TRIGGER gatehouse_store_changed");
    }
    BlockingQueue<String> changed = new LinkedBlockingQueue<>();
    Storage.Subscription subscription = watched.watch("live/", changed::add);
    try {
      secondNode(database)
          .store("live/a.example/fullchain.pem", "new".getBytes(UTF_8), false);
      assertThat(changed.poll(5, TimeUnit.SECONDS)).isEqualTo("live/a.example/fullchain.pem");
    } finally {
      subscription.close();
    }
  }

  @Test
  void aRestartOfTheDatabaseBetweenTwoCallsFailsNeitherCall() throws Exception {
    PostgresStorage storage = open(postgres.createDatabase());
    storage.store("state/hsts.json", "1".getBytes(UTF_8), false);
    postgres.stop();
    postgres.start();
    // The pooled connection died with the old server; the call gets a new one instead of failing.
    storage.store("state/hsts.json", "2".getBytes(UTF_8), false);
    assertThat(storage.load("state/hsts.json")).map(b -> new String(b, UTF_8)).contains("2");
  }

  @Test
  void withTheDatabaseStoppedLoadsComeFromTheLocalCopyAndSaySo() throws Exception {
    String database = postgres.createDatabase();
    Path keyFile = tmp.resolve("store.key");
    Path state = tmp.resolve("state");
    PostgresStorage storage = open(database, keyFile, state);
    storage.store("live/a.example/fullchain.pem", "chain".getBytes(UTF_8), false);
    storage.store("live/a.example/privkey.pem", KEY_PEM.getBytes(UTF_8), true);
    assertThat(storage.load("live/a.example/fullchain.pem")).isPresent();
    // The copy is sealed too: a stolen state dir gives no private key.
    for (Path file : Files.walk(state.resolve(PostgresStorage.LAST_SERVED_DIR)).filter(Files::isRegularFile).toList()) {
      assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("BEGIN");
    }

    LogLines log = LogLines.capture();
    try {
      postgres.stop();
      assertThat(storage.load("live/a.example/privkey.pem")).map(b -> new String(b, UTF_8)).contains(KEY_PEM);
      assertThat(storage.load("live/a.example/fullchain.pem")).map(b -> new String(b, UTF_8)).contains("chain");
      assertThat(storage.list("live/")).containsExactly("live/a.example/");
      assertThatThrownBy(() -> storage.store("state/hsts.json", new byte[1], false))
          .isInstanceOf(StorageUnavailableException.class);
      assertThatThrownBy(() -> storage.lock("x", Duration.ofSeconds(1)))
          .isInstanceOf(StorageUnavailableException.class);
      assertThatThrownBy(() -> storage.load("live/never-read/cert.pem"))
          .isInstanceOf(StorageUnavailableException.class);

      // A node restarted during the outage still serves what it last served.
      PostgresStorage restarted = open(database, keyFile, state);
      assertThat(restarted.load("live/a.example/fullchain.pem")).map(b -> new String(b, UTF_8)).contains("chain");

      postgres.start();
      // During an outage a storage tries to reconnect at most once a second; the next try gets through.
      untilReachable(() -> storage.store("state/hsts.json", "{}".getBytes(UTF_8), false));
      untilReachable(() -> restarted.store("state/hsts.json", "{}".getBytes(UTF_8), false));
    } finally {
      if (!postgres.isRunning()) {
        postgres.start();
      }
      log.close();
    }
    assertThat(log.matching(" is unreachable (")).hasSize(2);
    assertThat(log.matching("reading from the local copy in " + state.resolve(PostgresStorage.LAST_SERVED_DIR)))
        .hasSize(2);
    assertThat(log.matching("is reachable again after")).hasSize(2);
    assertThat(log.all()).noneMatch(line -> line.contains("Exception") || line.contains("\tat "));
  }

  private interface StorageCall {
    void run() throws java.io.IOException;
  }

  private static void untilReachable(StorageCall call) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        call.run();
        return;
      } catch (StorageUnavailableException e) {
        if (attempt == 30) {
          throw e;
        }
        Thread.sleep(PostgresConnections.RETRY_MILLIS);
      }
    }
  }

  /** The store's log lines while captured: one storage instance logs one outage once. */
  static final class LogLines extends Handler implements AutoCloseable {
    private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(PostgresStorage.class.getName());

    static LogLines capture() {
      LogLines log = new LogLines();
      log.logger.addHandler(log);
      return log;
    }

    @Override
    public void publish(LogRecord record) {
      lines.add(record.getLevel() + " " + record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
    }

    List<String> matching(String part) {
      return lines.stream().filter(line -> line.contains(part)).toList();
    }

    List<String> all() {
      return List.copyOf(lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  /** Mode of a file as {@code rw-------}. */
  static final class PosixPermissions {
    static String of(Path file) throws Exception {
      return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
  }
}
