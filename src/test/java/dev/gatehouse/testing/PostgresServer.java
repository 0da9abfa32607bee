package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 ({@value #BIN}) in its own temp directory: initdb'd there, listening on 127.0.0.1 only
 * on a free port, its Unix socket in the directory too, password (SCRAM) authentication for everyone. It runs
 * as the unprivileged {@code postgres} user when the tests run as root (PostgreSQL refuses to run as root).
 * One test user {@value #USER} owns one database {@value #DATABASE}; {@link #createDatabase} makes more, empty,
 * for tests that need a fresh one. Share one server per test class:
 *
 * <pre>{@code
 * static PostgresServer postgres;
 * @BeforeAll static void start() { postgres = PostgresServer.startNew(); }
 * @AfterAll static void stop() { postgres.close(); }
 * }</pre>
 *
 * {@link #stop()} and {@link #start()} stop and restart the same server (same port, same data) for outage
 * tests; {@link #close()} stops it and deletes the directory.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String BIN = "/usr/lib/postgresql/15/bin";
  public static final String USER = "gatehouse";
  public static final String DATABASE = "gatehouse";
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static final String SUPERUSER = "postgres";
  private static final String SERVICE_ACCOUNT = "postgres";
  private static final boolean RUNNING_AS_ROOT = "root".equals(System.getProperty("user.name"));
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dir;
  private final int port;
  private final String password = randomPassword();
  private final String superuserPassword = randomPassword();
  private ManagedProcess process;

  private PostgresServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** initdb in a new directory, start, create the test user and database. */
  public static PostgresServer startNew() {
    PostgresServer server = new PostgresServer(TestDirs.newInstanceDir("postgres"), FreePorts.next());
    try {
      server.initdb();
      server.startServer();
      server.asSuperuser(
          "CREATE ROLE " + USER + " LOGIN PASSWORD '" + server.password + "'",
          "CREATE DATABASE " + DATABASE + " OWNER " + USER);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void initdb() {
    try {
      Files.createDirectories(dir.resolve("socket"));
      Path passwordFile = dir.resolve("superuser.pw");
      Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
      if (RUNNING_AS_ROOT) {
        giveToServiceAccount();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
    ManagedProcess.run(asServiceAccount(BIN + "/initdb", "-D", dataDir().toString(), "-U", SUPERUSER,
            "--pwfile=" + dir.resolve("superuser.pw"), "--auth=scram-sha-256", "--encoding=UTF8",
            "--locale=C", "--no-sync"),
        Map.of(), dir, Duration.ofSeconds(120)).orThrow("initdb " + dataDir());
  }

  private void giveToServiceAccount() throws IOException {
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    GroupPrincipal group = users.lookupPrincipalByGroupName(SERVICE_ACCOUNT);
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.toList()) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(SERVICE_ACCOUNT));
        view.setGroup(group);
      }
    }
  }

  /** Starts the server again after {@link #stop()}: same port, same data. Returns once it accepts logins. */
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException("PostgreSQL already runs on port " + port);
    }
    startServer();
  }

  private void startServer() {
    process = ManagedProcess.start("postgres", asServiceAccount(BIN + "/postgres", "-D", dataDir().toString(),
            "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=" + dir.resolve("socket"), "-c", "fsync=off",
            "-c", "max_connections=60", "-c", "log_connections=off"),
        Map.of(), dir, dir.resolve("postgres.log"));
    process.awaitReady("PostgreSQL accepting logins on 127.0.0.1:" + port, START_TIMEOUT, this::acceptsLogins);
  }

  private boolean acceptsLogins() {
    try (Connection connection = connect(SUPERUSER, superuserPassword, "postgres")) {
      return connection.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Stops the server (SIGINT: PostgreSQL's fast shutdown, which disconnects clients instead of waiting for
   * them as SIGTERM would) and waits for it to exit; the data stays for {@link #start()}.
   */
  public synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.signal("INT");
    if (!process.waitForExit(START_TIMEOUT)) {
      process.stop();
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Turns TLS on with {@code serverCertificate} (its chain and key written into the data directory, 0600) and
   * accepts TCP logins only over TLS ({@code hostssl} in pg_hba.conf), then reloads the configuration.
   */
  public void requireTls(TestCert serverCertificate) {
    Path data = dataDir();
    try {
      Files.writeString(data.resolve("server.crt"), serverCertificate.chainPem(), StandardCharsets.US_ASCII);
      Files.writeString(data.resolve("server.key"), Pems.toPem(serverCertificate.keyPair().getPrivate()),
          StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(data.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
      Files.writeString(data.resolve("postgresql.conf"),
          "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n", StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      Path hba = data.resolve("pg_hba.conf");
      Files.writeString(hba, Files.readString(hba, StandardCharsets.UTF_8).replaceAll("(?m)^host ", "hostssl "),
          StandardCharsets.UTF_8);
      if (RUNNING_AS_ROOT) {
        giveToServiceAccount();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure TLS in " + data, e);
    }
    asSuperuser("SELECT pg_reload_conf()");
  }

  /** A new empty database owned by {@value #USER}; returns its name. */
  public String createDatabase() {
    String name = "gatehouse_" + DATABASES.incrementAndGet();
    asSuperuser("CREATE DATABASE " + name + " OWNER " + USER);
    return name;
  }

  /** Runs each statement as the superuser in the {@code postgres} database (roles, databases, pg_terminate_backend). */
  public void asSuperuser(String... statements) {
    try (Connection connection = connect(SUPERUSER, superuserPassword, "postgres");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("as superuser: " + String.join("; ", statements) + ": " + e.getMessage(), e);
    }
  }

  /** Ends every connection of {@value #USER} to {@code database}, as a crash of the client's host would. */
  public void terminateConnections(String database) {
    asSuperuser("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + USER
        + "' AND datname = '" + database + "'");
  }

  /** A JDBC connection as {@value #USER} to {@code database}, for tests that look at the tables themselves. */
  public Connection connect(String database) throws SQLException {
    return connect(USER, password, database);
  }

  private Connection connect(String user, String pw, String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", pw);
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("socketTimeout", "30");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
  }

  /** {@code postgresql://gatehouse@127.0.0.1:PORT/DATABASE}: the {@code --store} value, password not in it. */
  public String storeUrl(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** The test user's password, for {@code PGPASSWORD}, a {@code .pgpass} or a {@code password_file}. */
  public String password() {
    return password;
  }

  /** The directory that holds the data, the socket and {@code postgres.log}. */
  public Path dir() {
    return dir;
  }

  /** The server's own log so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("postgres.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path dataDir() {
    return dir.resolve("data");
  }

  private static List<String> asServiceAccount(String... command) {
    List<String> full = new ArrayList<>();
    if (RUNNING_AS_ROOT) {
      // setpriv execs the command itself (no su session in between), so signals reach PostgreSQL directly.
      full.addAll(List.of("setpriv", "--reuid=" + SERVICE_ACCOUNT, "--regid=" + SERVICE_ACCOUNT,
          "--init-groups", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static String randomPassword() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public synchronized void close() {
    stop();
    TestDirs.deleteUnlessKept(dir);
  }

  @Override
  public String toString() {
    return "PostgresServer[127.0.0.1:" + port + ", " + dir + "]";
  }
}
