package dev.gatehouse.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.PostgresServer;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --store}, {@code --store-key-file}, the password sources and {@code store copy}, in real processes. */
class SharedStoreIT {

  private static final Duration RUN = Duration.ofSeconds(60);
  private static final List<String> PEMS = List.of("cert.pem", "chain.pem", "fullchain.pem", "privkey.pem");

  private static PostgresServer postgres;

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.startNew();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private ManagedProcess.Result gatehouse(Map<String, String> env, String... args) {
    Map<String, String> environment = new HashMap<>();
    environment.put("PGPASSWORD", null);
    environment.put("PGPASSFILE", null);
    environment.put("HOME", tmp.resolve("empty-home").toString());
    environment.putAll(env);
    return GatehouseProcess.run(tmp, environment, RUN, List.of(args));
  }

  private Map<String, String> pgpassword() {
    return Map.of("PGPASSWORD", postgres.password());
  }

  /** certbot's /etc/letsencrypt: live/NAME/*.pem are symlinks into archive/NAME/*1.pem; keys 0600. */
  private Path certbotLayout(String name) throws Exception {
    Path le = tmp.resolve("letsencrypt");
    TestCert ca = TestCerts.ca("Test Root");
    TestCert leaf = TestCerts.forNames(name).signedBy(ca).issue();
    Path archive = Files.createDirectories(le.resolve("archive").resolve(name));
    Path live = Files.createDirectories(le.resolve("live").resolve(name));
    Files.writeString(archive.resolve("cert1.pem"), Pems.toPem(leaf.certificate()), US_ASCII);
    Files.writeString(archive.resolve("chain1.pem"), Pems.toPem(ca.certificate()), US_ASCII);
    Files.writeString(archive.resolve("fullchain1.pem"), Pems.toPem(leaf.certificate()) + Pems.toPem(ca.certificate()),
        US_ASCII);
    Files.createFile(archive.resolve("privkey1.pem"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(archive.resolve("privkey1.pem"), Pems.toPem(leaf.keyPair().getPrivate()), US_ASCII);
    for (String pem : PEMS) {
      Files.createSymbolicLink(live.resolve(pem),
          Path.of("../../archive", name, pem.replace(".pem", "1.pem")));
    }
    Files.writeString(le.resolve("live/README"), "This directory contains your keys and certificates.\n");
    Files.createDirectories(le.resolve("renewal"));
    Files.writeString(le.resolve("renewal").resolve(name + ".conf"), "version = 5.6.0\n");
    Path account = Files.createDirectories(le.resolve("accounts/acme-v02.api.letsencrypt.org/directory/4f2a"));
    Files.writeString(account.resolve("regr.json"), "{}");
    return le;
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void storeCopyFromCertbotToPostgresAndBackGivesIdenticalFilesAndCertsListShowsThem() throws Exception {
    Path le = certbotLayout("a.example");
    String url = postgres.storeUrl(postgres.createDatabase());
    Path state = tmp.resolve("state");

    ManagedProcess.Result in = gatehouse(pgpassword(), "store", "copy", "--from", le.toString(), "--to", url,
        "--state-dir", state.toString());
    assertThat(in.exitCode()).as(in.output()).isZero();
    assertThat(in.output())
        .contains("copied live/a.example/privkey.pem (secret)", "copied live/a.example/fullchain.pem\n",
            "5 keys copied from " + le + " to " + url)
        .contains("created the store key " + state.resolve("store.key"))
        .doesNotContain("archive/", "renewal/", "regr.json");
    assertThat(mode(state.resolve("store.key"))).isEqualTo("rw-------");

    Path out = tmp.resolve("out");
    ManagedProcess.Result back = gatehouse(pgpassword(), "store", "copy", "--from", url, "--to", out.toString(),
        "--state-dir", state.toString());
    assertThat(back.exitCode()).as(back.output()).isZero();
    for (String pem : PEMS) {
      Path copied = out.resolve("live/a.example").resolve(pem);
      assertThat(Files.readAllBytes(copied)).as(pem).isEqualTo(Files.readAllBytes(le.resolve("live/a.example")
          .resolve(pem)));
      assertThat(mode(copied)).as(pem).isEqualTo(pem.equals("privkey.pem") ? "rw-------" : "rw-r--r--");
    }
    assertThat(out.resolve("live/README")).hasSameTextualContentAs(le.resolve("live/README"));
    assertThat(out.resolve("archive")).doesNotExist();

    ManagedProcess.Result list = gatehouse(pgpassword(), "certs", "list", "--store", url, "--state-dir",
        state.toString());
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output()).contains("a.example\n", "  names:     a.example", "  stored in: " + url);
  }

  @Test
  void thePasswordComesFromPgpassOrAPasswordFileAndAFailedLoginDoesNotShowIt() throws Exception {
    String database = postgres.createDatabase();
    String url = postgres.storeUrl(database);
    Path state = tmp.resolve("state");
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path pgpass = home.resolve(".pgpass");
    Files.createFile(pgpass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(pgpass, "# other servers first\nelsewhere:5432:*:*:nope\n127.0.0.1:" + postgres.port() + ":"
        + database + ":" + PostgresServer.USER + ":" + postgres.password() + "\n");
    ManagedProcess.Result fromPgpass = gatehouse(Map.of("HOME", home.toString()), "certs", "list", "--store", url,
        "--state-dir", state.toString());
    assertThat(fromPgpass.exitCode()).as(fromPgpass.output()).isZero();
    assertThat(fromPgpass.output()).contains("no certificates in " + url).doesNotContain(postgres.password());

    Path passwordFile = tmp.resolve("db.password");
    Files.writeString(passwordFile, postgres.password() + "\n");
    ManagedProcess.Result fromFile = gatehouse(Map.of(), "certs", "list", "--store", url, "--state-dir",
        state.toString(), "--password-file", passwordFile.toString());
    assertThat(fromFile.exitCode()).as(fromFile.output()).isZero();

    String wrong = "not-the-password-7f3a";
    ManagedProcess.Result refused = gatehouse(Map.of("PGPASSWORD", wrong), "certs", "list", "--store", url,
        "--state-dir", state.toString());
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output().strip())
        .startsWith("gatehouse certs list: --store: PostgreSQL at " + PostgresServer.USER + "@127.0.0.1:")
        .contains("refused the login", "PGPASSWORD, ~/.pgpass")
        .doesNotContain(wrong, "\n");
    assertThat(postgres.log()).doesNotContain(wrong);
  }

  @Test
  void aWrongOrMissingStoreKeyIsOneLineAndExit2ForCertsListAndServe() throws Exception {
    String url = postgres.storeUrl(postgres.createDatabase());
    Path state = tmp.resolve("state");
    ManagedProcess.Result first = gatehouse(pgpassword(), "certs", "list", "--store", url, "--state-dir",
        state.toString());
    assertThat(first.exitCode()).as(first.output()).isZero();

    Path otherState = tmp.resolve("other-node");
    ManagedProcess.Result missing = gatehouse(pgpassword(), "certs", "list", "--store", url, "--state-dir",
        otherState.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.output().strip())
        .startsWith("gatehouse certs list: --store-key-file: store key file " + otherState.resolve("store.key")
            + " does not exist")
        .contains("copy the key file from a node that has it")
        .doesNotContain("\n");

    Path wrongKey = tmp.resolve("wrong.key");
    Files.createFile(wrongKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(wrongKey, java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
    int https = FreePorts.next();
    ManagedProcess.Result serve = gatehouse(pgpassword(), "serve", "localhost", "--http-port", "0", "--https-port",
        Integer.toString(https), "--bind", "127.0.0.1", "--state-dir", otherState.toString(), "--store", url,
        "--store-key-file", wrongKey.toString());
    assertThat(serve.exitCode()).as(serve.output()).isEqualTo(2);
    assertThat(serve.output().strip())
        .startsWith("gatehouse serve: --store-key-file: store key file " + wrongKey + " is not the key the store at")
        .doesNotContain("\n");
  }

  @Test
  void serveWithAStoreFromTheConfigFileKeepsItsCertificatesInTheDatabase() throws Exception {
    String database = postgres.createDatabase();
    Path state = tmp.resolve("state");
    Path passwordFile = tmp.resolve("db.password");
    Files.writeString(passwordFile, postgres.password() + "\n");
    Path toml = tmp.resolve("gatehouse.toml");
    Files.writeString(toml, "store = \"" + postgres.storeUrl(database) + "\"\n"
        + "password_file = \"" + passwordFile + "\"\n"
        + "store_key_file = \"" + tmp.resolve("site.key") + "\"\n");
    int https = FreePorts.next();
    List<String> args = new ArrayList<>(List.of("serve", "localhost", "--config", toml.toString(), "--bind",
        "127.0.0.1", "--http-port", "0", "--https-port", Integer.toString(https), "--state-dir", state.toString()));
    try (GatehouseProcess serve = GatehouseProcess.start(args, Map.of("PGPASSWORD", ""), https)) {
      try (Connection connection = postgres.connect(database);
          PreparedStatement select = connection.prepareStatement(
              "SELECT key, secret, value FROM gatehouse_store WHERE key LIKE 'live/localhost/%' ORDER BY key");
          ResultSet rows = select.executeQuery()) {
        List<String> keys = new ArrayList<>();
        while (rows.next()) {
          keys.add(rows.getString(1) + (rows.getBoolean(2) ? " secret" : ""));
          if (rows.getBoolean(2)) {
            assertThat(new String(rows.getBytes(3), US_ASCII)).doesNotContain("PRIVATE KEY");
          }
        }
        assertThat(keys).contains("live/localhost/fullchain.pem", "live/localhost/privkey.pem secret");
      }
      assertThat(serve.log()).doesNotContain(postgres.password());
    }
    assertThat(mode(tmp.resolve("site.key"))).isEqualTo("rw-------");
  }

  @Test
  void theHstsRampStageIsTheStoresSoANewServerSendsTheStageTheSiteReached() throws Exception {
    String database = postgres.createDatabase();
    String url = postgres.storeUrl(database);
    Path state = tmp.resolve("state");
    // What the site's first server saved 40 days ago, copied in the way an operator moves a state dir in.
    Path earlier = Files.createDirectories(tmp.resolve("earlier/state"));
    Files.writeString(earlier.resolve("hsts.json"), "{\"localhost\": \"2025-01-01T00:00:00Z\"}");
    ManagedProcess.Result copy = gatehouse(pgpassword(), "store", "copy", "--from", tmp.resolve("earlier").toString(),
        "--to", url, "--state-dir", state.toString());
    assertThat(copy.exitCode()).as(copy.output()).isZero();

    int https = FreePorts.next();
    List<String> args = List.of("serve", "localhost", "--bind", "127.0.0.1", "--http-port", "0", "--https-port",
        Integer.toString(https), "--state-dir", state.toString(), "--store", url);
    try (GatehouseProcess serve = GatehouseProcess.start(args, pgpassword(), https)) {
      Path root = Files.write(tmp.resolve("root.pem"), rootCertificate(database));
      assertThat(Curl.to("https://localhost:" + https + "/").cacert(root).run().header("Strict-Transport-Security"))
          .isEqualTo("max-age=31536000");
      assertThat(serve.log()).doesNotContain("HSTS:");
    }
    assertThat(state.resolve("state/hsts.json")).doesNotExist();
  }

  @Test
  void aServerRestartedWhileTheDatabaseIsDownServesWhatItLastServedAndSaysSo() throws Exception {
    String database = postgres.createDatabase();
    Path state = tmp.resolve("state");
    int https = FreePorts.next();
    List<String> args = List.of("serve", "localhost", "--bind", "127.0.0.1", "--http-port", "0", "--https-port",
        Integer.toString(https), "--state-dir", state.toString(), "--store", postgres.storeUrl(database));
    Path root = tmp.resolve("root.pem");
    try (GatehouseProcess serve = GatehouseProcess.start(args, pgpassword(), https)) {
      Files.write(root, rootCertificate(database));
      assertThat(Curl.to("https://localhost:" + https + "/").cacert(root).run().status()).isEqualTo(200);
      assertThat(serve.log()).doesNotContain("unreachable");
    }
    postgres.stop();
    try (GatehouseProcess serve = GatehouseProcess.start(args, pgpassword(), https)) {
      assertThat(Curl.to("https://localhost:" + https + "/").cacert(root).run().status()).isEqualTo(200);
      assertThat(serve.log())
          .contains("storage: PostgreSQL at " + PostgresServer.USER + "@127.0.0.1:" + postgres.port() + "/"
              + database + " is unreachable (")
          .contains("storage: reading from the local copy in " + state.resolve("last-served"))
          .doesNotContain("\tat ");
    } finally {
      postgres.start();
    }
  }

  private static byte[] rootCertificate(String database) throws Exception {
    try (Connection connection = postgres.connect(database);
        PreparedStatement select =
            connection.prepareStatement("SELECT value FROM gatehouse_store WHERE key = 'localca/root.pem'");
        ResultSet rows = select.executeQuery()) {
      assertThat(rows.next()).as("the local CA's root is in the store").isTrue();
      return rows.getBytes(1);
    }
  }
}
