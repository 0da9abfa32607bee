package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Nginx;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.PostgresServer;
import dev.gatehouse.testing.TestDirs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * {@code gatehouse certs} the way an nginx user runs it: against a real Pebble, with a real nginx serving
 * the webroot for http-01 and then the issued files over HTTPS. The tests build on each other (issue, keep,
 * list, renew, revoke), in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertsCommandIT {

  private static final String NAME = "shop.example.test";

  private final int httpPort = FreePorts.next();
  private final int tlsPort = FreePorts.next();
  private final int nginxTlsPort = FreePorts.next();
  private Pebble pebble;
  private Nginx nginx;
  private Path dir;
  private Path state;
  private Path webroot;

  private record Run(int exitCode, String out, String err) {}

  @BeforeAll
  void start() throws Exception {
    dir = TestDirs.newInstanceDir("certs-it");
    state = dir.resolve("state");
    webroot = Files.createDirectories(dir.resolve("www"));
    pebble = Pebble.start(httpPort, tlsPort);
    nginx = Nginx.start("server { listen 127.0.0.1:" + httpPort + "; root " + webroot + "; }");
  }

  @AfterAll
  void stop() {
    if (nginx != null) {
      nginx.close();
    }
    if (pebble != null) {
      pebble.close();
    }
    TestDirs.deleteUnlessKept(dir);
  }

  private Run gatehouse(String... args) {
    CommandLine cl = GatehouseCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run certs(String... args) {
    List<String> all = new ArrayList<>(List.of("certs"));
    all.addAll(List.of(args));
    all.addAll(List.of("--state-dir", state.toString()));
    return gatehouse(all.toArray(String[]::new));
  }

  private String[] ca() {
    return new String[] {"--ca", pebble.directoryUrl(), "--acme-trust", pebble.trustPem().toString()};
  }

  private String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  private Path live(String file) {
    return state.resolve("live").resolve(NAME).resolve(file);
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private CertifiedKey stored() throws Exception {
    return new CertificateStore(new FileStorage(state)).load(NAME).orElseThrow();
  }

  @Test
  @Order(1)
  void issueWithWebrootWritesTheFilesNginxNeedsWithPrivateModes() throws Exception {
    Run run = certs(concat(new String[] {"issue", NAME, "www." + NAME, "--webroot", webroot.toString(),
        "--email", "ops@example.test"}, ca()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith(NAME + ": issued by " + pebble.directoryUrl() + ", serial ");
    for (String file : List.of("fullchain.pem", "privkey.pem", "cert.pem", "chain.pem")) {
      assertThat(live(file)).isRegularFile();
    }
    assertThat(mode(live("privkey.pem"))).isEqualTo("rw-------");
    assertThat(mode(live("fullchain.pem").getParent())).isEqualTo("rwx------");
    assertThat(mode(state.resolve("live"))).isEqualTo("rwx------");
    var chain = Pems.readCertificates(live("fullchain.pem"));
    assertThat(Pems.readCertificates(live("cert.pem"))).containsExactly(chain.get(0));
    assertThat(Pems.readCertificates(live("chain.pem"))).isEqualTo(chain.subList(1, chain.size()));
    var root = Pems.readCertificate(pebble.issuingRootPem());
    var params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    assertThat(stored().names()).containsExactlyInAnyOrder(NAME, "www." + NAME);
    try (var left = Files.list(webroot.resolve(".well-known/acme-challenge"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  @Order(2)
  void nginxServesTheIssuedFiles() throws Exception {
    nginx.reload("server { listen 127.0.0.1:" + httpPort + "; root " + webroot + "; }\n"
        + "server { listen 127.0.0.1:" + nginxTlsPort + " ssl; server_name " + NAME + ";"
        + " ssl_certificate " + live("fullchain.pem") + "; ssl_certificate_key " + live("privkey.pem") + "; }");
    assertThat(Pems.presentedSerial(nginxTlsPort, NAME)).isEqualTo(stored().leaf().getSerialNumber());
  }

  @Test
  @Order(3)
  void issuingAgainKeepsTheValidCertificateWithoutANewOrder() throws Exception {
    int orders = pebble.orderCount();
    String serial = stored().serialHex();

    Run run = certs(concat(new String[] {"issue", NAME, "www." + NAME, "--webroot", webroot.toString()}, ca()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("covers these names").contains("nothing to do (--force replaces it)");
    assertThat(pebble.orderCount()).isEqualTo(orders);
    assertThat(stored().serialHex()).isEqualTo(serial);
  }

  @Test
  @Order(4)
  void listShowsNamesIssuerExpiryAndWhyItRenews() throws Exception {
    Run run = certs("list");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(NAME + "\n")
        .contains("  names:     " + String.join(", ", stored().names()))
        .contains("  issuer:    " + pebble.directoryUrl() + " (CN=Pebble Intermediate CA")
        .containsPattern("  expires:   \\S+ \\(18\\d\\d days left\\)")
        .containsPattern("  renews:    \\S+ \\(1/3 of lifetime left\\), by certs renew")
        .contains("  files:     " + live("") + "/{fullchain,privkey,cert,chain}.pem");
  }

  @Test
  @Order(5)
  void renewWithoutForceSaysWhenItIsDueAndOrdersNothing() {
    int orders = pebble.orderCount();
    Run run = certs("renew");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(NAME + ": not due; renews at ").contains("(1/3 of lifetime left)");
    assertThat(pebble.orderCount()).isEqualTo(orders);
  }

  @Test
  @Order(6)
  void dryRunValidatesAtTheCaButReplacesNothing() throws Exception {
    int orders = pebble.orderCount();
    String serial = stored().serialHex();
    Run run = certs("renew", "--dry-run");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(NAME + ": dry run: " + pebble.directoryUrl() + " issued a certificate");
    assertThat(pebble.orderCount()).isEqualTo(orders + 1);
    assertThat(stored().serialHex()).isEqualTo(serial);
  }

  @Test
  @Order(7)
  void forcedRenewalRunsTheDeployHookThatReloadsNginx() throws Exception {
    BigInteger before = stored().leaf().getSerialNumber();
    Path hookLog = dir.resolve("hook.log");
    String hook = "nginx -p " + nginx.prefix() + "/ -c " + nginx.confFile() + " -s reload"
        + " && echo \"$RENEWED_LINEAGE|$RENEWED_DOMAINS\" >> " + hookLog;

    Run run = certs("renew", "--force", "--deploy-hook", hook);

    assertThat(run.exitCode()).as(run.err()).isZero();
    BigInteger after = stored().leaf().getSerialNumber();
    assertThat(after).isNotEqualTo(before);
    assertThat(Files.readString(hookLog).strip())
        .isEqualTo(state.resolve("live").resolve(NAME) + "|" + NAME + " www." + NAME);
    BigInteger served = before;
    for (int i = 0; i < 50 && served.equals(before); i++) {
      Thread.sleep(100);
      served = Pems.presentedSerial(nginxTlsPort, NAME);
    }
    assertThat(served).isEqualTo(after);
  }

  @Test
  @Order(8)
  void aTruncatedCertificateIsReportedAndRenewed() throws Exception {
    String full = Files.readString(live("fullchain.pem"));
    Files.writeString(live("fullchain.pem"), full.substring(0, full.length() / 2));
    Run list = certs("list");
    assertThat(list.exitCode()).isEqualTo(1);
    assertThat(list.out()).contains("  unusable:  live/" + NAME + "/fullchain.pem: ");

    Run renew = certs("renew");

    assertThat(renew.exitCode()).as(renew.err()).isZero();
    assertThat(renew.out()).contains(NAME + ": the stored certificate cannot be used (live/" + NAME + "/fullchain.pem")
        .contains(NAME + ": issued by ");
    assertThat(stored().names()).contains(NAME);
  }

  @Test
  @Order(9)
  void revokeTellsTheCaAndASecondRevokeSaysItIsAlreadyRevoked() throws Exception {
    String serial = stored().serialHex();
    Run run = certs("revoke", NAME, "--reason", "superseded", "--acme-trust", pebble.trustPem().toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(NAME + ": revoked at " + pebble.directoryUrl() + " (superseded), serial " + serial
        + "; replace it: gatehouse certs renew --force " + NAME + "\n");

    Run again = certs("revoke", NAME, "--acme-trust", pebble.trustPem().toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("alreadyRevoked");
  }

  @Test
  @Order(10)
  void revokeWithAStoreRevokesTheCertificateKeptInPostgresqlAndItsUsageErrorsAreOneLine() throws Exception {
    String name = "shared.example.test";
    Path issued = dir.resolve("issuing-node");
    Run issue = gatehouse(concat(new String[] {"certs", "issue", name, "--webroot", webroot.toString(),
        "--state-dir", issued.toString()}, ca()));
    assertThat(issue.exitCode()).as(issue.err()).isZero();
    String serial = new CertificateStore(new FileStorage(issued)).load(name).orElseThrow().serialHex();

    try (PostgresServer postgres = PostgresServer.startNew()) {
      String url = postgres.storeUrl(postgres.createDatabase());
      Path password = Files.writeString(dir.resolve("db.password"), postgres.password() + "\n");
      Run copy = gatehouse("store", "copy", "--from", issued.toString(), "--to", url, "--state-dir", issued.toString(),
          "--password-file", password.toString());
      assertThat(copy.exitCode()).as(copy.err()).isZero();

      // Another node: nothing of the certificate on its disk, only the store key copied to it.
      Path node = dir.resolve("other-node");
      String[] store = {"--store", url, "--password-file", password.toString(), "--store-key-file",
          issued.resolve("store.key").toString(), "--state-dir", node.toString(), "--acme-trust",
          pebble.trustPem().toString()};
      Run revoke = gatehouse(concat(new String[] {"certs", "revoke", name, "--reason", "keyCompromise"}, store));
      assertThat(revoke.exitCode()).as(revoke.err()).isZero();
      assertThat(revoke.out()).isEqualTo(name + ": revoked at " + pebble.directoryUrl() + " (keyCompromise), serial "
          + serial + "; replace it: gatehouse certs renew --force " + name + "\n");
      assertThat(node.resolve("live")).doesNotExist();

      Run again = gatehouse(concat(new String[] {"certs", "revoke", name}, store));
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("alreadyRevoked");

      Run unknown = gatehouse(concat(new String[] {"certs", "revoke", "nothing.example.test"}, store));
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).isEqualTo("gatehouse certs revoke: NAME: 'nothing.example.test' has no certificate in "
          + url + " (expected: a name certs list shows)\n");

      Run badUrl = gatehouse("certs", "revoke", name, "--store", "mysql://db/site", "--state-dir", node.toString());
      assertThat(badUrl.exitCode()).isEqualTo(2);
      assertThat(badUrl.err()).isEqualTo("gatehouse certs revoke: --store: 'mysql://db/site' is not a store URL"
          + " (expected: postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]; the file store is --state-dir)\n");

      Run noKey = gatehouse("certs", "revoke", name, "--store", url, "--password-file", password.toString(),
          "--state-dir", node.toString());
      assertThat(noKey.exitCode()).isEqualTo(2);
      assertThat(noKey.err()).startsWith("gatehouse certs revoke: --store-key-file: store key file "
          + node.resolve("store.key") + " does not exist").endsWith("\n").hasLineCount(1);
    }
  }

  @Test
  void standaloneAnswersOnItsOwnPortAndFreesItAfterwards() throws Exception {
    nginx.stop();
    try {
      Run run = certs(concat(new String[] {"issue", "solo.example.test", "--standalone", "--http-port",
          "127.0.0.1:" + httpPort}, ca()));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(state.resolve("live/solo.example.test/privkey.pem")).isRegularFile();
      try (var socket = new java.net.ServerSocket(httpPort, 1, java.net.InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(httpPort);
      }
    } finally {
      nginx.startWithHttpBlock("server { listen 127.0.0.1:" + httpPort + "; root " + webroot + "; }");
    }
  }

  @Test
  void usageErrorsAreOneLineNamingTheFlagWithExitStatus2() {
    String[][] cases = {
      {"issue", "a.example.test", "--standalone", "--key-type", "dsa"},
      {"issue", "a.example.test", "--standalone", "--webroot", "/"},
      {"issue", "*.a.example.test", "--standalone"},
      {"issue", "a.example.test"},
      {"issue", "a.example.test", "--webroot", "/nonexistent/www"},
      {"issue", "a.example.test", "--standalone", "--http-port", "http"},
      {"revoke", "nothing.example.test", "--reason", "bored"},
    };
    String[] expected = {
      "--key-type: 'dsa' is not valid (expected: ecdsa-p256, ecdsa-p384, rsa2048, rsa4096)",
      "--webroot and --standalone both given (expected: one way to answer http-01)",
      "DOMAIN: '*.a.example.test' is a wildcard, which only dns-01 can prove (expected:"
          + " --dns-hook CMD)",
      "no way to answer the CA's challenge (expected: --webroot DIR, --standalone or"
          + " --dns-hook CMD)",
      "--webroot: '/nonexistent/www' is not a directory (expected: the document root the web"
          + " server serves for these names)",
      "--http-port: 'http' is not valid (expected: PORT or ADDR:PORT with PORT 1-65535, e.g."
          + " 80 or 127.0.0.1:8080)",
      "--reason: 'bored' is not valid (expected: unspecified, keyCompromise,"
          + " affiliationChanged, superseded, cessationOfOperation)",
    };
    for (int i = 0; i < cases.length; i++) {
      Run run = certs(cases[i]);
      assertThat(run.exitCode()).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(run.err()).as(String.join(" ", cases[i]))
          .isEqualTo("gatehouse certs " + cases[i][0] + ": " + expected[i] + "\n");
    }
  }
}
