package dev.gatehouse.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.certs.Pem;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CaCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run gatehouse(String... args) {
    CommandLine cl = GatehouseCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Process start(Path cwd, java.util.Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }

  private static Run run(Path cwd, java.util.Map<String, String> env, String... command) throws Exception {
    Process process = start(cwd, env, command);
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output, "");
  }

  @Test
  void rootPrintsThePathFirstThenHowToTrustIt() throws Exception {
    Path state = dir.resolve("state");
    Run run = gatehouse("ca", "root", "--state-dir", state.toString());

    assertThat(run.exitCode()).isZero();
    Path root = state.resolve("localca/root.pem").toAbsolutePath();
    assertThat(run.out().lines().findFirst()).contains(root.toString());
    assertThat(Pem.readCertificates(root)).hasSize(1);
    assertThat(run.out())
        .contains("sudo cp " + root + " /usr/local/share/ca-certificates/gatehouse.crt && sudo update-ca-certificates")
        .contains("curl --cacert " + root)
        .contains("REQUESTS_CA_BUNDLE=" + root)
        .contains("certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n gatehouse -i " + root)
        .contains("Firefox")
        .containsPattern("SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}");

    Run again = gatehouse("ca", "root", "--state-dir", state.toString());
    assertThat(again.out()).as("the same root, not a new one").isEqualTo(run.out());
  }

  @Test
  void aStateDirThatIsAFileIsAUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    Run run = gatehouse("ca", "root", "--state-dir", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().trim()).startsWith("gatehouse ca root: --state-dir: '" + file + "' cannot be used (")
        .doesNotContain("\n");
  }

  @Test
  void caWithoutASubcommandIsAUsageError() {
    Run run = gatehouse("ca");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("a subcommand is needed: root");
  }

  /** curl, following the printed instruction, trusts a server whose certificate the local CA signed. */
  @Test
  void curlWithThePrintedCacertTrustsALocalCaServer() throws Exception {
    Path state = dir.resolve("state");
    String printed = gatehouse("ca", "root", "--state-dir", state.toString()).out();
    Path root = Path.of(printed.lines().findFirst().orElseThrow());
    CertifiedKey leaf =
        new LocalCaIssuer(new FileStorage(state))
            .issue(new IssueRequest(List.of("app.localhost"), KeyType.ECDSA_P256, Optional.empty()));

    try (SSLServerSocket server = tlsServer(leaf)) {
      int port = server.getLocalPort();
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answerTwice(server));
      String url = "https://app.localhost:" + port + "/";
      String resolve = "app.localhost:" + port + ":127.0.0.1";

      Run trusted = run(dir, java.util.Map.of(), "curl", "-sS", "--cacert", root.toString(), "--resolve", resolve, url);
      assertThat(trusted.out()).isEqualTo("hello");
      assertThat(trusted.exitCode()).isZero();

      Run untrusted = run(dir, java.util.Map.of(), "curl", "-sS", "--resolve", resolve, url);
      assertThat(untrusted.exitCode()).as(untrusted.out()).isEqualTo(60);
      served.get(30, TimeUnit.SECONDS);
    }
  }

  /** The printed certutil line, run as is against a fresh NSS database, makes NSS accept the leaf. */
  @Test
  void thePrintedCertutilLineMakesNssTrustTheRoot() throws Exception {
    Path state = dir.resolve("state");
    String output = gatehouse("ca", "root", "--state-dir", state.toString()).out();
    String certutilLine =
        output.lines().map(String::trim).filter(l -> l.startsWith("certutil ")).findFirst().orElseThrow();
    Path home = Files.createDirectories(dir.resolve("home"));
    Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
    var env = java.util.Map.of("HOME", home.toString());
    assertThat(run(dir, env, "certutil", "-N", "-d", "sql:" + nssdb, "--empty-password").exitCode()).isZero();

    Run added = run(dir, env, "bash", "-c", certutilLine);
    assertThat(added.exitCode()).as(added.out()).isZero();

    CertifiedKey leaf =
        new LocalCaIssuer(new FileStorage(state))
            .issue(new IssueRequest(List.of("app.localhost"), KeyType.ECDSA_P256, Optional.empty()));
    Files.write(dir.resolve("leaf.pem"), Pem.encodeCertificates(List.of(leaf.leaf())));
    assertThat(run(dir, env, "certutil", "-d", "sql:" + nssdb, "-A", "-t", ",,", "-n", "leaf", "-i", "leaf.pem")
            .exitCode())
        .isZero();
    Run verified = run(dir, env, "certutil", "-d", "sql:" + nssdb, "-V", "-u", "V", "-n", "leaf");
    assertThat(verified.out()).contains("certificate is valid");
  }

  private static SSLServerSocket tlsServer(CertifiedKey leaf) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    char[] password = "test".toCharArray();
    keyStore.setKeyEntry("leaf", leaf.privateKey(), password, leaf.chain().toArray(Certificate[]::new));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return (SSLServerSocket)
        context.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
  }

  /** One answer for the trusting client; the distrusting one only gets as far as the handshake. */
  private static void answerTwice(SSLServerSocket server) {
    List<Exception> problems = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(UTF_8).endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.write(b);
        }
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello".getBytes(UTF_8));
        out.flush();
      } catch (Exception e) {
        problems.add(e);
      }
    }
    assertThat(problems).hasSizeLessThanOrEqualTo(1);
  }
}
